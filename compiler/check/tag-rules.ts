/**
 * `on result TOOLS [when C] { label A, B }` (tag-on-read): the condition may read the call's `args` and the
 * tool's `result` (typed by its outputSchema, else `any`); the names must be declared labels or levels.
 */
import type { TagRule } from "../../language/index.js";
import { names } from "../../language/index.js";
import type { CheckedTagRule } from "../model.js";
import { T_ANY } from "../types.js";
import { type RuleAnnotations, readAnnotations } from "./annotations.js";
import type { CheckContext, ExprEnv } from "./context.js";
import { boundCost } from "./cost.js";
import { inferCondition, makeInfer } from "./infer.js";
import { didYouMean } from "./suggest.js";
import { mergeTypes } from "./type-ops.js";

/** A checked tag rule and its annotations (for the id check). */
export interface TagInfo {
  readonly ann: RuleAnnotations;
  readonly checked: CheckedTagRule;
}

/** Check one tag rule. */
export function checkTagRule(cx: CheckContext, t: TagRule): TagInfo {
  const r = cx.reporter;
  const ann = readAnnotations(r, t);
  const { names: tools, known } = cx.universe.resolve(t.tools);
  const schemas = cx.universe.schemas(tools);
  const result = known && schemas.length > 0 ? mergeTypes(schemas.map((s) => s.output ?? T_ANY)) : T_ANY;
  const env: ExprEnv = { where: "tag rule", tools: schemas, toolsKnown: known, result };
  const infer = makeInfer(cx, env);
  if (t.condition) inferCondition(infer, t.condition, "a `when` condition");
  const labels: string[] = [];
  let level: string | undefined;
  for (const id of t.labels) {
    const kind = cx.scope.kindOf(id.name);
    if (kind === "label") {
      cx.used.add(`label:${id.name}`);
      labels.push(id.name);
    } else if (kind === "level") {
      if (level === undefined || cx.scope.levels.indexOf(id.name) > cx.scope.levels.indexOf(level))
        level = id.name;
    } else {
      const cands = [...cx.scope.labels.keys(), ...cx.scope.levels];
      r.add(
        names.unknownName(r.sourceId, id.span, {
          what: "label or level",
          name: id.name,
          suggestion: didYouMean(id.name, cands),
        }),
      );
    }
  }
  const cost = t.condition ? boundCost(cx, t.condition, "tag rule") : 0;
  return {
    ann,
    checked: {
      id: ann.id,
      patterns: t.tools,
      tools,
      condition: t.condition,
      labels,
      level,
      cost,
      span: t.span,
    },
  };
}
