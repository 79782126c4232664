/**
 * `aarm explain`: why one action of a recorded session got its decision. The session is replayed up to the action
 * through the loaded policy (that decision is the answer); just before it is decided, every rule of the action's
 * tool is evaluated by the tracing reference interpreter against the same session state, so each rule and each
 * condition shows the value it had. For an action that was not let through, the nearest rule that would have
 * allowed it is found (nearest.ts).
 */
import type { DecisionRecord, Policy } from "../runtime/api.js";
import { evalExpr } from "../runtime/eval/interpret.js";
import type { EvalEnv } from "../runtime/eval/env.js";
import { truth } from "../runtime/eval/ops.js";
import { type Result, UNKNOWN } from "../runtime/eval/values.js";
import type { IrExpr, IrRule } from "../runtime/ir/index.js";
import type { PolicyText } from "./conditions.js";
import type { RecordedSession } from "./format.js";
import { type Nearest, nearestAllow } from "./nearest.js";
import { type NodeValues, operandValues, shownValue, type Shown, valueOf } from "./explain-values.js";
import { redactArgs, redactedPaths } from "./redact.js";
import { replaySession } from "./replay.js";

/** One node of a condition, with the value it had. */
export interface ConditionTrace {
  readonly text: string;
  readonly value: string;
  /** False when short-circuiting skipped it during the rule's evaluation (the value is then computed apart). */
  readonly evaluated: boolean;
  /** The operands of `and`, `or` and `not`. */
  readonly children: readonly ConditionTrace[];
  /** For an atomic condition: the values of its operands that are not constants (`request = "..."`). */
  readonly operands: readonly { readonly text: string; readonly value: string }[];
}

/** One rule of the action's tool. */
export interface RuleTrace {
  readonly id: string;
  readonly effect: IrRule["effect"];
  /** null for forbid. */
  readonly priority: number | null;
  readonly where: string;
  /** The condition's value: true, false, unknown or error (a rule without a condition is true). */
  readonly result: "true" | "false" | "unknown" | "error";
  /** Whether the decision procedure got as far as this rule. */
  readonly reached: boolean;
  /** Whether it is among the rules that decided. */
  readonly decided: boolean;
  readonly condition: ConditionTrace | null;
}

export interface Explanation {
  readonly session: string;
  /** 1-based position of the action, and the number of actions in the session. */
  readonly index: number;
  readonly of: number;
  readonly action: {
    readonly id: string;
    readonly tool: string;
    readonly args: unknown;
    readonly line: number;
  };
  readonly decision: DecisionRecord;
  readonly rules: readonly RuleTrace[];
  /** For a decision that did not let the action run (DENY, STEP_UP, DEFER). */
  readonly nearest?: Nearest;
}

const outcome = (v: Result, at: readonly [number, number]): RuleTrace["result"] => {
  const t = truth(v, at);
  return t === true ? "true" : t === false ? "false" : t === UNKNOWN ? "unknown" : "error";
};

function traceTree(e: IrExpr, traced: NodeValues, env: EvalEnv, shown: Shown): ConditionTrace {
  const evaluated = traced.has(e);
  const v = valueOf(e, traced, env);
  const children = e.op === "and" || e.op === "or" ? [e.left, e.right] : e.op === "not" ? [e.arg] : [];
  const atom = children.length === 0;
  return {
    text: shown.text.expr(e),
    value: shownValue(e, v, shown),
    evaluated,
    children: children.map((c) => traceTree(c, traced, env, shown)),
    operands: atom ? operandValues(e, traced, env, shown) : [],
  };
}

/** The priority of the tier that decided, or null when no tier was reached (forbid, validation, unknown tool). */
function decidingPriority(rules: readonly IrRule[], d: DecisionRecord): number | null | "all" {
  if (d.decidedBy === "default") return "all";
  const tiers = rules.filter((r) => r.priority !== null && d.ruleIds.includes(r.id)).map((r) => r.priority!);
  return tiers.length > 0 ? Math.max(...tiers) : null;
}

/** A rule's condition evaluated by the tracing interpreter, with every node's value. */
export function traceRule(r: IrRule, env: EvalEnv): { value: Result; values: NodeValues } {
  const values: NodeValues = new Map();
  const value = r.cond === null ? true : evalExpr(r.cond, env, (e, v) => values.set(e, v));
  return { value, values };
}

/** Explain action `target` (a 1-based index or an action id) of a session. Returns an error message instead when
 * the session has no such action or cannot be replayed. */
export function explainAction(
  policy: Policy,
  s: RecordedSession,
  target: number | string,
  text: PolicyText,
): Explanation | string {
  const actions = s.events.filter((e) => e.kind === "action");
  const index = typeof target === "number" ? target : actions.findIndex((a) => a.id === target) + 1;
  if (index < 1 || index > actions.length) {
    const which = typeof target === "number" ? `no action #${target}` : `no action '${target}'`;
    return `${which} in session '${s.id}' (it has ${actions.length} action${actions.length === 1 ? "" : "s"}${typeof target === "number" ? "" : `: ${actions.map((a) => a.id).join(", ")}`})`;
  }
  const ir = policy.ir;
  const action = actions[index - 1]!;
  const shown: Shown = { text, redacted: redactedPaths(ir, action.tool), levels: ir.levels };
  // In the order they are considered: forbid rules, then the tiers from the highest priority down.
  const rank = (r: IrRule) => (r.priority === null ? Infinity : r.priority);
  const mine = ir.rules.filter((r) => r.tools.includes(action.tool)).sort((a, b) => rank(b) - rank(a));
  let env: EvalEnv | undefined;
  const traces = new Map<IrRule, { value: Result; values: NodeValues }>();
  let replay;
  try {
    replay = replaySession(policy, s, {
      stopAfter: index,
      beforeDecide: (session, a, time, i) => {
        if (i !== index) return;
        env = { tool: a.tool, args: a.args, now: time, session: session.state, drift: UNKNOWN };
        for (const r of mine) traces.set(r, traceRule(r, env));
      },
    });
  } catch (e) {
    return `cannot replay session '${s.id}': ${e instanceof Error ? e.message : String(e)}`;
  }
  const decision = replay.actions[index - 1]!.decision;
  const deciding = decidingPriority(mine, decision);
  const rules: RuleTrace[] = mine.map((r) => {
    const t = traces.get(r)!;
    return {
      id: r.id,
      effect: r.effect,
      priority: r.priority,
      where: text.where(r.at),
      result:
        r.kernel !== null ? (decision.ruleIds.includes(r.id) ? "true" : "false") : outcome(t.value, r.at),
      reached: r.priority === null || deciding === "all" || (deciding !== null && r.priority >= deciding),
      decided: decision.ruleIds.includes(r.id),
      condition: r.cond === null ? null : traceTree(r.cond, t.values, env!, shown),
    };
  });
  const blocked = decision.effect !== "ALLOW" && decision.effect !== "MODIFY";
  const nearest =
    blocked && env ? nearestAllow({ ir, rules: mine, traces, env, decision, shown }) : undefined;
  return {
    session: s.id,
    index,
    of: actions.length,
    action: {
      id: action.id,
      tool: action.tool,
      args: redactArgs(action.args, shown.redacted),
      line: action.line,
    },
    // What is shown of the decision: its arguments (and the modified ones) redacted like everything else.
    decision: {
      ...decision,
      action: {
        ...decision.action,
        args: redactArgs(decision.action.args, shown.redacted) as Record<string, unknown>,
      },
      ...(decision.modifiedArgs
        ? { modifiedArgs: redactArgs(decision.modifiedArgs, shown.redacted) as Record<string, unknown> }
        : {}),
    },
    rules,
    ...(nearest ? { nearest } : {}),
  };
}
