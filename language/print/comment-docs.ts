/**
 * Docs for attached comments. A `//` comment must be followed by a line break, so it is either printed before
 * its node with a hard line after it, or deferred to the end of the line with `lineSuffix` (and forces the
 * enclosing groups to break). Block comments print inline unless they sat on a line of their own.
 */
import type { Doc } from "prettier";
import { builders } from "prettier/doc";
import type { Comment } from "../ast.js";
import type { PlacedComment } from "./comments.js";

const { breakParent, hardline, join, lineSuffix, lineSuffixBoundary, literallineWithoutBreakParent } = builders;

/**
 * The text of a comment. `//` comments lose trailing whitespace; block comments are kept verbatim (their line
 * breaks normalized to `\n`), so their inner lines keep the indentation the author gave them.
 */
export function commentDoc(c: Comment): Doc {
  if (!c.block) return c.text.trimEnd();
  const lines = c.text.split(/\r\n|\r|\n/);
  // A pending end-of-line comment must not be flushed at a line break inside this one.
  return lines.length === 1 ? c.text : [lineSuffixBoundary, join(literallineWithoutBreakParent, lines)];
}

/**
 * Comments printed before a node: those up to the last one that needs a line of its own are each printed on a
 * line of their own (so they read back as own-line comments), the rest inline before the node. `lineStart` says
 * whether the node is known to start a line; when it is not, a line break is added before the first own-line one.
 */
export function leadingDocs(comments: readonly PlacedComment[], lineStart: boolean, mark: (c: Comment) => void): Doc[] {
  const split = ownLineCount(comments);
  const out: Doc[] = split > 0 && !lineStart ? [hardline] : [];
  comments.forEach((p, i) => {
    mark(p.comment);
    out.push(commentDoc(p.comment), i < split ? hardline : " ");
  });
  return out;
}

/** How many of the leading comments go on lines of their own: all up to the last end-of-line one. */
export function ownLineCount(comments: readonly PlacedComment[]): number {
  let split = 0;
  comments.forEach((p, i) => {
    if (p.endOfLine) split = i + 1;
  });
  return split;
}

/**
 * Comments printed after a node (its dangling comments, then its trailing ones). A `//` comment goes to the end
 * of the line; a second one, or one that sat on a line of its own, goes on the next line, and so does every comment
 * after one printed on a line of its own.
 */
export function trailingDocs(comments: readonly PlacedComment[], mark: (c: Comment) => void): Doc[] {
  const out: Doc[] = [];
  let lineComment = false;
  // Once one comment is printed on a line of its own, so is every later one: a comment printed after it on the
  // same line would read back as an inline one, and the next formatting would move it (not idempotent).
  let ownLine = false;
  for (const p of comments) {
    mark(p.comment);
    const doc = commentDoc(p.comment);
    if ((p.ownLine && p.endOfLine) || ownLine || (lineComment && !p.comment.block)) {
      out.push(lineSuffix([hardline, doc]), breakParent);
      ownLine = true;
    } else if (!p.comment.block) out.push(lineSuffix([" ", doc]), breakParent);
    else out.push(" ", doc);
    lineComment ||= !p.comment.block;
  }
  return out;
}
