/**
 * Rule annotations and ids: `@id("...")` and `@priority(N)`, each at most once (AARM1012, shared with the
 * syntax catalog), and unique rule ids (AARM2440). Rules without `@id` are named `<effect>-<line>`, tag rules
 * `tag-<line>`, so that receipts can always name the rule that decided.
 */
import type { Annotation, Rule, Span, TagRule } from "../../language/index.js";
import { lineCol, names, syntax } from "../../language/index.js";
import { MAX_PRIORITY } from "../model.js";
import type { Reporter } from "./context.js";

/** What the annotations of one rule say. */
export interface RuleAnnotations {
  readonly id: string;
  readonly explicitId: boolean;
  /** Where the id is written (the annotation, or the effect keyword for generated ids). */
  readonly idSpan: Span;
  readonly priority: number | undefined;
}

function bad(r: Reporter, a: Annotation, reason: string): void {
  r.add(syntax.invalidAnnotation(r.sourceId, a.span, { reason }));
}

/**
 * Read and check the annotations of a rule or tag rule. The parser already reports what needs no context
 * (unknown annotations, wrong value kinds, repetitions); here: @priority on forbid and tag rules, and its upper
 * bound. The first well-formed occurrence of each annotation counts.
 */
export function readAnnotations(r: Reporter, node: Rule | TagRule): RuleAnnotations {
  let id: { value: string; span: Span } | undefined;
  let priority: number | undefined;
  const isTag = node.kind === "TagRule";
  for (const a of node.annotations) {
    const name = a.name.name;
    const v = a.value;
    if (name === "id" && v?.kind === "StringLit" && v.value.trim() !== "") {
      id ??= { value: v.value, span: v.span };
      continue;
    }
    if (name !== "priority" || v?.kind !== "NumberLit" || !Number.isSafeInteger(v.value) || v.value < 0)
      continue;
    if (priority !== undefined) continue;
    if (isTag || (node.kind === "Rule" && node.effect === "forbid")) {
      bad(r, a, isTag ? "tag rules take no @priority" : "forbid rules are absolute and take no @priority");
    } else if (v.value > MAX_PRIORITY) {
      bad(r, a, `@priority is at most ${MAX_PRIORITY}; found ${v.raw}`);
    } else priority = v.value;
  }
  if (id) return { id: id.value, explicitId: true, idSpan: id.span, priority };
  const at = node.kind === "Rule" ? node.effectSpan : node.span;
  const line = lineCol(r.source, at.start).line;
  const prefix = node.kind === "Rule" ? node.effect : "tag";
  return {
    id: `${prefix}-${line}`,
    explicitId: false,
    idSpan: node.kind === "Rule" ? node.effectSpan : { start: node.span.start, end: node.span.start + 2 },
    priority,
  };
}

/** Report ids used more than once (AARM2440), at every repetition. */
export function checkUniqueIds(r: Reporter, rules: readonly RuleAnnotations[]): void {
  const first = new Map<string, RuleAnnotations>();
  for (const a of rules) {
    const prev = first.get(a.id);
    if (!prev) {
      first.set(a.id, a);
      continue;
    }
    const how = prev.explicitId ? "first used here" : "the id generated for this rule";
    r.add(
      names.duplicateRuleId(r.sourceId, a.idSpan, { id: a.id }, { related: [r.related(prev.idSpan, how)] }),
    );
  }
}
