/**
 * Assemble the CheckedPolicy (compiler/model.ts) from what the passes found. Called only for a policy without
 * errors, so every declaration it reads is valid.
 */
import type {
  CheckedConstant,
  CheckedBind,
  CheckedPolicy,
  CheckedRule,
  CheckedValidation,
} from "../model.js";
import type { Type } from "../types.js";
import type { CheckContext } from "./context.js";
import type { RuleInfo } from "./rules.js";
import type { TagInfo } from "./tag-rules.js";

/** What the passes produced, in source order. */
export interface ModelParts {
  readonly binds: readonly CheckedBind[];
  readonly validations: readonly CheckedValidation[];
  readonly tags: readonly TagInfo[];
  readonly rules: readonly RuleInfo[];
}

function toCheckedRule(x: RuleInfo): CheckedRule {
  const n = x.node;
  return {
    id: x.ann.id,
    explicitId: x.ann.explicitId,
    effect: n.effect,
    priority: x.priority,
    explicitPriority: x.ann.priority !== undefined,
    patterns: n.tools,
    tools: x.tools,
    kernel: x.kernel,
    condition: n.condition,
    contextDependent: x.contextDependent,
    modifications: x.modifications,
    approvers: x.options.approvers,
    timeoutMs: x.options.timeoutMs,
    escalation: x.options.escalation,
    reason: n.reason?.value,
    cost: x.cost,
    span: n.span,
  };
}

/** Build the model. */
export function buildModel(cx: CheckContext, parts: ModelParts): CheckedPolicy {
  const { scope, tables } = cx;
  const constants = new Map<string, CheckedConstant>();
  for (const [name, c] of scope.constants) {
    if (c.value !== undefined) constants.set(name, { name, value: c.value, type: c.type, span: c.decl.span });
  }
  const contextFields = new Map<string, Type>([...scope.context].map(([k, v]) => [k, v.type]));
  return {
    sourceId: cx.reporter.sourceId,
    name: scope.header?.name.value ?? "",
    version: scope.header?.version?.value,
    defaultPosture: scope.defaultDecl?.posture ?? "deny",
    tools: cx.universe.tools,
    levels: scope.levels,
    labels: [...scope.labels.keys()],
    constants,
    contextFields,
    binds: parts.binds,
    validations: parts.validations,
    tagRules: parts.tags.map((t) => t.checked),
    rules: parts.rules.map(toCheckedRule),
    types: tables.types,
    refs: tables.refs,
    calls: tables.calls,
  };
}
