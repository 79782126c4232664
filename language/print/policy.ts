/**
 * The top level of a formatted file: the header on the first line (after any leading comments), then the
 * declarations in their original order. Sections (header; declarations; tag rules; validate blocks; rules) are
 * separated by one blank line; within a section a blank line the user left between two items is kept (runs of
 * blank lines collapse to one), and so are blank lines between comments above an item.
 */
import type { Doc } from "prettier";
import { builders, printer } from "prettier/doc";
import type { Policy } from "../ast.js";
import { assertNever } from "../ast.js";
import type { Source } from "../source.js";
import { commentDoc, trailingDocs } from "./comment-docs.js";
import { attachComments, countNewlines, type PlacedComment, type TopItem } from "./comments.js";
import { NodePrinter } from "./printer.js";

const { hardline } = builders;

/** Options of the canonical printer. */
export interface PrintPolicyOptions {
  /** The line width rules are fitted into before their clauses go on continuation lines. Default 110. */
  readonly printWidth?: number;
}

/** The default print width. */
export const DEFAULT_PRINT_WIDTH = 110;

function sectionOf(item: TopItem): number {
  switch (item.kind) {
    case "Header":
      return 0;
    case "DefaultDecl":
    case "ToolsDecl":
    case "LevelsDecl":
    case "LabelsDecl":
    case "ConstDecl":
    case "ContextDecl":
    case "BindDecl":
      return 1;
    case "TagRule":
      return 2;
    case "ValidateDecl":
      return 3;
    case "Rule":
      return 4;
    default:
      return assertNever(item);
  }
}

/** Comments on the lines above an item (or inline before it), keeping blank lines between them. */
function commentRun(p: NodePrinter, comments: readonly PlacedComment[], blankAfterLast: boolean): Doc[] {
  const out: Doc[] = [];
  comments.forEach((c, i) => {
    p.mark(c.comment);
    out.push(commentDoc(c.comment));
    if (!c.endOfLine) out.push(" ");
    else if (i < comments.length - 1 || blankAfterLast) out.push(hardline, c.blankAfter ? hardline : "");
  });
  return out;
}

/**
 * The whole file as a Prettier doc: the same doc serves `printPolicy` and the Prettier plugin, so both give the
 * same text.
 */
export function policyDoc(ast: Policy, source: Source): Doc {
  const text = source.text;
  const layout = attachComments(ast, source);
  const p = new NodePrinter(source, layout);
  const out: Doc[] = [];
  let prev: TopItem | undefined;
  let prevEnd = 0;
  for (const item of layout.items) {
    const leading = layout.itemLeading.get(item) ?? [];
    const start = Math.min(leading[0]?.comment.span.start ?? item.span.start, item.span.start);
    if (prev) {
      const blank = sectionOf(prev) !== sectionOf(item) || countNewlines(text.slice(prevEnd, start)) >= 2;
      out.push(hardline, blank ? hardline : "");
    }
    out.push(...commentRun(p, leading, true), p.print(item));
    const trailing = layout.itemTrailing.get(item) ?? [];
    out.push(...trailingDocs(trailing, (c) => p.mark(c)));
    prev = item;
    prevEnd = Math.max(item.span.end, trailing[trailing.length - 1]?.comment.span.end ?? 0);
  }
  const end = layout.fileEnd;
  const firstEnd = end[0];
  if (firstEnd) {
    if (prev) out.push(hardline, countNewlines(text.slice(prevEnd, firstEnd.comment.span.start)) >= 2 ? hardline : "");
    out.push(...commentRun(p, end, false));
  }
  out.push(hardline);
  p.assertAllPrinted(ast.comments);
  return out;
}

/**
 * Canonical text of a policy, with every comment kept. The AST must come from a parse without errors (a tree
 * with ErrorExpr nodes cannot be printed); `source` is the text it was parsed from (used to place comments and
 * keep blank lines).
 */
export function printPolicy(ast: Policy, source: Source, options: PrintPolicyOptions = {}): string {
  const doc = policyDoc(ast, source);
  return printer.printDocToString(doc, {
    printWidth: options.printWidth ?? DEFAULT_PRINT_WIDTH,
    tabWidth: 2,
    useTabs: false,
  }).formatted;
}
