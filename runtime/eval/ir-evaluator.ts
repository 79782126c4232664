/**
 * The Evaluator that walks the IR (the reference interpreter behind the decision procedure).
 */
import type { Evaluator } from "../decide/core.js";
import type { IrPolicy } from "../ir/index.js";
import type { EvalEnv } from "./env.js";
import { evalExpr } from "./interpret.js";
import { EvalError, type Result } from "./values.js";

/** An Evaluator over the IR of one policy. */
export function irEvaluator(ir: IrPolicy): Evaluator {
  return {
    kind: "interpreter",
    rule(index: number, env: EvalEnv): Result {
      const r = ir.rules[index];
      if (!r) return new EvalError(`no rule #${index}`, [0, 0]);
      return r.cond === null ? true : evalExpr(r.cond, env);
    },
    constraint(v: number, c: number, env: EvalEnv): Result {
      const con = ir.validations[v]?.constraints[c];
      if (!con) return new EvalError(`no constraint #${v}.${c}`, [0, 0]);
      return evalExpr(con.expr, env);
    },
    tag(index: number, env: EvalEnv): Result {
      const t = ir.tagRules[index];
      if (!t) return new EvalError(`no tag rule #${index}`, [0, 0]);
      return t.cond === null ? true : evalExpr(t.cond, env);
    },
    mod(index: number, m: number, env: EvalEnv): Result {
      const mod = ir.rules[index]?.mods[m];
      if (!mod) return new EvalError(`no modification #${index}.${m}`, [0, 0]);
      return mod.value === null ? null : evalExpr(mod.value, env);
    },
  };
}
