/**
 * Unused declarations (AARM2505) and unused tool files (AARM2506): warnings, reported only for a policy without
 * syntax errors (after a recovered parse, the uses may be in the part that was lost).
 */
import { names } from "../../language/index.js";
import type { CheckContext } from "./context.js";

/** Report constants, labels and context fields nothing refers to, and tool files no pattern matched. */
export function checkUnused(cx: CheckContext): void {
  const r = cx.reporter;
  for (const [name, c] of cx.scope.constants) {
    if (!cx.used.has(`const:${name}`))
      r.add(names.unusedDeclaration(r.sourceId, c.decl.name.span, { kind: "constant", name }));
  }
  for (const [name, id] of cx.scope.labels) {
    if (!cx.used.has(`label:${name}`))
      r.add(names.unusedDeclaration(r.sourceId, id.span, { kind: "label", name }));
  }
  for (const [name, c] of cx.scope.context) {
    if (!cx.used.has(`context:${name}`)) {
      r.add(names.unusedDeclaration(r.sourceId, c.field.name.span, { kind: "context field", name }));
    }
  }
  // A pattern that matched nothing may have been meant for one of the files: do not call them unused.
  if (cx.universe.unresolved) return;
  for (const f of cx.universe.files) {
    const own = f.tools.filter((t) => cx.universe.origin.get(t.name) === f.decl);
    if (own.length === 0 || own.some((t) => cx.universe.used.has(t.name))) continue;
    r.add(names.unusedToolFile(r.sourceId, f.decl.path.span, { path: JSON.stringify(f.decl.path.value) }));
  }
}
