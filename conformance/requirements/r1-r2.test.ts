/**
 * AARM R1 (pre-execution interception) and R2 (context accumulation), through the runtime with mock tools that
 * record whether they ran. Rows of the spec's conformance table are tagged [T<n>], items of the derived catalogue
 * [C<n>] (see cli/conformance/catalog.ts).
 */
import { describe, expect, it } from "vitest";
import { verifyLog, type EvalEnv, type Evaluator } from "../../runtime/index.js";
import { engines, example, expectDecision } from "../scenarios/harness.js";

/** Wrap an evaluator so that every rule evaluation records what the policy engine was given. */
function observing(seen: EvalEnv[]): (e: Evaluator) => Evaluator {
  return (e) => ({ ...e, kind: e.kind, rule: (i, env) => (seen.push(env), e.rule(i, env)), constraint: e.constraint, tag: e.tag, mod: e.mod });
}

const seen: EvalEnv[] = [];

describe.each(await engines(example("aarm-reference"), { wrapEvaluator: observing(seen) }))("R2 context accumulation ($name)", (engine) => {
  it("R2 [T4] [C5] at step N the policy engine receives all prior actions and the data classifications", async () => {
    const a = engine.open({ request: "summarise last week's sign-ups for the team" });
    await a.call("database.query", { sql: "SELECT * FROM customers", limit: 10 }, [{ name: "Ann", email: "ann@corp.example" }]);
    await a.call("database.query", { sql: "SELECT count(*) FROM signups", limit: 10 }, [{ count: 3 }]);
    seen.length = 0;
    await a.call("email.send", { to: ["team@corp.example"], subject: "sign-ups", body: "3 new" });
    const env = seen.at(-1)!;
    expect(env.tool).toBe("email.send");
    expect(env.session.actions).toBe(2);
    expect(env.session.count(["database.query"], -Infinity)).toBe(2);
    expect([...env.session.labels]).toContain("PII");
    expect(env.session.sequence([["database.query"], ["database.query"]], -Infinity)).toBe(true);
  });

  it("R2 [C6] a result nothing classifies counts at the highest sensitivity level", async () => {
    const a = engine.open();
    const o = await a.call("database.query", { sql: "SELECT 1", limit: 1 }, "unclassifiable text");
    expect(o.ran).toBe(true);
    expect(a.session.state.level).toBe(a.session.policy.ir.levels.length - 1);
  });

  it("R2 [C7] the user's original request is in the context the policy sees", async () => {
    const a = engine.open({ request: "Clean up the test data I created yesterday" });
    seen.length = 0;
    await a.call("database.query", { sql: "SELECT 1", limit: 1 });
    expect(seen.at(-1)!.session.request).toBe("Clean up the test data I created yesterday");
  });

  it("R2 [T5] [C8] tampering with a prior context entry is detected at that entry", async () => {
    const a = engine.open({ request: "x" });
    await a.call("database.query", { sql: "SELECT 1", limit: 1 }, [{ n: 1 }]);
    await a.call("email.send", { to: ["a@corp.example"], subject: "s", body: "b" });
    const entries = a.session.state.log.entries.map((e) => ({ ...e }));
    expect(verifyLog(entries).ok).toBe(true);
    for (let j = 0; j < entries.length; j++) {
      const forged = entries.map((e, i) => (i === j ? { ...e, data: { forged: true } } : e));
      const r = verifyLog(forged);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.seq).toBe(entries[j]!.seq);
    }
  });
});

describe.each(await engines(example("aarm-reference")))("R1 interception ($name)", (engine) => {
  it("R1 [C1] a DENY rule matches → the tool never runs, and the decision names the rule and the reason", async () => {
    const a = engine.open({ request: "The CEO says: drop the production database now" });
    const o = await a.call("database.drop_table", { table: "production" });
    expectDecision(o, { effect: "DENY", decidedBy: "forbid" });
    expect(o.ran).toBe(false);
    expect(a.calls).toHaveLength(0);
  });

  it("R1 [C2] a DEFER → the tool does not run while the action is deferred", async () => {
    const a = engine.open();
    const o = await a.call("credentials.rotate", { target: "prod-payments" });
    expect(o.decision.effect).toBe("DEFER");
    expect(a.calls).toHaveLength(0);
  });
});

const crashing = (e: Evaluator): Evaluator => ({
  ...e,
  kind: e.kind,
  rule: () => {
    throw new Error("policy engine unavailable");
  },
  constraint: e.constraint,
  tag: e.tag,
  mod: e.mod,
});

describe.each(await engines(example("aarm-reference"), { wrapEvaluator: crashing }))("R1 fail closed ($name)", (engine) => {
  it("R1 [T3] [C3] the policy engine is unavailable → the action fails, the tool is not called", async () => {
    const a = engine.open({ request: "send the weekly report" });
    const o = await a.call("email.send", { to: ["team@corp.example"], subject: "s", body: "b" });
    expectDecision(o, { effect: "DENY", decidedBy: "error" });
    expect(a.calls).toHaveLength(0);
  });
});

describe.each(await engines(example("aarm-reference"), { budget: Number.MAX_SAFE_INTEGER, cwd: "/tmp" }))("R1 no bypass ($name)", (engine) => {
  it("R1 [C4] no load option turns evaluation off: with every option set, a forbidden action is still denied", async () => {
    const a = engine.open({ context: { confidence: 1 } });
    expectDecision(await a.call("database.drop_table", { table: "production" }), { effect: "DENY", decidedBy: "forbid" });
  });
});
