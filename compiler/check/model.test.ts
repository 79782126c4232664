import { describe, expect, it } from "vitest";
import type { Expr } from "../../language/index.js";
import { checkText } from "./test-support/harness.js";

const POLICY = `levels LOW < MID < HIGH
labels PII
const internal = ["corp.example"]
const re = /x/i
const wait = 5m
context env: "prod" | "staging", age: duration
bind read_file(path) to file.open
on result db.query when args.table == "customers" { label PII, MID, HIGH }
validate send_money { args.amount > 0 because "positive" }
@id("no-drop") forbid db.query when args.sql matches re
deny email.send when session.labels has PII and any domain(args.to) not in internal because "pii"
defer credentials.rotate when context.env is unknown or context.age < wait timeout 5m
allow email.send, db.query, send_money, read_file, credentials.rotate
deny db.delete when count(db.delete within 1h) > 3 and session.level >= MID
`;

describe("the checked model", () => {
  const c = checkText(POLICY);
  const m = c.model!;
  it("exists for a policy without errors", () => {
    expect(c.diagnostics).toEqual([]);
    expect(m).toBeDefined();
  });
  it("has the header, posture, levels, labels, constants and context", () => {
    expect([m.name, m.version, m.defaultPosture]).toEqual(["t", "1.0.0", "deny"]);
    expect(m.levels).toEqual(["LOW", "MID", "HIGH"]);
    expect(m.labels).toEqual(["PII"]);
    expect([...m.constants.values()].map((k) => [k.name, k.value])).toEqual([
      ["internal", ["corp.example"]],
      ["re", { kind: "regex", pattern: "x", flags: "i" }],
      ["wait", 300_000],
    ]);
    expect(m.contextFields.get("env")).toEqual({ kind: "string", enum: ["prod", "staging"] });
    expect(m.tools.has("file.open")).toBe(true);
    expect(m.tools.has("send_money")).toBe(true);
  });
  it("has binds, validations and tag rules", () => {
    expect(m.binds).toMatchObject([{ tools: ["read_file"], arg: ["path"], target: "file.open" }]);
    expect(m.validations).toMatchObject([
      { tools: ["send_money"], constraints: [{ reason: "positive", cost: 2 }] },
    ]);
    expect(m.tagRules).toMatchObject([{ id: "tag-11", tools: ["db.query"], labels: ["PII"], level: "HIGH" }]);
  });
  it("has the rules in source order with priorities and context dependence", () => {
    expect(m.rules.map((r) => [r.id, r.effect, r.priority, r.contextDependent])).toEqual([
      ["no-drop", "forbid", undefined, false],
      ["deny-14", "deny", 50, true],
      ["defer-15", "defer", 40, true],
      ["allow-16", "allow", 10, false],
      ["deny-17", "deny", 50, true],
    ]);
    expect(m.rules[1]!.reason).toBe("pii");
    expect(m.rules[2]!.timeoutMs).toBe(300_000);
  });
  it("records types, reference targets and builtins in side tables", () => {
    const cond = m.rules[1]!.condition!;
    if (
      cond.kind !== "LogicalExpr" ||
      cond.left.kind !== "CompareExpr" ||
      cond.right.kind !== "CompareExpr"
    ) {
      throw new Error("unexpected shape");
    }
    const has = cond.left;
    const quantified = cond.right;
    expect(m.types.get(has.left)).toEqual({ kind: "set", element: { kind: "label" } });
    expect(m.refs.get(has.left as Extract<Expr, { kind: "Ref" }>)).toEqual({
      kind: "session",
      field: "labels",
      path: [],
    });
    expect(m.refs.get(has.right as Extract<Expr, { kind: "Ref" }>)).toEqual({ kind: "label", name: "PII" });
    expect(m.types.get(quantified.left)).toMatchObject({ kind: "list", element: { kind: "string" } });
    if (quantified.left.kind !== "CallExpr") throw new Error("unexpected shape");
    expect(m.calls.get(quantified.left)).toBe("domain");
    expect(m.refs.get(quantified.right as Extract<Expr, { kind: "Ref" }>)).toEqual({
      kind: "constant",
      name: "internal",
      path: [],
    });
    const last = m.rules[4]!.condition!;
    if (last.kind !== "LogicalExpr" || last.right.kind !== "CompareExpr") throw new Error("unexpected shape");
    expect(m.refs.get(last.right.right as Extract<Expr, { kind: "Ref" }>)).toEqual({
      kind: "level",
      name: "MID",
      rank: 1,
    });
  });
  it("never writes onto the AST", () => {
    const cond = m.rules[1]!.condition!;
    expect(Object.keys(cond).sort()).toEqual(["kind", "left", "op", "right", "span"]);
  });
  it("is absent when there is an error", () => {
    expect(checkText("deny email.sned").model).toBeUndefined();
  });
});
