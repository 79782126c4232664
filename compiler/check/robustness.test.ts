import { describe, expect, it } from "vitest";
import { makeSource, parse } from "../../language/index.js";
import { checkPolicy } from "./index.js";
import { PRELUDE, TOOLS, checkText } from "./test-support/harness.js";

const FULL = `${PRELUDE}levels LOW < HIGH
labels PII
const internal = ["corp.example"]
context env: "prod" | "staging"
bind read_file(path) to file.open
on result db.query when args.table == "customers" { label PII, HIGH }
validate send_money { args.amount > 0 because "positive" }
@id("x") forbid db.query when args.sql matches /(?i)drop/
forbid net.connect to 203.0.113.0/24 port 22, 8000..8100
deny email.send when session.labels has PII and any domain(args.to) not in internal
@priority(60) step_up db.delete when request mentions "x" approvers 2 of ["a", "b"] timeout 10m escalate to ["c"] after 5m
modify db.query when args.limit > 100 { set args.limit = 100; redact args.sql }
deny * when count(email.send within 1h) >= 10 or sequence(db.query, http.post within 10m)
allow email.send, db.query
`;

describe("robustness", () => {
  it("never throws on any prefix of a policy (recovered parses)", () => {
    for (let n = 0; n <= FULL.length; n += 3) {
      const source = makeSource("p.aarm", FULL.slice(0, n));
      const parsed = parse(source);
      const toolFiles = parsed.ast.decls.flatMap((d) =>
        d.kind === "ToolsDecl" ? [{ decl: d, tools: TOOLS, failed: false }] : [],
      );
      expect(() => checkPolicy({ source, ast: parsed.ast, toolFiles, syntaxErrors: true })).not.toThrow();
    }
  });
  it("handles the deepest condition the parser accepts without overflowing the stack", () => {
    const chain = Array.from({ length: 255 }, (_, i) => `args.subject == "s${i}"`).join(" or ");
    let cond = 'args.body contains "x"';
    for (let i = 0; i < 60; i++) cond = `(${cond}) or ${chain}`;
    const c = checkText(`deny email.send when ${cond}`);
    expect(c.parseDiagnostics).toEqual([]);
    expect(c.diagnostics).toEqual([]);
    expect(c.model!.rules[0]!.cost).toBeGreaterThan(15_000);
  });
  it("checks a large policy in reasonable time", () => {
    const rules: string[] = [];
    for (let i = 0; i < 2000; i++) {
      const tool = i % 3 ? "email.send" : "db.query";
      const cond =
        i % 3
          ? `args.subject == "s${i}" and session.level >= HIGH`
          : `args.table in ["orders"] and args.sql matches /x${i}/`;
      rules.push(`${i % 2 ? "allow" : "deny"} ${tool} when ${cond}`);
    }
    const start = performance.now();
    const c = checkText(`levels LOW < HIGH\n${rules.join("\n")}`);
    const ms = performance.now() - start;
    expect(
      c.diagnostics
        .filter((d) => d.severity === "error")
        .map((d) => d.message)
        .slice(0, 3),
    ).toEqual([]);
    // Generous: this guards against quadratic blow-ups, not against a slow machine.
    expect(ms).toBeLessThan(15_000);
  });
});
