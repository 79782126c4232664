/**
 * For an action that was not let through: the nearest rule that would have allowed it, and what would have had to
 * be different. Each `allow` or `modify` rule of the tool (or the default posture, when it is allow) is a
 * candidate; its cost is the number of atomic conditions that would have to change — in its own condition, to make
 * it true, and in every rule that outranks it and matched (forbid, a higher tier, a rule of another effect in its
 * tier), to make that one false — plus one for failed argument validation. The cheapest candidate wins; ties go
 * to the higher priority, then to the earlier rule. Atoms are minimal: `a or b` needs one of them, `a and b` both.
 */
import type { DecisionRecord } from "../runtime/api.js";
import type { EvalEnv } from "../runtime/eval/env.js";
import type { Result } from "../runtime/eval/values.js";
import type { IrExpr, IrPolicy, IrRule } from "../runtime/ir/index.js";
import { type NodeValues, operandValues, shownValue, type Shown, valueOf } from "./explain-values.js";

/** An atomic condition that would have had to take another value. */
export interface AtomChange {
  readonly text: string;
  readonly was: string;
  readonly want: boolean;
  readonly operands: readonly { readonly text: string; readonly value: string }[];
}

/** A rule whose outcome would have had to change. */
export interface RuleChange {
  readonly id: string;
  readonly effect: string;
  readonly priority: number | null;
  /** true: the rule must match (the candidate); false: it must not (a rule that outranks it). */
  readonly mustMatch: boolean;
  readonly atoms: readonly AtomChange[];
  /** Set when no condition can be changed (a kernel match): what would have to differ instead. */
  readonly note?: string;
}

export interface Nearest {
  /** The rule id, or null for the default posture. */
  readonly rule: string | null;
  readonly effect: string;
  readonly priority: number | null;
  readonly where: string;
  /** How many conditions would have to change; Infinity (null in JSON) when a rule without a condition stops it. */
  readonly cost: number;
  readonly changes: readonly RuleChange[];
  /** Set when the arguments failed validation: they would have had to pass. */
  readonly validation?: string;
}

export interface NearestInput {
  readonly ir: IrPolicy;
  readonly rules: readonly IrRule[];
  readonly traces: ReadonlyMap<IrRule, { readonly value: Result; readonly values: NodeValues }>;
  readonly env: EvalEnv;
  readonly decision: DecisionRecord;
  readonly shown: Shown;
}

interface Flips {
  readonly cost: number;
  /** Each atom to change, with the value it would need (under a `not`, the opposite of the rule's). */
  readonly atoms: readonly { readonly expr: IrExpr; readonly want: boolean }[];
}

const NONE: Flips = { cost: 0, atoms: [] };
const IMPOSSIBLE: Flips = { cost: Infinity, atoms: [] };

function plus(a: Flips, b: Flips): Flips {
  return { cost: a.cost + b.cost, atoms: [...a.atoms, ...b.atoms] };
}

/** The fewest atoms to change so that `e` evaluates to `want`. */
function flips(e: IrExpr, want: boolean, values: NodeValues, env: EvalEnv): Flips {
  if (e.op === "not") return flips(e.arg, !want, values, env);
  if (e.op === "and" || e.op === "or") {
    const l = flips(e.left, want, values, env);
    const r = flips(e.right, want, values, env);
    // `and` made true, or `or` made false, needs both sides; otherwise one side is enough.
    const both = (e.op === "and") === want;
    if (both) return plus(l, r);
    return l.cost <= r.cost ? l : r;
  }
  if (e.op === "lit") return e.value === want ? NONE : IMPOSSIBLE;
  return valueOf(e, values, env) === want ? NONE : { cost: 1, atoms: [{ expr: e, want }] };
}

const ALLOWING = new Set(["allow", "modify"]);

/** Whether `b`, had it matched, would have stopped candidate `c` (null: the default posture). */
function outranks(b: IrRule, c: IrRule | null): boolean {
  if (b === c) return false;
  // A higher allowing rule would itself have allowed the action; one in the same tier conflicts (DEFER).
  if (ALLOWING.has(b.effect)) return c !== null && b.priority === c.priority && b.effect !== c.effect;
  if (b.priority === null || c === null || c.priority === null) return true;
  return b.priority > c.priority || (b.priority === c.priority && b.effect !== c.effect);
}

function ruleChange(r: IrRule, mustMatch: boolean, f: Flips, input: NearestInput): RuleChange {
  const t = input.traces.get(r)!;
  const text = input.shown.text;
  return {
    id: r.id,
    effect: r.effect,
    priority: r.priority,
    mustMatch,
    atoms: f.atoms.map(({ expr, want }) => ({
      text: text.expr(expr),
      was: shownValue(expr, valueOf(expr, t.values, input.env), input.shown),
      want,
      operands: operandValues(expr, t.values, input.env, input.shown),
    })),
  };
}

function candidate(c: IrRule | null, input: NearestInput): Nearest {
  const changes: RuleChange[] = [];
  let cost = 0;
  if (c !== null && c.cond !== null) {
    const f = flips(c.cond, true, input.traces.get(c)!.values, input.env);
    cost += f.cost;
    if (f.cost > 0) changes.push(ruleChange(c, true, f, input));
  }
  for (const b of input.rules) {
    if (!outranks(b, c)) continue;
    const t = input.traces.get(b)!;
    if (b.kernel !== null) {
      if (!input.decision.ruleIds.includes(b.id)) continue;
      cost += 1;
      changes.push({
        id: b.id,
        effect: b.effect,
        priority: b.priority,
        mustMatch: false,
        atoms: [],
        note: "the action would have to name another resource",
      });
      continue;
    }
    if (t.value === false) continue;
    const f = b.cond === null ? IMPOSSIBLE : flips(b.cond, false, t.values, input.env);
    cost += f.cost;
    changes.push(
      f.cost === Infinity
        ? { ...ruleChange(b, false, NONE, input), note: "it has no condition: it always applies" }
        : ruleChange(b, false, f, input),
    );
  }
  const validation =
    input.decision.decidedBy === "validation" ? input.decision.reasons.join("; ") : undefined;
  if (validation !== undefined) cost += 1;
  return {
    rule: c?.id ?? null,
    effect: c?.effect ?? "allow",
    priority: c?.priority ?? null,
    where: c ? input.shown.text.where(c.at) : "",
    cost,
    changes,
    ...(validation !== undefined ? { validation } : {}),
  };
}

/** The nearest allowing rule, or undefined when no rule can allow the tool (and the default posture is deny). */
export function nearestAllow(input: NearestInput): Nearest | undefined {
  const candidates: (IrRule | null)[] = input.rules.filter((r) => ALLOWING.has(r.effect));
  if (input.ir.default === "allow") candidates.push(null);
  let best: Nearest | undefined;
  for (const c of candidates) {
    const n = candidate(c, input);
    if (
      best === undefined ||
      n.cost < best.cost ||
      (n.cost === best.cost && (n.priority ?? -1) > (best.priority ?? -1))
    )
      best = n;
  }
  return best;
}
