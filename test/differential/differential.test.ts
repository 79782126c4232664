/**
 * Differential test of the two evaluators: random well-typed policies (gen-policy.ts) over tools.json, each
 * compiled once, and random sessions (gen-session.ts) run through the reference interpreter and through the
 * generated JS evaluator. Every observable — decisions (effect, rule ids, reasons, modified arguments, step-up and
 * defer blocks, errors), classifications of results, labels, level and the context log's hash chain — must be
 * identical.
 *
 * Size: AARM_DIFF_POLICIES policies (default 160) × AARM_DIFF_SESSIONS sessions each (default 13); a case is one
 * session script run through both evaluators.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadPolicy } from "../../runtime/api.js";
import { driftModel } from "../../runtime/drift/index.js";
import { evaluatorFromSource } from "../../runtime/testing.js";
import { drawFrom } from "./draw.js";
import { genPolicy } from "./gen-policy.js";
import { genScript } from "./gen-session.js";
import { compileGenerated, runScript, sharedValidator, T0 } from "./run.js";

/** The built-in drift model, shared: it keeps no state between sessions. */
const DRIFT = driftModel();
const POLICIES = Number(process.env["AARM_DIFF_POLICIES"] ?? 160);
const SESSIONS = Number(process.env["AARM_DIFF_SESSIONS"] ?? 13);
/** Decision budgets: mostly the default, sometimes small enough that rules exceed it (and fail closed). */
const BUDGETS = [undefined, undefined, undefined, 40, 400];

interface Stats {
  generated: number;
  compiled: number;
  cases: number;
  decisions: number;
  effects: Record<string, number>;
  decidedBy: Record<string, number>;
  deferTriggers: Record<string, number>;
  errors: number;
  classifications: number;
  compiledCalls: number;
}

function tally(m: Record<string, number>, k: string): void {
  m[k] = (m[k] ?? 0) + 1;
}

describe("interpreter and compiled evaluator agree", () => {
  it(`on ${POLICIES} random policies × ${SESSIONS} random sessions`, async () => {
    const s: Stats = {
      generated: 0,
      compiled: 0,
      cases: 0,
      decisions: 0,
      effects: {},
      decidedBy: {},
      deferTriggers: {},
      errors: 0,
      classifications: 0,
      compiledCalls: 0,
    };
    await fc.assert(
      fc.asyncProperty(fc.gen(), async (g) => {
        const d = drawFrom(g);
        const policy = genPolicy(d, s.generated);
        s.generated++;
        const result = compileGenerated(policy.text);
        if (!result.ir || !result.evaluatorSource) return; // rejected by the checker: counted, skipped
        s.compiled++;
        const compiled = await evaluatorFromSource(result.evaluatorSource, result.ir.source.sha256);
        expect(compiled.kind).toBe("compiled");
        const budget = d.pick(BUDGETS);
        const options = {
          clock: () => T0,
          validator: sharedValidator(result.ir),
          ...(budget !== undefined ? { budget } : {}),
        };
        const interpreted = loadPolicy(result.ir, options);
        expect(interpreted.evaluator.kind).toBe("interpreter");
        const viaCode = loadPolicy(result.ir, { ...options, evaluator: compiled });
        for (let i = 0; i < SESSIONS; i++) {
          const script = genScript(d, policy.focus);
          const before = compiled.calls;
          // Every other session has a drift model, so that `drift` and `session.drift` are known values there.
          const drift = i % 2 === 0 ? DRIFT : undefined;
          const a = runScript(interpreted, script, `s${i}`, drift);
          const b = runScript(viaCode, script, `s${i}`, drift);
          expect(b, `policy:\n${policy.text}\nscript: ${JSON.stringify(script)}`).toEqual(a);
          // A decision by a rule tier evaluated at least one condition, and on the compiled path that is a call.
          const byRules = a.decisions.filter((x) => x.decidedBy === "rules").length;
          expect(compiled.calls - before).toBeGreaterThanOrEqual(byRules);
          s.compiledCalls += compiled.calls - before;
          s.cases++;
          s.classifications += a.classifications.length;
          for (const x of a.decisions) {
            s.decisions++;
            tally(s.effects, x.effect);
            tally(s.decidedBy, x.decidedBy);
            if (x.defer) tally(s.deferTriggers, x.defer.trigger);
            if (x.errors) s.errors++;
          }
        }
      }),
      // No shrinking: one run is a compile and SESSIONS sessions, and the message already holds policy and script.
      { numRuns: POLICIES, endOnFailure: true },
    );
    console.log(`differential: ${JSON.stringify({ ...s, compileRate: s.compiled / s.generated })}`);
    expect(s.compiled / s.generated).toBeGreaterThanOrEqual(0.8);
    expect(s.cases).toBeGreaterThanOrEqual(Math.min(2000, Math.floor(0.8 * POLICIES * SESSIONS)));
    expect(s.compiledCalls).toBeGreaterThan(0);
    // The generator must reach every kind of outcome, or the agreement above proves little.
    for (const e of ["ALLOW", "DENY", "MODIFY", "STEP_UP", "DEFER"])
      expect(s.effects[e] ?? 0).toBeGreaterThan(0);
    for (const by of ["forbid", "validation", "rules", "default", "unknown_tool", "error"])
      expect(s.decidedBy[by] ?? 0).toBeGreaterThan(0);
    for (const t of ["unknown_context", "conflict", "rule"])
      expect(s.deferTriggers[t] ?? 0).toBeGreaterThan(0);
  });
});
