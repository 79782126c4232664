/**
 * What an expression depends on beyond the action itself (AARM2401, AARM2402, and the "may be unknown" test of
 * AARM2208). Pure: args, tool, constants, labels, levels, literals, and the pure builtins. Everything else reads
 * the session or the environment; of those, context.*, request, identity.*, drift and session.drift may be
 * unknown at decision time (AARM R3(a)).
 */
import type { Expr, Node } from "../../language/index.js";
import type { CheckContext } from "./context.js";
import { walk } from "./walk.js";

/** What a context-dependent reference reads. */
export type DependencyKind =
  "session" | "request" | "identity" | "context" | "drift" | "provenance" | "history" | "result";

/** One context-dependent reference in an expression. */
export interface Dependency {
  readonly node: Node;
  readonly kind: DependencyKind;
  /** How to name it in a message: `session.labels`, `provenance()`, `count()`. */
  readonly what: string;
  /** It can be unknown when the decision is made. */
  readonly mayBeUnknown: boolean;
}

/** Every context dependency of an (already inferred) expression, in source order. */
export function dependencies(cx: CheckContext, e: Expr): Dependency[] {
  const out: Dependency[] = [];
  const add = (node: Node, kind: DependencyKind, what: string, mayBeUnknown: boolean) =>
    out.push({ node, kind, what, mayBeUnknown });
  walk(e, (n) => {
    switch (n.kind) {
      case "Ref": {
        const t = cx.tables.refs.get(n);
        if (!t) return false;
        switch (t.kind) {
          case "request":
          case "requestSource":
            add(n, "request", "request", true);
            break;
          case "session":
            add(n, "session", `session.${t.field}`, t.field === "drift");
            break;
          case "identity":
            add(n, "identity", `identity.${t.field}`, true);
            break;
          case "context":
            add(n, "context", `context.${t.field}`, true);
            break;
          case "drift":
            add(n, "drift", "drift", true);
            break;
          case "result":
            add(n, "result", "result", false);
            break;
          default:
            break;
        }
        return false;
      }
      case "CallExpr":
        if (n.callee.name === "provenance") add(n, "provenance", "provenance()", false);
        return undefined;
      case "SeenExpr":
        add(n, "history", "seen()", false);
        return false;
      case "CountExpr":
        add(n, "history", "count()", false);
        return false;
      case "SequenceExpr":
        add(n, "history", "sequence()", false);
        return false;
      case "ResultSourceExpr":
        add(n, "provenance", "result(...)", false);
        return false;
      default:
        return undefined;
    }
  });
  return out;
}

/** True when some dependency may be unknown at decision time. */
export function mayBeUnknown(deps: readonly Dependency[]): boolean {
  return deps.some((d) => d.mayBeUnknown);
}
