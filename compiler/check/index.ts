/**
 * The checker: names, types, rules and static analyses over one parsed policy and its loaded tools.
 * `checkPolicy` never throws for a bad policy (every problem is a diagnostic) and returns the CheckedPolicy
 * model when there is no error. See docs/language.md and docs/diagnostics.md.
 */
import type { Diagnostic, Policy, Source } from "../../language/index.js";
import type { CheckedBind, CheckedPolicy, CheckedValidation } from "../model.js";
import { type RuleAnnotations, checkUniqueIds } from "./annotations.js";
import { checkBind } from "./binds.js";
import { buildModel } from "./build-model.js";
import { type CheckContext, Reporter, Tables } from "./context.js";
import { checkKernelLimits, checkKernelPortSets } from "./kernel.js";
import { checkReachability } from "./reachability.js";
import { checkRegex } from "./regex.js";
import { type RuleInfo, checkRule } from "./rules.js";
import { buildScope } from "./scope.js";
import { type TagInfo, checkTagRule } from "./tag-rules.js";
import { type ToolFile, ToolUniverse } from "./tools.js";
import { checkUnused } from "./unused.js";
import { checkValidation } from "./validations.js";
import { walk } from "./walk.js";

export { KERNEL_TOOLS, BUILTIN_SOURCE, type ToolFile } from "./tools.js";
export { COST_LIMIT, UNBOUNDED_LIST, UNBOUNDED_STRING } from "./cost.js";
export { KERNEL_MAP_MAX_ENTRIES, KERNEL_MAX_PORT_RANGES, KERNEL_PATH_MAX_BYTES } from "./kernel.js";
export { DEFAULT_LEVELS } from "./scope.js";

/** One parsed policy and the tools its `tools from` declarations loaded. */
export interface CheckInput {
  readonly source: Source;
  readonly ast: Policy;
  /** One entry per `tools from` declaration, in order. */
  readonly toolFiles: readonly ToolFile[];
  /**
   * The parse reported errors: then declarations may be missing, so AARM2001 and the static analyses (which
   * would report the consequences of the lost text) are skipped.
   */
  readonly syntaxErrors: boolean;
}

/** The checker's result. */
export interface CheckOutput {
  /** The checker's diagnostics, in report order (the caller sorts). */
  readonly diagnostics: readonly Diagnostic[];
  /** The checked model; undefined when there are errors (here or in the parse). */
  readonly model: CheckedPolicy | undefined;
}

/** Check one parsed policy against its tools. */
export function checkPolicy(input: CheckInput): CheckOutput {
  const r = new Reporter(input.source);
  const scope = buildScope(input.ast, r, !input.syntaxErrors);
  const universe = new ToolUniverse(input.toolFiles, r);
  const cx: CheckContext = { reporter: r, scope, universe, tables: new Tables(), used: new Set() };

  walk(input.ast, (n) => {
    if (n.kind === "RegexLit") checkRegex(r, n);
  });

  const binds: CheckedBind[] = [];
  const validations: CheckedValidation[] = [];
  const tags: TagInfo[] = [];
  const rules: RuleInfo[] = [];
  const ids: RuleAnnotations[] = [];
  for (const d of input.ast.decls) {
    switch (d.kind) {
      case "BindDecl":
        binds.push(checkBind(cx, d));
        break;
      case "ValidateDecl":
        validations.push(checkValidation(cx, d));
        break;
      case "TagRule": {
        const t = checkTagRule(cx, d);
        tags.push(t);
        ids.push(t.ann);
        break;
      }
      case "Rule": {
        const x = checkRule(cx, d);
        rules.push(x);
        ids.push(x.ann);
        break;
      }
      default:
        break;
    }
  }
  checkUniqueIds(r, ids);
  checkKernelLimits(
    r,
    rules.map((x) => ({ node: x.node, tools: x.tools })),
  );
  checkKernelPortSets(r, rules);
  if (!input.syntaxErrors) {
    checkReachability(r, rules);
    checkUnused(cx);
  }
  const model =
    input.syntaxErrors || r.hasErrors ? undefined : buildModel(cx, { binds, validations, tags, rules });
  return { diagnostics: r.diagnostics, model };
}
