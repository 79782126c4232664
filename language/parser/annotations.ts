/**
 * AARM1012: rule annotations. A rule accepts `@id("rule-id")` and `@priority(N)` (N a non-negative integer),
 * each at most once. Checked here because it needs no types.
 */
import type { Annotation } from "../ast.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { syntax } from "../diagnostics/catalog-syntax.js";

/** Problems with one rule's annotations, in source order. */
export function checkAnnotations(sourceId: string, annotations: readonly Annotation[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const a of annotations) {
    const name = a.name.name;
    const reason = annotationProblem(a);
    if (reason !== undefined) {
      out.push(syntax.invalidAnnotation(sourceId, a.span, { reason }));
    } else if (seen.has(name)) {
      out.push(syntax.invalidAnnotation(sourceId, a.span, { reason: `@${name} is given more than once` }));
    }
    seen.add(name);
  }
  return out;
}

function annotationProblem(a: Annotation): string | undefined {
  const name = a.name.name;
  const v = a.value;
  if (name === "id") {
    if (v?.kind !== "StringLit") return '@id takes a string: @id("rule-id")';
    if (v.value.trim() === "") return "@id must not be empty";
    return undefined;
  }
  if (name === "priority") {
    if (v?.kind !== "NumberLit" || !Number.isSafeInteger(v.value) || v.value < 0) {
      return "@priority takes a non-negative integer: @priority(60)";
    }
    return undefined;
  }
  return `unknown annotation @${name}`;
}
