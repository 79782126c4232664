/**
 * `bind TOOL(ARG) to ACTION` (AARM2113): the argument must exist in every tool the pattern matches and hold a
 * string (a path, a command, an address or URL) or a list of strings.
 */
import type { BindDecl } from "../../language/index.js";
import { names } from "../../language/index.js";
import type { CheckedBind } from "../model.js";
import type { CheckContext, ExprEnv } from "./context.js";
import { pathKeys, pathText, resolveArgs, walkPath } from "./paths.js";
import { every, isString, withArticle } from "./type-ops.js";

/** Check one bind declaration. */
export function checkBind(cx: CheckContext, b: BindDecl): CheckedBind {
  const r = cx.reporter;
  const { names: tools, known } = cx.universe.resolve([b.tool]);
  const schemas = cx.universe.schemas(tools);
  const env: ExprEnv = { where: "bind declaration", tools: schemas, toolsKnown: known, result: undefined };
  const merged = resolveArgs(cx, env, b.arg);
  if (known && merged.kind !== "error") {
    for (const tool of schemas) {
      const res = walkPath(tool.input, b.arg.segments);
      if (!res.ok) continue;
      const t = res.type;
      if (every(t, (m) => m.kind === "string" || (m.kind === "list" && isString(m.element)))) continue;
      r.add(
        names.bindArgumentType(r.sourceId, b.arg.span, {
          path: pathText(b.arg.segments),
          tool: tool.name,
          type: withArticle(t),
        }),
      );
      break;
    }
  }
  return { pattern: b.tool, tools, arg: pathKeys(b.arg.segments), target: b.target, span: b.span };
}
