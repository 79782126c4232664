/**
 * MODIFY: applying `set`, `cap` and `redact` to a copy of the arguments. Two modifications of the same path with
 * different results conflict (→ DEFER); an error or unknown value in a modification fails closed or defers.
 */
import type { IrModification } from "../ir/index.js";
import { EvalError, UNKNOWN, valueEquals } from "../eval/values.js";
import type { DecideInput } from "./core.js";
import type { Decision } from "./decision.js";
import { contextNeeds, type RulePlan } from "./plan.js";

/** The text that replaces a redacted value. */
export const REDACTED = "[REDACTED]";

function setPath(root: Record<string, unknown>, path: readonly (string | number)[], value: unknown): void {
  let cur: unknown = root;
  for (let i = 0; i < path.length - 1; i++) {
    const k = path[i]!;
    const next = (cur as Record<string | number, unknown>)[k];
    if (next === null || typeof next !== "object") {
      const created: Record<string, unknown> | unknown[] = typeof path[i + 1] === "number" ? [] : {};
      (cur as Record<string | number, unknown>)[k] = created;
      cur = created;
    } else cur = next;
  }
  (cur as Record<string | number, unknown>)[path[path.length - 1]!] = value;
}

function getPathRaw(root: unknown, path: readonly (string | number)[]): unknown {
  let cur = root;
  for (const k of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string | number, unknown>)[k];
  }
  return cur;
}

function newValue(m: IrModification, current: unknown, value: unknown): { set: boolean; value?: unknown } {
  if (m.kind === "redact") return current === undefined || current === null ? { set: false } : { set: true, value: REDACTED };
  if (m.kind === "cap") {
    return typeof current === "number" && typeof value === "number" && current > value ? { set: true, value } : { set: false };
  }
  return { set: true, value };
}

/** Apply the modifications of the matched modify rules (in rule order). */
export function applyModifications(input: DecideInput, matched: readonly RulePlan[], ruleIds: string[], reasons: string[]): Decision {
  const args = structuredClone(input.env.args) as Record<string, unknown>;
  const written = new Map<string, { value: unknown; rule: string }>();
  for (const p of matched) {
    for (let i = 0; i < p.rule.mods.length; i++) {
      const m = p.rule.mods[i]!;
      const v = m.value === null ? null : input.evaluator.mod(p.index, i, input.env);
      if (v instanceof EvalError) {
        return {
          effect: "DENY",
          ruleIds,
          reasons: [`modification in rule '${p.rule.id}' failed (${v.message}); failing closed`],
          errors: [{ ruleId: p.rule.id, message: v.message, at: v.at }],
          decidedBy: "error",
        };
      }
      if (v === UNKNOWN) {
        // What the value reads (the rule's condition, which matched, may read nothing unknown).
        const needs = [...contextNeeds(m.value)].sort();
        return {
          effect: "DEFER",
          ruleIds,
          reasons: [`modification in rule '${p.rule.id}' needs ${needs.join(", ") || "context"} that is not known yet`],
          defer: { trigger: "unknown_context", waitingFor: needs, timeoutMs: null },
          decidedBy: "rules",
        };
      }
      const key = JSON.stringify(m.path);
      // Each modification applies to the original arguments, so the outcome does not depend on the rules' order:
      // `cap at 100` and `cap at 200` of 500 are two different results (a conflict) whichever comes first.
      const nv = newValue(m, getPathRaw(input.env.args, m.path), v);
      if (!nv.set) continue;
      const prev = written.get(key);
      if (prev && !valueEquals(prev.value, nv.value)) {
        return {
          effect: "DEFER",
          ruleIds,
          reasons: [`rules '${prev.rule}' and '${p.rule.id}' modify args.${m.path.join(".")} differently`],
          defer: { trigger: "conflict", waitingFor: [], timeoutMs: null },
          decidedBy: "rules",
        };
      }
      written.set(key, { value: nv.value, rule: p.rule.id });
      // A copy: the value may be a policy constant, and the modified arguments are the host's to change.
      setPath(args, m.path, structuredClone(nv.value));
    }
  }
  return { effect: "MODIFY", ruleIds, reasons, modifiedArgs: args, decidedBy: "rules" };
}
