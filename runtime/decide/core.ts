/**
 * The decision procedure of docs/semantics.md, written once and shared by the reference interpreter and the
 * generated evaluator: they differ only in how a condition is evaluated (the Evaluator). Fail closed: an unknown
 * tool, a validation failure, an evaluation error or an exhausted budget is a DENY with a reason.
 */
import type { IrPolicy } from "../ir/index.js";
import type { EvalEnv } from "../eval/env.js";
import { getPath, truth, type Truth } from "../eval/ops.js";
import { EvalError, type Result, UNKNOWN } from "../eval/values.js";
import type { Decision, RuleError } from "./decision.js";
import { kernelHit } from "./kernel-check.js";
import { jsonLength, jsonLengthBound } from "./json-length.js";
import { applyModifications } from "./modify.js";
import { CONCLUDED_MAX, type RulePlan, type TierPlan, type ToolPlan } from "./plan.js";

/** How conditions are evaluated: by walking the IR, or by generated code. */
export interface Evaluator {
  readonly kind: "interpreter" | "compiled";
  /** The condition of ir.rules[index]; true for a rule without one. */
  rule(index: number, env: EvalEnv): Result;
  /** Constraint `c` of ir.validations[v]. */
  constraint(v: number, c: number, env: EvalEnv): Result;
  /** The condition of ir.tagRules[index]; true without one. */
  tag(index: number, env: EvalEnv): Result;
  /** The value of modification `m` of ir.rules[index]. */
  mod(index: number, m: number, env: EvalEnv): Result;
}

/**
 * The conditions of every rule of `tool` at once, each written to out[rule index] as Evaluator.rule would return
 * it; false when there is no batch for the tool. The generated evaluator's `rule` function carries one as its
 * `batch` property: tied to the function, so that an evaluator wrapped with another `rule` (a tracer, a test's
 * crashing evaluator) is never bypassed. Conditions are pure, so evaluating a tool's rules together gives the same
 * values as one at a time; the core only asks for a batch when the tool's whole static cost fits the budget.
 */
export type RuleBatch = (tool: string, env: EvalEnv, out: Result[]) => boolean;

function batchOf(e: Evaluator): RuleBatch | undefined {
  const b = (e.rule as { batch?: unknown }).batch;
  return typeof b === "function" ? (b as RuleBatch) : undefined;
}

export interface DecideInput {
  readonly ir: IrPolicy;
  readonly plans: ReadonlyMap<string, ToolPlan>;
  readonly evaluator: Evaluator;
  readonly env: EvalEnv;
  /** Validates the arguments against the tool's inputSchema; returns a message naming the path, or null. */
  readonly validateArgs: (tool: string, args: unknown) => string | null;
  /** Budget in cost units for this decision. */
  readonly budget: number;
  /** Working directory for relative paths in bound file arguments. */
  readonly cwd: string;
  /**
   * Scratch space for the evaluator's batch (at least ir.rules.length long), owned by the caller and reused across
   * decisions; without it conditions are evaluated one at a time.
   */
  readonly scratch?: Result[];
}

/** Where a decision without a batch writes nothing. */
const NO_SCRATCH: Result[] = [];

const POLICY_ERROR = (rule: string, e: EvalError): RuleError => ({ ruleId: rule, message: e.message, at: e.at });

function deny(decidedBy: Decision["decidedBy"], ruleIds: string[], reasons: string[], errors?: RuleError[]): Decision {
  // Not `{ ..., ...(errors ? { errors } : {}) }`: V8 builds a literal with a spread on a slow path.
  if (errors === undefined || errors.length === 0) return { effect: "DENY", ruleIds, reasons, decidedBy };
  return { effect: "DENY", ruleIds, reasons, decidedBy, errors };
}

/** One decision's evaluation: its budget, and the batch of condition values when the evaluator gives one. */
class Budget {
  spent = 0;
  /** Condition values by rule index, once the batch ran; undefined until then, null when not batching. */
  values: Result[] | null | undefined;
  constructor(
    readonly limit: number,
    readonly inputSize: number,
    /** The evaluator's batch and where it writes the condition values, when the decision uses one. */
    readonly batch: RuleBatch | null,
    readonly out: Result[],
  ) {
    this.values = batch ? undefined : null;
  }
  get exceeded(): boolean {
    return this.spent > this.limit;
  }
  charge(p: RulePlan): boolean {
    // Actual work, not the checker's static worst case: one unit per expression node, plus the input's size for
    // every operation that may scan it.
    this.spent += 1 + p.nodes + p.scans * this.inputSize;
    return this.spent <= this.limit;
  }
}

/** The condition values of the tool's rules by rule index, running the batch on first use; null when not batching. */
function batchValues(input: DecideInput, budget: Budget): Result[] | null {
  if (budget.values === undefined) {
    budget.values = budget.batch!(input.env.tool, input.env, budget.out) ? budget.out : null;
  }
  return budget.values;
}

function evalRule(input: DecideInput, p: RulePlan, budget: Budget): Truth {
  // With a batch the whole tool's cost was checked against the budget before deciding: no charging per rule.
  const values = batchValues(input, budget);
  if (values !== null) {
    const v = values[p.index]!;
    return v === true || v === false ? v : truth(v, p.rule.at);
  }
  if (!budget.charge(p)) return new EvalError(`decision budget exceeded (${budget.limit} units)`, p.rule.at);
  return truth(input.evaluator.rule(p.index, input.env), p.rule.at);
}

function forbidStage(input: DecideInput, plan: ToolPlan, budget: Budget): Decision | undefined {
  if (plan.forbid.length === 0 && plan.kernel.length === 0) return undefined;
  const ids: string[] = [];
  const reasons: string[] = [];
  const errors: RuleError[] = [];
  const { env, cwd } = input;
  for (const p of plan.forbid) {
    if (p.rule.kernel && !kernelHit(p.rule.kernel, env.tool, env.args, null, cwd)) continue;
    const t = evalRule(input, p, budget);
    if (t === false) continue;
    ids.push(p.rule.id);
    if (t instanceof EvalError) errors.push(POLICY_ERROR(p.rule.id, t));
    reasons.push(t instanceof EvalError ? `forbid rule '${p.rule.id}' failed (${t.message}); failing closed` : p.reason);
  }
  for (const check of plan.kernel) {
    const value = getPath(env.args, check.bind.path);
    // An absent bound argument names no resource. (kernelHit reads a null `bound` as "the action is the kernel
    // action itself" and would check the tool's own `path` / `address` arguments instead.)
    if (value === null) continue;
    for (const p of check.rules) {
      if (!p.rule.kernel || !kernelHit(p.rule.kernel, check.bind.target, env.args, value, cwd)) continue;
      ids.push(p.rule.id);
      reasons.push(`${p.reason} (argument ${check.bind.path.join(".")} is a ${check.bind.target} target)`);
    }
  }
  if (ids.length === 0) return undefined;
  return deny(errors.length > 0 && errors.length === ids.length ? "error" : "forbid", ids, reasons, errors);
}

function validationStage(input: DecideInput, plan: ToolPlan): Decision | undefined {
  const { ir, env } = input;
  const bad = input.validateArgs(env.tool, env.args);
  if (bad !== null) return deny("validation", [], [`argument validation failed: ${bad}`]);
  for (const v of plan.validations) {
    const val = ir.validations[v]!;
    for (let c = 0; c < val.constraints.length; c++) {
      const con = val.constraints[c]!;
      const t = truth(input.evaluator.constraint(v, c, env), con.at);
      if (t === true) continue;
      const what = con.reason ?? `constraint at ${ir.source.file}[${con.at[0]},${con.at[1]}]`;
      if (t instanceof EvalError) {
        return deny("validation", [], [`argument validation failed: ${what} (${t.message})`], [POLICY_ERROR("validate", t)]);
      }
      return deny("validation", [], [`argument validation failed: ${what}`]);
    }
  }
  return undefined;
}

function unknownNeeds(input: DecideInput, plans: readonly RulePlan[]): string[] {
  const s = input.env.session;
  const out = new Set<string>();
  for (const p of plans) {
    for (const n of p.needs) {
      const known =
        n === "request"
          ? s.request !== UNKNOWN
          : n === "drift"
            ? input.env.drift !== UNKNOWN
            : n === "session.drift"
              ? s.drift !== UNKNOWN
              : n.startsWith("identity.")
                ? s.identity(n.slice(9) as never) !== UNKNOWN
                : s.context(n.slice(8)) !== UNKNOWN;
      if (!known) out.add(n);
    }
  }
  return [...out].sort();
}

function minTimeout(ps: readonly RulePlan[]): number | null {
  const ts = ps.map((p) => p.rule.timeoutMs).filter((t): t is number => t !== null);
  return ts.length > 0 ? Math.min(...ts) : null;
}

/** Whether the live rules of a tier disagree on the effect (then the tier is a conflict). */
function mixedEffects(matched: readonly RulePlan[], maybe: readonly RulePlan[]): boolean {
  if (matched.length + maybe.length === 1) return false;
  const effect = (matched[0] ?? maybe[0])!.effect;
  for (const p of matched) if (p.effect !== effect) return true;
  for (const p of maybe) if (p.effect !== effect) return true;
  return false;
}

/** The empty list a tier starts with (never pushed to: a list is allocated once a rule past the 31st is live). */
const NONE: RulePlan[] = [];

/** The rules of a tier whose bits are set (rules[i] at bit i, i < 31), then those of `rest` (rules past the 31st). */
function rulesAt(rules: readonly RulePlan[], bits: number, rest: RulePlan[]): RulePlan[] {
  if (bits === 0) return rest;
  const out: RulePlan[] = [];
  for (let i = 0; i < 31 && bits >= 1 << i; i++) if ((bits & (1 << i)) !== 0) out.push(rules[i]!);
  for (const p of rest) out.push(p);
  return out;
}

function tierStage(input: DecideInput, plan: ToolPlan, budget: Budget): Decision | undefined {
  const none = NONE;
  // With a batch, the loop reads each rule's value by the tier's list of rule indexes and only looks at the rule's
  // plan when the value is not false.
  const values = plan.tiers.length > 0 ? batchValues(input, budget) : null;
  for (const tier of plan.tiers) {
    // Which of the first 31 rules matched or are unknown, as bits (rules[i] at bit i); lists only for rules past
    // the 31st. So a decision allocates nothing for the rules it matches.
    let hit = 0;
    let unknown = 0;
    let matched = none;
    let maybe = none;
    let errors: RuleError[] | undefined;
    const rules = tier.rules;
    const indexes = tier.indexes;
    for (let i = 0; i < rules.length; i++) {
      let t: Truth;
      if (values !== null) {
        const v = values[indexes[i]!]!;
        if (v === false) continue;
        t = v === true ? v : truth(v, rules[i]!.rule.at);
      } else t = evalRule(input, rules[i]!, budget);
      if (t === true) {
        if (i < 31) hit |= 1 << i;
        else (matched === none ? (matched = []) : matched).push(rules[i]!);
      } else if (t === UNKNOWN) {
        if (i < 31) unknown |= 1 << i;
        else (maybe === none ? (maybe = []) : maybe).push(rules[i]!);
      } else if (t instanceof EvalError) (errors ??= []).push(POLICY_ERROR(rules[i]!.rule.id, t));
    }
    if (errors) {
      const ids = errors.map((e) => e.ruleId);
      return deny("error", ids, errors.map((e) => `rule '${e.ruleId}' failed (${e.message}); failing closed`), errors);
    }
    const known = matched === none && maybe === none && unknown === 0;
    if (known) {
      if (hit === 0) continue;
      const d = tier.concluded.get(hit);
      if (d !== undefined) return d;
    }
    return liveOutcome(input, tier, rulesAt(rules, hit, matched), rulesAt(rules, unknown, maybe), matched === none ? hit : -1);
  }
  return undefined;
}

/**
 * The decision of a tier in which some rule matched or is unknown (`matched` or `maybe` is not empty): a conflict,
 * a conclusion or a deferral.
 */
function liveOutcome(input: DecideInput, tier: TierPlan, matched: RulePlan[], maybe: RulePlan[], mask: number): Decision {
  if (tier.effect === null && mixedEffects(matched, maybe)) {
    const live = [...matched, ...maybe];
    const desc = live.map((p) => `'${p.rule.id}' (${p.rule.effect})`).join(", ");
    return {
      effect: "DEFER",
      ruleIds: live.map((p) => p.rule.id),
      reasons: [`conflicting rules at priority ${tier.priority}: ${desc}`],
      defer: { trigger: "conflict", waitingFor: unknownNeeds(input, maybe), timeoutMs: minTimeout(live) },
      decidedBy: "rules",
    };
  }
  // Every live rule has the same effect: if one already matched, the unknown ones cannot change the outcome.
  // (Not for modify and step_up: an unknown rule could still add a modification or a required approval.)
  const effect = matched[0]?.rule.effect;
  if (matched.length > 0 && (maybe.length === 0 || (effect !== "modify" && effect !== "step_up"))) {
    return conclude(input, matched, tier, mask);
  }
  // What is left: unknown rules (and, for modify and step_up, matched ones they could still add to).
  return {
    effect: "DEFER",
    ruleIds: maybe.map((p) => p.rule.id),
    reasons: maybe.map((p) => `rule '${p.rule.id}' needs ${p.needs.join(", ") || "context"} that is not known yet`),
    defer: { trigger: "unknown_context", waitingFor: unknownNeeds(input, maybe), timeoutMs: minTimeout(maybe) },
    decidedBy: "rules",
  };
}

/**
 * The decision of a tier whose matched rules agree. An allow or deny conclusion depends only on which rules
 * matched (`mask`, see tierStage), so the tier remembers it, frozen, instead of building its lists every time.
 */
function conclude(input: DecideInput, matched: RulePlan[], tier: TierPlan, mask: number): Decision {
  const alone = matched.length === 1 ? matched[0]!.alone : null;
  const effect = matched[0]!.effect;
  if ((effect === "allow" || effect === "deny") && mask > 0) {
    const hit = tier.concluded.get(mask);
    if (hit !== undefined) return hit;
    const d = alone ?? build(input, matched);
    if (tier.concluded.size < CONCLUDED_MAX) {
      Object.freeze(d.ruleIds);
      Object.freeze(d.reasons);
      tier.concluded.set(mask, Object.freeze(d));
    }
    return d;
  }
  return alone ?? build(input, matched);
}

function build(input: DecideInput, matched: RulePlan[]): Decision {
  const ruleIds = matched.map((p) => p.rule.id);
  const reasons = matched.map((p) => p.reason);
  switch (matched[0]!.effect) {
    case "deny":
    case "forbid":
      return deny("rules", ruleIds, reasons);
    case "allow":
      return { effect: "ALLOW", ruleIds, reasons, decidedBy: "rules" };
    case "defer":
      return {
        effect: "DEFER",
        ruleIds,
        reasons,
        defer: { trigger: "rule", waitingFor: [], timeoutMs: minTimeout(matched) },
        decidedBy: "rules",
      };
    case "step_up":
      return {
        effect: "STEP_UP",
        ruleIds,
        reasons,
        stepUp: {
          approvals: matched.map((p) => ({
            ruleId: p.rule.id,
            quorum: p.rule.approvers?.quorum ?? { kind: "any" },
            groups: p.rule.approvers?.groups ?? [],
            escalation: p.rule.escalation,
          })),
          timeoutMs: minTimeout(matched),
        },
        decidedBy: "rules",
      };
    case "modify":
      return applyModifications(input, matched, ruleIds, reasons);
  }
}

/** Decide one action. Never throws for a valid IR and plan. */
export function decideAction(input: DecideInput): Decision {
  const { env } = input;
  const plan = input.plans.get(env.tool);
  if (!plan) {
    return deny("unknown_tool", [], [`tool '${env.tool}' is not among the policy's tools; unknown tools are denied`]);
  }
  // When even evaluating every rule of the tool fits the budget, the budget cannot run out: the evaluator may then
  // evaluate the tool's conditions as one batch (one hot function per tool instead of one cold function per rule).
  // An upper bound of the input's size decides that; the exact size is only needed to charge rule by rule.
  const { scratch } = input;
  const run = scratch ? batchOf(input.evaluator) : undefined;
  let inputSize = 0;
  let batch: RuleBatch | null = null;
  try {
    const bound = jsonLengthBound(env.args); // also: throws when the arguments are not JSON
    if (run && plan.cost.nodes + plan.cost.scans * bound <= input.budget) batch = run;
    inputSize = batch ? bound : jsonLength(env.args);
  } catch {
    return deny("validation", [], ["argument validation failed: the arguments are not JSON"]);
  }
  const budget = new Budget(input.budget, inputSize, batch, scratch ?? NO_SCRATCH);
  const d = forbidStage(input, plan, budget) ?? validationStage(input, plan) ?? tierStage(input, plan, budget) ?? plan.fallback;
  // Running out of budget surfaces as a rule error (the rule could not be evaluated); name the real cause.
  return budget.exceeded && d.decidedBy === "error" ? { ...d, decidedBy: "budget" } : d;
}
