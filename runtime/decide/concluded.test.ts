import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadPolicy } from "../api.js";
import { CONCLUDED_MAX } from "./plan.js";
import { compileTest, outcome } from "./test-support/policies.js";

const MONEY = { recipient: "CH93", amount: 50, currency: "EUR" };

/** A tier of `n` deny rules and a tier of `n` allow rules, each rule on its own context field. */
function manyRules(n: number): string {
  const fields = Array.from({ length: n }, (_, i) => `d${i}: bool, a${i}: bool`).join(", ");
  const deny = Array.from(
    { length: n },
    (_, i) => `@id("D${i}") deny send_money when context.d${i} because "deny ${i}"`,
  );
  const allow = Array.from({ length: n }, (_, i) => `@id("A${i}") allow send_money when context.a${i}`);
  return [`context ${fields}`, ...deny, ...allow].join("\n");
}

/** Context values: true, false, or left unset (unknown) for each field. */
const contexts = (n: number) =>
  fc.array(fc.constantFrom<boolean | undefined>(true, true, false, undefined), {
    minLength: 2 * n,
    maxLength: 2 * n,
  });

function contextOf(n: number, values: readonly (boolean | undefined)[]): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (let i = 0; i < n; i++) {
    if (values[i] !== undefined) out[`d${i}`] = values[i]!;
    if (values[n + i] !== undefined) out[`a${i}`] = values[n + i]!;
  }
  return out;
}

describe("remembered tier conclusions", () => {
  // 8 rules a tier: more sets of matching rules (256) than a tier remembers; 35: past the 31 rules the set is
  // remembered for (the rest is built every time).
  it.each([8, 35])("are the decisions a policy that remembers nothing gives (%i rules a tier)", (n) => {
    expect(2 ** 8).toBeGreaterThan(CONCLUDED_MAX);
    const { ir } = compileTest(manyRules(n));
    const warm = loadPolicy(ir, { clock: () => 1_000 });
    fc.assert(
      fc.property(fc.array(contexts(n), { minLength: 1, maxLength: 20 }), (runs) => {
        for (const values of runs) {
          const context = contextOf(n, values);
          const decide = (p: typeof warm) =>
            outcome(
              p
                .openSession({ identity: {}, context })
                .decide({ tool: "send_money", args: MONEY, time: 1_000 }),
            );
          // A policy loaded afresh has remembered nothing; the warm one has seen every earlier run.
          const fresh = loadPolicy(ir, { clock: () => 1_000 });
          const first = decide(warm);
          expect(first).toEqual(decide(fresh));
          expect(decide(warm)).toEqual(first);
        }
      }),
      { numRuns: 20 },
    );
  });

  it("are frozen: a caller cannot change what a later decision returns", () => {
    const { ir } = compileTest(manyRules(3));
    const p = loadPolicy(ir, { clock: () => 1_000 });
    const session = p.openSession({
      identity: {},
      context: contextOf(3, [true, true, false, false, false, false]),
    });
    const decide = () =>
      p.decideIn(session.state, {
        id: "x",
        tool: "send_money",
        args: MONEY,
        time: 1_000,
        session: session.id,
      });
    const d = decide();
    expect(d.ruleIds).toEqual(["D0", "D1"]);
    expect(() => (d.ruleIds as string[]).push("X")).toThrow(TypeError);
    expect(() => (d.reasons as string[]).pop()).toThrow(TypeError);
    expect(decide()).toEqual({
      effect: "DENY",
      ruleIds: ["D0", "D1"],
      reasons: ["deny 0", "deny 1"],
      decidedBy: "rules",
    });
  });
});
