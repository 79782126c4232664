/**
 * Determinism (docs/semantics.md, "Inputs"): the same (action, context, policy) always gives the same decision.
 * A random policy and a random session history are replayed in fresh sessions — of the same loaded policy, and
 * of a second policy loaded from a JSON round trip of the IR with a different clock — and every decision,
 * classification, label and level must be deep-equal. Deciding must not modify the arguments it was given.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadPolicy } from "../../runtime/api.js";
import { drawFrom } from "./draw.js";
import { genPolicy } from "./gen-policy.js";
import { genScript } from "./gen-session.js";
import { compileGenerated, runScript, sharedValidator, T0 } from "./run.js";

const POLICIES = Number(process.env["AARM_DET_POLICIES"] ?? 40);
const SESSIONS = 5;

describe("decisions are deterministic", () => {
  it("replaying a history in fresh sessions gives deep-equal decisions, whatever the clock says", async () => {
    let cases = 0;
    let decisions = 0;
    await fc.assert(
      fc.asyncProperty(fc.gen(), async (g) => {
        const d = drawFrom(g);
        const policy = genPolicy(d, 0);
        const result = compileGenerated(policy.text);
        if (!result.ir) return;
        const validator = sharedValidator(result.ir);
        const first = loadPolicy(result.ir, { clock: () => T0, validator });
        const other = loadPolicy(JSON.parse(JSON.stringify(result.ir)), {
          clock: () => T0 + 987_654_321,
          validator,
        });
        expect(other.hash).toBe(first.hash);
        for (let i = 0; i < SESSIONS; i++) {
          const script = genScript(d, policy.focus);
          const argsBefore = JSON.stringify(script);
          const a = runScript(first, script, "replay");
          const b = runScript(first, script, "replay");
          const c = runScript(other, script, "replay");
          const why = `policy:\n${policy.text}\nscript: ${argsBefore}`;
          expect(b, why).toEqual(a);
          // Only the log's own timestamps (session open, results, context updates) come from the clock.
          expect({ ...c, logHead: "" }, why).toEqual({ ...a, logHead: "" });
          expect(JSON.stringify(script), "deciding modified the action's arguments").toBe(argsBefore);
          cases++;
          decisions += a.decisions.length;
        }
      }),
      { numRuns: POLICIES, endOnFailure: true },
    );
    expect(cases).toBeGreaterThanOrEqual(POLICIES * SESSIONS * 0.8);
    expect(decisions).toBeGreaterThan(cases);
  });
});
