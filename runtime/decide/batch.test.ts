import { describe, expect, it } from "vitest";
import type { Evaluator } from "./core.js";
import { loadTest, outcome } from "./test-support/policies.js";

const POLICY = `
@id("big") deny send_money when args.amount > 1000 because "too much"
@id("odd") deny send_money when args.memo contains "urgent" and args.currency == "CHF"
@id("eur") allow send_money when args.currency == "EUR"
@id("any") @priority(10) defer send_money when args.recipient matches /^XX/
`;

const REQUESTS = [
  { recipient: "DE12", amount: 10, currency: "EUR" },
  { recipient: "DE12", amount: 5000, currency: "EUR" },
  { recipient: "CH12", amount: 10, currency: "CHF", memo: "urgent please" },
  { recipient: "XX99", amount: 10, currency: "USD" },
  { recipient: "DE12", amount: 10, currency: "USD" },
];

/** The same evaluator with its own `rule` in place of the generated one: no batch. */
const oneByOne = (e: Evaluator): Evaluator => ({ ...e, kind: e.kind, rule: (i, env) => e.rule(i, env) });

describe("the generated evaluator's batch of a tool's conditions", () => {
  it("is used when the tool's whole cost fits the budget: one evaluator call for every rule of the tool", async () => {
    const p = await loadTest("compiled", POLICY);
    const calls = () => (p.evaluator as Evaluator & { calls: number }).calls;
    const before = calls();
    p.openSession({ identity: {} }).decide({ tool: "send_money", args: REQUESTS[0]!, time: 1 });
    expect(calls() - before).toBe(1);
  });

  it("gives the same decisions as evaluating rule by rule", async () => {
    const batched = await loadTest("compiled", POLICY);
    const base = await loadTest("compiled", POLICY);
    // (loadTest keeps a given evaluator only on its "interpreter" path.)
    const single = await loadTest("interpreter", POLICY, { evaluator: oneByOne(base.evaluator) });
    expect(single.evaluator.kind).toBe("compiled");
    for (const args of REQUESTS) {
      const a = outcome(batched.openSession({ identity: {} }).decide({ tool: "send_money", args, time: 1 }));
      const b = outcome(single.openSession({ identity: {} }).decide({ tool: "send_money", args, time: 1 }));
      expect(a).toEqual(b);
    }
  });

  it("is not used when the budget could run out: rules are then charged one at a time, and the budget denies", async () => {
    // A budget of 3 units runs out at the first rule, before anything is evaluated: no batch was called.
    const p = await loadTest("compiled", POLICY, { budget: 3 });
    const calls = () => (p.evaluator as Evaluator & { calls: number }).calls;
    const before = calls();
    const d = p.openSession({ identity: {} }).decide({ tool: "send_money", args: REQUESTS[0]!, time: 1 });
    expect(d.effect).toBe("DENY");
    expect(d.decidedBy).toBe("budget");
    expect(calls() - before).toBe(0);
  });

  it("never bypasses an evaluator whose rule function was replaced (a crashing one denies)", async () => {
    const base = await loadTest("compiled", POLICY);
    const crashing: Evaluator = {
      ...base.evaluator,
      kind: base.evaluator.kind,
      rule: () => {
        throw new Error("crashed");
      },
    };
    const p = await loadTest("interpreter", POLICY, { evaluator: crashing });
    const d = p.openSession({ identity: {} }).decide({ tool: "send_money", args: REQUESTS[0]!, time: 1 });
    expect(d.effect).toBe("DENY");
    expect(d.reasons.join(" ")).toContain("crashed");
  });
});
