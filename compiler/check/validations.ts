/**
 * `validate TOOLS { constraint [because "..."] ... }`: each constraint is a boolean over the arguments alone
 * (AARM2402), checked after `forbid` and before every other rule; a failing constraint is a DENY.
 */
import type { ValidateDecl } from "../../language/index.js";
import { names } from "../../language/index.js";
import type { CheckedValidation } from "../model.js";
import type { CheckContext, ExprEnv } from "./context.js";
import { boundCost } from "./cost.js";
import { inferCondition, makeInfer } from "./infer.js";
import { dependencies } from "./purity.js";

/** Check one validate block. */
export function checkValidation(cx: CheckContext, v: ValidateDecl): CheckedValidation {
  const r = cx.reporter;
  const { names: tools, known } = cx.universe.resolve(v.tools);
  const env: ExprEnv = {
    where: "validate block",
    tools: cx.universe.schemas(tools),
    toolsKnown: known,
    result: undefined,
  };
  const infer = makeInfer(cx, env);
  const constraints = v.constraints.map((c) => {
    inferCondition(infer, c.expr, "a validate constraint");
    for (const d of dependencies(cx, c.expr))
      r.add(names.contextInValidate(r.sourceId, d.node.span, { what: d.what }));
    const cost = boundCost(cx, c.expr, "constraint");
    return { expr: c.expr, reason: c.reason?.value, cost, span: c.span };
  });
  return { patterns: v.tools, tools, constraints, span: v.span };
}
