/**
 * The checker's view of the shared AST walker (language/walk.ts, iterative, so a long `a or b or ...` chain cannot
 * overflow the stack) and of left-nested logical chains, which the recursive passes flatten for the same reason.
 */
import type { Expr, LogicalExpr, Node } from "../../language/index.js";
import { walk as walkAst } from "../../language/walk.js";

/** Visit `node` and its descendants in pre-order; returning `false` from `visit` skips the node's children. */
export function walk(node: Node, visit: (n: Node) => boolean | void): void {
  walkAst(node, { enter: (n) => visit(n) });
}

/**
 * The left spine of a logical chain, outermost first: for `a or b or c` (parsed `(a or b) or c`) the two
 * LogicalExpr nodes, and the leftmost operand `a`. Passes walk the spine in a loop instead of recursing on `left`.
 */
export function leftSpine(e: LogicalExpr): {
  readonly spine: readonly LogicalExpr[];
  readonly leftmost: Expr;
} {
  const spine: LogicalExpr[] = [];
  let cur: Expr = e;
  while (cur.kind === "LogicalExpr") {
    spine.push(cur);
    cur = cur.left;
  }
  return { spine, leftmost: cur };
}
