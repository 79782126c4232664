/**
 * Decision rules: annotations, tool patterns, kernel clause, condition, effect-specific restrictions (forbid is
 * pure, AARM2401), options, modifications, constant conditions (AARM2502) and the cost bound (AARM4004).
 */
import type { Rule } from "../../language/index.js";
import { names } from "../../language/index.js";
import { type CheckedKernelMatch, type CheckedModification, DEFAULT_PRIORITY } from "../model.js";
import { type RuleAnnotations, readAnnotations } from "./annotations.js";
import type { CheckContext, ExprEnv } from "./context.js";
import { boundCost, costOf } from "./cost.js";
import { foldBool } from "./fold.js";
import { inferCondition, makeInfer } from "./infer.js";
import { checkKernel } from "./kernel.js";
import { checkModifications } from "./modifications.js";
import { type CheckedOptions, checkOptions } from "./options.js";
import { dependencies } from "./purity.js";

/** What checking a rule found out; the model and the static analyses read it. */
export interface RuleInfo {
  readonly node: Rule;
  readonly ann: RuleAnnotations;
  readonly tools: readonly string[];
  /** Every tool pattern matched something. */
  readonly toolsKnown: boolean;
  /** Undefined for forbid. */
  readonly priority: number | undefined;
  readonly kernel: CheckedKernelMatch | undefined;
  readonly contextDependent: boolean;
  /** The condition's constant value, if it folds. */
  readonly folded: boolean | undefined;
  readonly options: CheckedOptions;
  readonly modifications: readonly CheckedModification[];
  readonly cost: number;
}

/** Check one decision rule. */
export function checkRule(cx: CheckContext, rule: Rule): RuleInfo {
  const r = cx.reporter;
  const ann = readAnnotations(r, rule);
  const { names: tools, known } = cx.universe.resolve(rule.tools);
  const env: ExprEnv = {
    where: "rule",
    tools: cx.universe.schemas(tools),
    toolsKnown: known,
    result: undefined,
  };
  const infer = makeInfer(cx, env);
  const kernel = checkKernel(r, rule);
  const cond = rule.condition;
  let contextDependent = false;
  let folded: boolean | undefined;
  if (cond) {
    inferCondition(infer, cond, "a `when` condition");
    const deps = dependencies(cx, cond);
    contextDependent = deps.length > 0;
    if (rule.effect === "forbid") {
      for (const d of deps) r.add(names.contextInForbid(r.sourceId, d.node.span, { what: d.what }));
    }
    folded = foldBool(cond, cx.scope);
    if (folded !== undefined)
      r.add(names.constantCondition(r.sourceId, cond.span, { value: String(folded) }));
  }
  const options = checkOptions(r, rule);
  const modifications = checkModifications(infer, rule);
  const cost =
    (cond ? boundCost(cx, cond, "rule") : 0) +
    modifications.reduce((s, m) => s + (m.value ? costOf(cx, m.value) : 0) + 1, 0);
  const priority = rule.effect === "forbid" ? undefined : (ann.priority ?? DEFAULT_PRIORITY[rule.effect]);
  return {
    node: rule,
    ann,
    tools,
    toolsKnown: known,
    priority,
    kernel,
    contextDependent,
    folded,
    options,
    modifications,
    cost,
  };
}
