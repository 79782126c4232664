/**
 * The per-tool plan, built once when a policy is loaded: for every tool, its forbid rules, the kernel rules its
 * bound arguments fall under, its validations, and its other rules grouped into priority tiers (highest first).
 * A decision only touches the plan of its own tool, so its cost does not grow with rules written for other tools.
 */
import type { IrBind, IrExpr, IrPolicy, IrRule } from "../ir/index.js";
import type { Decision } from "./decision.js";

export interface RulePlan {
  readonly index: number;
  readonly rule: IrRule;
  /** rule.effect, kept here too: the tier loop reads it for every matching rule. */
  readonly effect: IrRule["effect"];
  /** The context this rule's condition reads (for DEFER reasons): `context.x`, `request`, `identity.role`, ... */
  readonly needs: readonly string[];
  /** Number of expression nodes in the condition. */
  readonly nodes: number;
  /** Operations that scan the input (charged input-size units each). */
  readonly scans: number;
  /** The reason a decision gives when this rule matched: the rule's own, or one naming the rule. */
  readonly reason: string;
  /**
   * For an allow or deny rule: the decision when it is the only rule of its tier that matched, built once (and
   * frozen) instead of on every decision.
   */
  readonly alone: Decision | null;
}

export interface KernelCheck {
  readonly bind: IrBind;
  readonly rules: readonly RulePlan[];
}

/** One priority tier of a tool: its rules in rule order. */
export interface TierPlan {
  readonly priority: number;
  readonly rules: readonly RulePlan[];
  /** rules[i].index for every i, side by side: what the tier loop reads for every rule. */
  readonly indexes: Int32Array;
  /** The effect every rule of the tier has, or null when they differ (then matches may conflict). */
  readonly effect: IrRule["effect"] | null;
  /**
   * The allow and deny decisions this tier has concluded, by which of its first 31 rules matched (bit i for
   * rules[i]); frozen, shared, and bounded (CONCLUDED_MAX). A conclusion depends only on which rules matched.
   */
  readonly concluded: Map<number, Decision>;
}

/** How many conclusions a tier remembers (the first ones reached; later sets are built every time). */
export const CONCLUDED_MAX = 64;

export interface ToolPlan {
  readonly tool: string;
  readonly forbid: readonly RulePlan[];
  readonly kernel: readonly KernelCheck[];
  /** Indexes into IrPolicy.validations. */
  readonly validations: readonly number[];
  /** Priority tiers, highest first. */
  readonly tiers: readonly TierPlan[];
  /** Indexes into IrPolicy.tagRules. */
  readonly tagRules: readonly number[];
  /**
   * What evaluating every rule above (forbid rules and tiers) costs at most: the sum of the rules' charges, in
   * nodes plus scans × the input's size (see Budget in core.ts).
   */
  readonly cost: { readonly nodes: number; readonly scans: number };
  /** The decision when no rule decides: the policy's default posture (frozen, built once). */
  readonly fallback: Decision;
}

/** Collect the context references of an expression. */
export function contextNeeds(e: IrExpr | null, out: Set<string> = new Set()): Set<string> {
  if (!e) return out;
  switch (e.op) {
    case "context":
      out.add(`context.${e.field}`);
      break;
    case "request":
      out.add("request");
      break;
    case "identity":
      out.add(`identity.${e.field}`);
      break;
    case "drift":
      out.add("drift");
      break;
    case "session":
      if (e.field === "drift") out.add("session.drift");
      break;
    case "and":
    case "or":
      contextNeeds(e.left, out);
      contextNeeds(e.right, out);
      break;
    case "cmp":
      contextNeeds(e.left, out);
      contextNeeds(e.right, out);
      break;
    case "not":
    case "is":
      contextNeeds(e.arg, out);
      break;
    case "call":
      for (const a of e.args) contextNeeds(a, out);
      break;
    case "list":
      for (const a of e.items) contextNeeds(a, out);
      break;
    default:
      break;
  }
  return out;
}

/** Number of operations in an expression that scan a string or list of the input. */
function scanOps(e: IrExpr | null): number {
  if (!e) return 0;
  switch (e.op) {
    case "cmp":
      return (["matches", "contains", "mentions", "in", "not in", "has", "has any", "has all", "excludes"].includes(e.cmp) ? 1 : 0) +
        scanOps(e.left) +
        scanOps(e.right);
    case "and":
    case "or":
      return scanOps(e.left) + scanOps(e.right);
    case "not":
    case "is":
      return scanOps(e.arg);
    case "call":
      return 1 + e.args.reduce((n, a) => n + scanOps(a), 0);
    case "list":
      return e.items.reduce((n, a) => n + scanOps(a), 0);
    case "provenance":
    case "sequence":
      return 1;
    default:
      return 0;
  }
}

/** Number of nodes of an expression. */
export function nodeCount(e: IrExpr | null): number {
  if (!e) return 0;
  switch (e.op) {
    case "and":
    case "or":
    case "cmp":
      return 1 + nodeCount(e.left) + nodeCount(e.right);
    case "not":
    case "is":
      return 1 + nodeCount(e.arg);
    case "call":
      return 1 + e.args.reduce((n, a) => n + nodeCount(a), 0);
    case "list":
      return 1 + e.items.reduce((n, a) => n + nodeCount(a), 0);
    default:
      return 1;
  }
}

function rulePlan(rule: IrRule, index: number): RulePlan {
  const reason = rule.reason ?? `${rule.effect} rule '${rule.id}' matched`;
  return {
    index,
    rule,
    effect: rule.effect,
    needs: [...contextNeeds(rule.cond)].sort(),
    nodes: nodeCount(rule.cond),
    scans: scanOps(rule.cond),
    reason,
    alone:
      rule.effect === "allow" || rule.effect === "deny"
        ? Object.freeze({
            effect: rule.effect === "allow" ? "ALLOW" : "DENY",
            ruleIds: Object.freeze([rule.id]),
            reasons: Object.freeze([reason]),
            decidedBy: "rules",
          })
        : null,
  };
}

/** Build the plans of every tool the policy knows. */
export function buildPlans(ir: IrPolicy): ReadonlyMap<string, ToolPlan> {
  const plans = new Map<string, ToolPlan>();
  const fallback: Decision = Object.freeze({
    effect: ir.default === "allow" ? "ALLOW" : "DENY",
    ruleIds: Object.freeze([]),
    reasons: Object.freeze([`no rule decided; the policy's default posture is ${ir.default}`]),
    decidedBy: "default",
  });
  const all = ir.rules.map((r, i) => rulePlan(r, i));
  for (const tool of Object.keys(ir.tools).sort()) {
    const mine = all.filter((p) => p.rule.tools.includes(tool));
    const forbid = mine.filter((p) => p.rule.effect === "forbid");
    const kernel: KernelCheck[] = [];
    for (const bind of ir.binds) {
      if (!bind.tools.includes(tool)) continue;
      const rules = all.filter((p) => p.rule.effect === "forbid" && p.rule.kernel !== null && p.rule.tools.includes(bind.target));
      if (rules.length > 0) kernel.push({ bind, rules });
    }
    const byPriority = new Map<number, RulePlan[]>();
    for (const p of mine) {
      if (p.rule.effect === "forbid" || p.rule.priority === null) continue;
      const tier = byPriority.get(p.rule.priority) ?? [];
      tier.push(p);
      byPriority.set(p.rule.priority, tier);
    }
    const tiers = [...byPriority.entries()]
      .sort((a, b) => b[0] - a[0])
      .map(([priority, rules]): TierPlan => ({
        priority,
        rules,
        indexes: Int32Array.from(rules, (p) => p.index),
        effect: rules.every((p) => p.effect === rules[0]!.effect) ? rules[0]!.effect : null,
        concluded: new Map(),
      }));
    const charged = [...forbid, ...tiers.flatMap((t) => t.rules)];
    plans.set(tool, {
      tool,
      forbid,
      kernel,
      validations: ir.validations.flatMap((v, i) => (v.tools.includes(tool) ? [i] : [])),
      tiers,
      tagRules: ir.tagRules.flatMap((t, i) => (t.tools.includes(tool) ? [i] : [])),
      cost: {
        nodes: charged.reduce((n, p) => n + 1 + p.nodes, 0),
        scans: charged.reduce((n, p) => n + p.scans, 0),
      },
      fallback,
    });
  }
  return plans;
}
