/**
 * Expressions. The AST keeps the user's parentheses as ParenExpr nodes, so parsed trees never need added ones;
 * `operand` adds them only where a tree built in code would otherwise print as a different tree.
 *
 * A chain of `and` (or `or`) breaks before each operator, one operand per line, each line indented one level
 * deeper than the chain's first operand; an operand that is itself a chain indents one level more.
 */
import type { Doc } from "prettier";
import { builders } from "prettier/doc";
import type { DurationLit, Expr, LogicalExpr, Node } from "../ast.js";
import { assertNever } from "../ast.js";
import { quote, refText } from "./literals.js";
import type { NodePrinter } from "./printer.js";

const { group, indent, join, line, softline } = builders;

/** Binding strength, loosest first: or < and < not < predicate (comparison, `is`) < primary. */
const Level = { Or: 1, And: 2, Not: 3, Predicate: 4, Primary: 5 } as const;
type Level = (typeof Level)[keyof typeof Level];

function levelOf(e: Expr): Level {
  switch (e.kind) {
    case "LogicalExpr":
      return e.op === "or" ? Level.Or : Level.And;
    case "NotExpr":
      return Level.Not;
    case "CompareExpr":
    case "IsExpr":
      return Level.Predicate;
    default:
      return Level.Primary;
  }
}

/** An operand that must bind at least as tightly as `min`: parenthesized when it does not. */
function operandDoc(p: NodePrinter, e: Expr, min: Level): Doc {
  const bare = p.printBare(e);
  return levelOf(e) < min ? ["(", bare, ")"] : bare;
}

function operand(p: NodePrinter, e: Expr, min: Level): Doc {
  return p.wrap(e, operandDoc(p, e, min));
}

/**
 * `open node close` (parentheses, `list<T>`, the argument of `bind`). When a comment around the node needs a line of
 * its own, the node goes on its own lines between the brackets, so the comment stays inside them.
 */
export function enclose(p: NodePrinter, open: string, node: Node, close: string, doc?: Doc): Doc {
  if (!p.hasLineBreakingComments(node)) return [open, doc === undefined ? p.print(node) : p.wrap(node, doc), close];
  const inner = doc === undefined ? p.print(node, { lineStart: true }) : p.wrap(node, doc, { lineStart: true });
  return group([open, indent([softline, inner]), softline, close]);
}

/** Nodes that print as one word: a bracket around just one of them never breaks (`domain(args.to)`). */
const ATOMIC: ReadonlySet<Node["kind"]> = new Set([
  "Ref",
  "Identifier",
  "ToolPattern",
  "StringLit",
  "NumberLit",
  "BoolLit",
  "NullLit",
  "DurationLit",
  "RegexLit",
]);

/** `open item, item close`, one item per line (indented) when it does not fit. */
export function bracketList(p: NodePrinter, open: string, items: readonly Node[], close: string, tail: Doc = ""): Doc {
  if (items.length === 0 && tail === "") return open + close;
  const only = items.length === 1 && tail === "" ? items[0] : undefined;
  if (only && ATOMIC.has(only.kind) && !p.hasLineBreakingComments(only)) return [open, p.print(only), close];
  const docs = items.map((item) => p.print(item, { lineStart: true }));
  return group([open, indent([softline, join([",", line], docs), tail]), softline, close]);
}

/**
 * `a, b, c` after a keyword (tools of a rule, names of a declaration): one item per line when it does not fit,
 * indented `depth` levels. The last item's trailing comments go after the group so they do not break it. With
 * `keyword`, the list is printed after it, and comments on lines of their own before the first item go above the
 * keyword (which starts a line).
 */
export function itemList(p: NodePrinter, items: readonly Node[], sep: string, depth = 1, keyword?: string): Doc {
  const first = items[0];
  const [above, inline] = keyword !== undefined && first ? p.leadingAround(first, true) : [[], []];
  const last = items.length - 1;
  const docs = items.map((item, i) => p.print(item, { lineStart: i > 0, trailing: i < last, leading: i > 0 || !keyword }));
  let body: Doc = join([sep, line], docs);
  for (let d = 0; d < depth; d++) body = indent(body);
  const lastItem = items[last];
  const list = lastItem ? [group(body), ...p.trailing(lastItem)] : [];
  return keyword === undefined ? list : [...above, keyword, " ", ...inline, ...list];
}

function history(p: NodePrinter, name: string, tools: readonly Node[], window: DurationLit | undefined): Doc {
  const tail = window ? [line, p.clause("within", window)] : "";
  return bracketList(p, `${name}(`, tools, ")", tail);
}

/** `a and b and c`: the left spine of same-operator nodes is flattened, iteratively (chains can be long). */
function printChain(p: NodePrinter, e: LogicalExpr): Doc {
  const spine: LogicalExpr[] = [];
  let first: Expr = e;
  while (first.kind === "LogicalExpr" && first.op === e.op) {
    spine.push(first);
    first = first.left;
  }
  const min: Level = e.op === "or" ? Level.And : Level.Not;
  let doc: Doc = indent(operand(p, first, min));
  for (let k = spine.length - 1; k >= 0; k--) {
    const node = spine[k]!;
    doc = [doc, indent([line, p.clause(node.op, node.right, operandDoc(p, node.right, min))])];
    // The outermost node's comments are printed by whoever printed it.
    if (k > 0) doc = p.wrap(node, doc);
  }
  return group(doc);
}

/** An expression without its own comments. */
export function printExpr(p: NodePrinter, e: Expr): Doc {
  switch (e.kind) {
    case "StringLit":
      return quote(e.value);
    case "NumberLit":
      return e.raw;
    case "BoolLit":
      return e.value ? "true" : "false";
    case "NullLit":
      return "null";
    case "DurationLit":
      return e.raw;
    case "RegexLit":
      // `//` and `/*` would read back as comments; the lexer never produces such a pattern.
      if (e.pattern === "" || e.pattern.startsWith("*")) throw new Error(`cannot print the regex pattern ${JSON.stringify(e.pattern)}`);
      return `/${e.pattern}/${e.flags}`;
    case "ListLit":
      return bracketList(p, "[", e.elements, "]");
    case "Ref":
      return refText(e);
    case "CallExpr":
      return [p.print(e.callee), bracketList(p, "(", e.args, ")")];
    case "SeenExpr":
      return history(p, "seen", e.tools, e.window);
    case "CountExpr":
      return history(p, "count", e.tools, e.window);
    case "SequenceExpr":
      return history(p, "sequence", e.steps, e.window);
    case "ResultSourceExpr":
      return bracketList(p, "result(", e.tools, ")");
    case "LogicalExpr":
      return printChain(p, e);
    case "NotExpr":
      return ["not ", operand(p, e.operand, Level.Not)];
    case "CompareExpr":
      return [
        e.quantifier ? `${e.quantifier} ` : "",
        operand(p, e.left, Level.Primary),
        ` ${e.op} `,
        operand(p, e.right, Level.Primary),
      ];
    case "IsExpr":
      return [operand(p, e.operand, Level.Primary), ` is ${e.test}`];
    case "ParenExpr":
      return enclose(p, "(", e.expr, ")");
    case "ErrorExpr":
      throw new Error("cannot format a file with syntax errors");
    default:
      return assertNever(e);
  }
}
