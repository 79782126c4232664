import { describe, expect, it } from "vitest";
import type { Policy } from "../api.js";
import { EvalError } from "../eval/values.js";
import type { Evaluator } from "./core.js";
import { type EvaluatorKind, loadTest, outcome } from "./test-support/policies.js";

const STAGES = `
labels PII
bind read_file(path) to file.open
bind read_file(encoding) to file.open
forbid file.open path "/etc/shadow"
forbid file.open under "/etc/ssh"
validate send_money {
  args.amount <= 5000 because "at most 5000"
  args.recipient matches /^[A-Z]{2}/
}
@id("no-drop") forbid db.query when args.sql matches /(?i)\\bdrop\\b/ because "destructive SQL"
@id("everything") @priority(99) allow db.query, send_money, read_file
`;

function ruleAt(p: Policy, id: string): readonly [number, number] {
  return p.ir.rules.find((r) => r.id === id)!.at;
}

describe.each<EvaluatorKind>(["interpreter", "compiled"])("decision stages (%s)", (kind) => {
  const decide = async (
    decls: string,
    tool: string,
    args: Record<string, unknown>,
    extra: Parameters<typeof loadTest>[2] = {},
  ) => {
    const p = await loadTest(kind, decls, extra);
    return outcome(p.openSession({ identity: {} }).decide({ tool, args, time: 5_000 }));
  };

  it("forbid: DENY that no priority overrides", async () => {
    expect(await decide(STAGES, "db.query", { sql: "Drop table x", table: "customers" })).toEqual({
      effect: "DENY",
      ruleIds: ["no-drop"],
      reasons: ["destructive SQL"],
      decidedBy: "forbid",
    });
    expect(await decide(STAGES, "db.query", { sql: "select 1", table: "customers" })).toMatchObject({
      effect: "ALLOW",
      ruleIds: ["everything"],
    });
  });

  it("forbid runs before validation: a forbidden call with invalid arguments is denied by the forbid rule", async () => {
    expect(await decide(STAGES, "db.query", { sql: "drop", table: "nope" })).toMatchObject({
      decidedBy: "forbid",
      ruleIds: ["no-drop"],
    });
  });

  it("kernel rules cover bound arguments after normalisation", async () => {
    expect(await decide(STAGES, "read_file", { path: "/srv/../etc/ssh/id_rsa" })).toEqual({
      effect: "DENY",
      ruleIds: ["forbid-9"],
      reasons: ["forbid rule 'forbid-9' matched (argument path is a file.open target)"],
      decidedBy: "forbid",
    });
    expect(await decide(STAGES, "read_file", { path: "/etc/sshd_config" })).toMatchObject({
      effect: "ALLOW",
    });
  });

  it("kernel rules decide the kernel actions themselves", async () => {
    expect(await decide(STAGES, "file.open", { path: "//etc/shadow" })).toEqual({
      effect: "DENY",
      ruleIds: ["forbid-8"],
      reasons: ["forbid rule 'forbid-8' matched"],
      decidedBy: "forbid",
    });
    expect(await decide(STAGES, "file.open", { path: "/etc/passwd" })).toMatchObject({
      effect: "DENY",
      decidedBy: "default",
    });
  });

  it("an absent bound argument names no file (the tool's other arguments are not bound)", async () => {
    expect(await decide(STAGES, "read_file", { path: "/home/ann/notes" })).toMatchObject({ effect: "ALLOW" });
    expect(await decide(STAGES, "read_file", { path: "/home/ann/notes", encoding: "utf-8" })).toMatchObject({
      effect: "ALLOW",
    });
  });

  it("validation: the input schema, then validate blocks; before every prioritised rule", async () => {
    expect(
      await decide(STAGES, "send_money", { recipient: "CH93", amount: 100001, currency: "EUR" }),
    ).toEqual({
      effect: "DENY",
      ruleIds: [],
      reasons: ["argument validation failed: args.amount must be <= 100000"],
      decidedBy: "validation",
    });
    expect(await decide(STAGES, "send_money", { recipient: "CH93", amount: 6000, currency: "EUR" })).toEqual({
      effect: "DENY",
      ruleIds: [],
      reasons: ["argument validation failed: at most 5000"],
      decidedBy: "validation",
    });
    const noReason = await decide(STAGES, "send_money", { recipient: "ch93", amount: 60, currency: "EUR" });
    expect(noReason["reasons"]).toEqual([
      expect.stringMatching(/^argument validation failed: constraint at policy\.aarm\[\d+,\d+\]$/),
    ]);
    expect(
      await decide(STAGES, "send_money", { recipient: "CH93", amount: 60, currency: "EUR", x: 1 }),
    ).toMatchObject({
      reasons: ["argument validation failed: args.x is not an argument of this tool"],
    });
    expect(
      await decide(STAGES, "send_money", { recipient: "CH93", amount: 60, currency: "EUR" }),
    ).toMatchObject({ effect: "ALLOW" });
  });

  it("unknown tools are denied", async () => {
    expect(await decide(STAGES, "db.drop", {})).toEqual({
      effect: "DENY",
      ruleIds: [],
      reasons: ["tool 'db.drop' is not among the policy's tools; unknown tools are denied"],
      decidedBy: "unknown_tool",
    });
  });

  it("R3 [C19] the default posture decides when no rule does", async () => {
    const allowAll = { posture: "allow" as const };
    expect(
      await decide(
        "allow db.query when args.limit > 10",
        "db.query",
        { sql: "s", table: "customers" },
        allowAll,
      ),
    ).toEqual({
      effect: "ALLOW",
      ruleIds: [],
      reasons: ["no rule decided; the policy's default posture is allow"],
      decidedBy: "default",
    });
    expect(
      await decide("allow db.query when args.limit > 10", "db.query", { sql: "s", table: "customers" }),
    ).toMatchObject({
      effect: "DENY",
      decidedBy: "default",
    });
  });

  it("a context value of the wrong type fails closed, in and / or and in comparisons alike", async () => {
    const decls = `context open: bool, limit: number
@id("closed") deny send_money when not context.open and args.amount > 10
@id("over") deny send_money when args.amount > context.limit or args.amount > 90000
allow send_money`;
    const p = await loadTest(kind, decls);
    const s = p.openSession({ identity: {}, context: { open: "yes", limit: "many" } });
    expect(
      outcome(s.decide({ tool: "send_money", args: { recipient: "CH93", amount: 50, currency: "EUR" } })),
    ).toEqual({
      effect: "DENY",
      ruleIds: ["closed", "over"],
      reasons: [
        "rule 'closed' failed ('not' needs a boolean, got string); failing closed",
        "rule 'over' failed (cannot order number and string); failing closed",
      ],
      errors: [
        { ruleId: "closed", message: "'not' needs a boolean, got string", at: expect.any(Array) },
        { ruleId: "over", message: "cannot order number and string", at: expect.any(Array) },
      ],
      decidedBy: "error",
    });
    // ...but a false operand still absorbs the error (Kleene): 5 > 10 is false, so `closed` does not match.
    const t = p.openSession({ identity: {}, context: { open: "yes", limit: 10 } });
    const d = t.decide({ tool: "send_money", args: { recipient: "CH93", amount: 5, currency: "EUR" } });
    expect(d.ruleIds).toEqual(["allow-7"]);
    expect(d.effect).toBe("ALLOW");
  });

  it("`and` with a non-boolean operand is an error, not false", async () => {
    const p = await loadTest(
      kind,
      `context open: bool\n@id("gate") deny send_money when context.open and args.amount > 10\nallow send_money`,
    );
    const s = p.openSession({ identity: {}, context: { open: "yes" } });
    const d = s.decide({ tool: "send_money", args: { recipient: "CH93", amount: 50, currency: "EUR" } });
    expect(d.effect).toBe("DENY");
    expect(d.errors).toEqual([
      { ruleId: "gate", message: "'and' needs booleans, got string", at: expect.any(Array) },
    ]);
  });
});

describe.each<EvaluatorKind>(["interpreter", "compiled"])("budget (%s)", (kind) => {
  const decls = `@id("scan") deny db.query when args.sql contains "secret"\n@id("ok") allow db.query`;
  const args = { sql: "select name from customers", table: "customers" };

  it("a rule that would exceed the budget fails closed: DENY, naming the budget", async () => {
    const p = await loadTest(kind, decls, { budget: 20 });
    const d = p.openSession({ identity: {} }).decide({ tool: "db.query", args });
    expect(outcome(d)).toEqual({
      effect: "DENY",
      ruleIds: ["scan"],
      reasons: ["rule 'scan' failed (decision budget exceeded (20 units)); failing closed"],
      errors: [{ ruleId: "scan", message: "decision budget exceeded (20 units)", at: ruleAt(p, "scan") }],
      decidedBy: "budget",
    });
  });

  it("charges one unit per node plus the input size per scanning operation, per decision", async () => {
    // scan: 1 + 3 nodes + 1 scan × 56 characters of input = 60; ok (no condition): 1. In all 61.
    expect(JSON.stringify(args).length).toBe(56);
    const over = async (budget: number) => {
      const p = await loadTest(kind, decls, { budget });
      const s = p.openSession({ identity: {} });
      return [s.decide({ tool: "db.query", args }), s.decide({ tool: "db.query", args })].map((d) =>
        (d.errors ?? []).map((e) => e.ruleId),
      );
    };
    expect(await over(59)).toEqual([["scan"], ["scan"]]);
    expect(await over(60)).toEqual([["ok"], ["ok"]]);
    const enough = await loadTest(kind, decls, { budget: 61 });
    const t = enough.openSession({ identity: {} });
    expect(t.decide({ tool: "db.query", args }).effect).toBe("ALLOW");
    expect(t.decide({ tool: "db.query", args }).effect).toBe("ALLOW");
  });

  it("a forbid rule over budget denies as well", async () => {
    const p = await loadTest(kind, `@id("f") forbid db.query when args.sql contains "x"\nallow db.query`, {
      budget: 5,
    });
    expect(outcome(p.openSession({ identity: {} }).decide({ tool: "db.query", args }))).toMatchObject({
      effect: "DENY",
      ruleIds: ["f"],
      reasons: ["forbid rule 'f' failed (decision budget exceeded (5 units)); failing closed"],
      decidedBy: "budget",
    });
  });
});

describe("evaluator failures fail closed", () => {
  const decls = `@id("d") deny db.query when args.table == "customers"\n@id("a") allow db.query`;
  const args = { sql: "select 1", table: "test_data" };
  async function withEvaluator(wrap: (e: Evaluator) => Evaluator): Promise<Record<string, unknown>> {
    const base = await loadTest("interpreter", decls);
    const p = await loadTest("interpreter", decls, { evaluator: wrap(base.evaluator) });
    return outcome(p.openSession({ identity: {} }).decide({ tool: "db.query", args }));
  }

  it("an error value", async () => {
    const err = new EvalError("kaput", [1, 2]);
    expect(
      await withEvaluator((e) => ({ ...e, rule: (i, env) => (i === 0 ? err : e.rule(i, env)) })),
    ).toEqual({
      effect: "DENY",
      ruleIds: ["d"],
      reasons: ["rule 'd' failed (kaput); failing closed"],
      errors: [{ ruleId: "d", message: "kaput", at: [1, 2] }],
      decidedBy: "error",
    });
  });

  it("an error in a validate constraint: DENY by validation, naming the error", async () => {
    const decls2 = `validate db.query { len(args.sql) < 100 because "short queries" }\nallow db.query`;
    const base = await loadTest("interpreter", decls2);
    const err = new EvalError("kaput", [3, 4]);
    const p = await loadTest("interpreter", decls2, {
      evaluator: { ...base.evaluator, constraint: () => err },
    });
    expect(outcome(p.openSession({ identity: {} }).decide({ tool: "db.query", args }))).toEqual({
      effect: "DENY",
      ruleIds: [],
      reasons: ["argument validation failed: short queries (kaput)"],
      errors: [{ ruleId: "validate", message: "kaput", at: [3, 4] }],
      decidedBy: "validation",
    });
  });

  it("a value that is not a condition", async () => {
    expect(await withEvaluator((e) => ({ ...e, rule: () => "yes" }))).toMatchObject({
      effect: "DENY",
      reasons: ["rule 'd' failed (a condition must be boolean, got string); failing closed"],
      decidedBy: "error",
    });
  });

  it("an exception", async () => {
    const thrower = (e: Evaluator): Evaluator => ({
      ...e,
      rule: () => {
        throw new Error("evaluator crashed");
      },
    });
    expect(await withEvaluator(thrower)).toEqual({
      effect: "DENY",
      ruleIds: [],
      reasons: ["internal error while deciding (evaluator crashed); failing closed"],
      decidedBy: "error",
    });
  });

  it("an error in a lower tier does not matter once a higher tier decided", async () => {
    const err = new EvalError("kaput", [1, 2]);
    const base = await loadTest("interpreter", decls);
    const p = await loadTest("interpreter", decls, {
      evaluator: { ...base.evaluator, rule: (i, env) => (i === 1 ? err : base.evaluator.rule(i, env)) },
    });
    const s = p.openSession({ identity: {} });
    expect(outcome(s.decide({ tool: "db.query", args: { sql: "s", table: "customers" } }))).toEqual({
      effect: "DENY",
      ruleIds: ["d"],
      reasons: ["deny rule 'd' matched"],
      decidedBy: "rules",
    });
    expect(s.decide({ tool: "db.query", args }).decidedBy).toBe("error");
  });
});
