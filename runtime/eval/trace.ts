/**
 * A tracing Evaluator: the reference interpreter, reporting every condition the decision procedure asked for (a
 * rule, a validation constraint, a tag rule) with its value, and every expression node evaluated inside it. It is
 * what `aarm test --coverage` and `aarm explain` run; a deployed host keeps the untraced compiled evaluator.
 */
import type { Evaluator } from "../decide/core.js";
import type { IrPolicy } from "../ir/index.js";
import type { EvalEnv } from "./env.js";
import { evalExpr, type Trace } from "./interpret.js";
import { EvalError, type Result } from "./values.js";

/** One condition the decision procedure evaluated. */
export interface ConditionEvent {
  readonly kind: "rule" | "constraint" | "tag";
  /** Index into ir.rules, ir.validations or ir.tagRules. */
  readonly index: number;
  /** For a constraint: its index in the validation. */
  readonly constraint?: number;
  readonly value: Result;
  readonly env: EvalEnv;
}

/** Where a tracing evaluator reports. */
export interface TraceListener {
  /** After each condition, with its value (a rule without a condition is reported as true). */
  condition(event: ConditionEvent): void;
  /** Every expression node evaluated, children first. */
  readonly node: Trace;
}

/** The interpreter over one policy's IR, reporting to `listener`. */
export function tracingEvaluator(ir: IrPolicy, listener: TraceListener): Evaluator {
  const report = (event: ConditionEvent): Result => {
    listener.condition(event);
    return event.value;
  };
  return {
    kind: "interpreter",
    rule(index, env) {
      const r = ir.rules[index];
      if (!r) return new EvalError(`no rule #${index}`, [0, 0]);
      return report({
        kind: "rule",
        index,
        value: r.cond === null ? true : evalExpr(r.cond, env, listener.node),
        env,
      });
    },
    constraint(v, c, env) {
      const con = ir.validations[v]?.constraints[c];
      if (!con) return new EvalError(`no constraint #${v}.${c}`, [0, 0]);
      return report({
        kind: "constraint",
        index: v,
        constraint: c,
        value: evalExpr(con.expr, env, listener.node),
        env,
      });
    },
    tag(index, env) {
      const t = ir.tagRules[index];
      if (!t) return new EvalError(`no tag rule #${index}`, [0, 0]);
      return report({
        kind: "tag",
        index,
        value: t.cond === null ? true : evalExpr(t.cond, env, listener.node),
        env,
      });
    },
    mod(index, m, env) {
      const mod = ir.rules[index]?.mods[m];
      if (!mod) return new EvalError(`no modification #${index}.${m}`, [0, 0]);
      return mod.value === null ? null : evalExpr(mod.value, env, listener.node);
    },
  };
}
