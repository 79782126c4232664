/**
 * Comment attachment for the formatter. The parser keeps every comment in `Policy.comments` with its span; this
 * module decides, for each one, which node it belongs to and on which side, much as Prettier's `attachComments`
 * does for JavaScript:
 *
 * - Between top-level items (header and declarations): a comment on the same line as the end of the previous item
 *   trails it; any other comment leads the next item; comments after the last item stay at the end of the file.
 * - Inside an item, before its first significant child (e.g. between `@id("x")` and `deny`), a comment is hoisted
 *   to lead the whole item, so it ends up on its own line above it.
 * - Elsewhere inside an item, the comment goes to the smallest enclosing node, between its preceding and following
 *   children: an own-line comment leads the following child, an end-of-line comment trails the preceding one, and
 *   an inline block comment leads the following child if only whitespace separates them, else trails the preceding
 *   one. A bracket of the enclosing construct between the comment and a neighbour (the `{` of a modify block, the
 *   `(` of a call) hides that neighbour, so comments stay on their side of the bracket.
 */
import type { Comment, Decl, Header, Node, Policy } from "../ast.js";
import type { Source } from "../source.js";
import { children } from "../walk.js";
import { breakAfter } from "./breaks.js";

/** A comment with the facts about its position that decide how it is printed. */
export interface PlacedComment {
  readonly comment: Comment;
  /** Only whitespace precedes it on its line. */
  readonly ownLine: boolean;
  /** Only whitespace follows it up to the end of its line (always true for a `//` comment). */
  readonly endOfLine: boolean;
  /** A blank line follows it in the source. */
  readonly blankAfter: boolean;
}

/** The comments attached to one node. Dangling comments have no neighbouring child; they print after the node. */
export interface Attached {
  readonly leading: PlacedComment[];
  readonly trailing: PlacedComment[];
  readonly dangling: PlacedComment[];
}

/** A top-level item of a policy file. */
export type TopItem = Header | Decl;

/** Where every comment of a file goes. */
export interface CommentLayout {
  /** Comments attached inside top-level items, by node. */
  readonly nodes: ReadonlyMap<Node, Attached>;
  /** Comments before each item (including ones hoisted out of its head). */
  readonly itemLeading: ReadonlyMap<TopItem, readonly PlacedComment[]>;
  /** Comments after an item on the line where it ends. */
  readonly itemTrailing: ReadonlyMap<TopItem, readonly PlacedComment[]>;
  /** Comments after the last item. */
  readonly fileEnd: readonly PlacedComment[];
  /** The header and declarations, in source order. */
  readonly items: readonly TopItem[];
}

const INLINE_SPACE = /[ \t\f\v\u00a0\ufeff]/;
const BRACKET = /[{}[\]()]/;
/** Opening brackets, including the `<` of `list<T>`. */
const OPENING = /[{[(<]/;
const NEWLINE = /\r\n|\r|\n/g;

/** Number of line breaks in a piece of text (`\r\n` counts once). */
export function countNewlines(text: string): number {
  return text.match(NEWLINE)?.length ?? 0;
}

/**
 * The source text with every comment blanked out (line breaks kept), so gaps between nodes can be searched for
 * tokens and line breaks.
 */
function maskComments(text: string, comments: readonly Comment[]): string {
  let out = "";
  let at = 0;
  for (const c of comments) {
    out += text.slice(at, c.span.start) + text.slice(c.span.start, c.span.end).replace(/[^\r\n]/g, " ");
    at = c.span.end;
  }
  return out + text.slice(at);
}

function place(text: string, c: Comment): PlacedComment {
  let i = c.span.start - 1;
  while (i >= 0 && INLINE_SPACE.test(text[i]!)) i--;
  const ownLine = i < 0 || text[i] === "\n" || text[i] === "\r";
  let j = c.span.end;
  while (j < text.length && INLINE_SPACE.test(text[j]!)) j++;
  const endOfLine = !c.block || j >= text.length || text[j] === "\n" || text[j] === "\r";
  let k = j;
  while (k < text.length && /\s/.test(text[k]!)) k++;
  return { comment: c, ownLine, endOfLine, blankAfter: countNewlines(text.slice(c.span.end, k)) >= 2 };
}

/** The child of a top-level item before which comments are hoisted to lead the item. */
function firstSignificantChild(item: TopItem): Node | undefined {
  if (item.kind === "Rule" || item.kind === "TagRule" || item.kind === "ValidateDecl") return item.tools[0];
  return children(item)[0];
}

/** Children that can hold comments. A reference is printed as one word, so its parts take none. */
function candidates(node: Node): Node[] {
  if (node.kind === "Ref") return [];
  return children(node).sort((a, b) => a.span.start - b.span.start);
}

/** Whether `n` encloses the range [start, end) (a comment, or the empty range at a node's start). */
function encloses(n: Node, start: number, end: number): boolean {
  return n.span.start < start && end <= n.span.end;
}

class Attacher {
  readonly nodes = new Map<Node, Attached>();
  readonly itemLeading = new Map<TopItem, PlacedComment[]>();
  readonly itemTrailing = new Map<TopItem, PlacedComment[]>();
  readonly fileEnd: PlacedComment[] = [];
  private readonly masked: string;

  constructor(
    private readonly text: string,
    comments: readonly Comment[],
    private readonly items: readonly TopItem[],
  ) {
    this.masked = maskComments(text, comments);
  }

  private slot(node: Node): Attached {
    let a = this.nodes.get(node);
    if (!a) {
      a = { leading: [], trailing: [], dangling: [] };
      this.nodes.set(node, a);
    }
    return a;
  }

  private push<K>(map: Map<K, PlacedComment[]>, key: K, p: PlacedComment): void {
    const list = map.get(key);
    if (list) list.push(p);
    else map.set(key, [p]);
  }

  /** The index of the last item that starts before `offset`, or -1 (items are sorted and do not overlap). */
  private lastStartingBefore(offset: number): number {
    let lo = 0;
    let hi = this.items.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.items[mid]!.span.start < offset) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  add(c: Comment): void {
    const p = place(this.text, c);
    const i = this.lastStartingBefore(c.span.start);
    const prev = this.items[i];
    if (prev && encloses(prev, c.span.start, c.span.end)) {
      this.inItem(prev, p, c.span.start, c.span.end);
      return;
    }
    const prevEnd = prev ? Math.max(prev.span.end, this.itemTrailing.get(prev)?.at(-1)?.comment.span.end ?? 0) : 0;
    if (prev && countNewlines(this.text.slice(prevEnd, c.span.start)) === 0) this.afterItem(prev, p);
    else this.beforeItemAfter(i, p);
  }

  /** Before the item that follows the one at index `i` (or at the end of the file). */
  private beforeItemAfter(i: number, p: PlacedComment): void {
    const next = this.items[i + 1];
    if (next) this.push(this.itemLeading, next, p);
    else this.fileEnd.push(p);
  }

  /**
   * After an item, on its last line. An own-line comment, or a second `//` comment (two cannot share a line), is
   * printed on the next line, so it is attached there: before the next item.
   */
  private afterItem(item: TopItem, p: PlacedComment): void {
    if ((p.ownLine && p.endOfLine) || this.afterLineComment(this.itemTrailing.get(item))) {
      this.beforeItemAfter(this.items.indexOf(item), p);
    } else {
      this.push(this.itemTrailing, item, p);
    }
  }

  /** Whether a list of trailing comments ends a line with a `//` comment, after which nothing fits on that line. */
  private afterLineComment(trailing: readonly PlacedComment[] | undefined): boolean {
    return trailing?.some((t) => !t.comment.block) ?? false;
  }

  /**
   * Attach a comment lying in [start, end) inside a top-level item. Comments in the item's head (before its first
   * significant child, or inside it when it is one word such as a tool name) lead the whole item. `virtual` marks
   * the empty range just before a node, where an own-line comment found inside that node is moved.
   */
  private inItem(item: TopItem, p: PlacedComment, start: number, end: number, virtual = false): void {
    const first = firstSignificantChild(item);
    const beforeFirst = first && (virtual ? start <= first.span.start : start < first.span.start);
    if (!first || beforeFirst || (start < first.span.end && candidates(first).length === 0)) {
      this.push(this.itemLeading, item, p);
    } else {
      this.inside(item, p, start, end, virtual);
    }
  }

  private inside(item: TopItem, p: PlacedComment, start: number, end: number, virtual: boolean): void {
    const path: Node[] = [item];
    let kids = candidates(item);
    for (let inner = kids.find((k) => encloses(k, start, end)); inner; inner = kids.find((k) => encloses(k, start, end))) {
      path.push(inner);
      kids = candidates(inner);
      const first = kids[0];
      const beforeFirst = first && (virtual ? start <= first.span.start : start < first.span.start);
      if (p.endOfLine && beforeFirst && !OPENING.test(this.masked.slice(inner.span.start, start))) {
        // After the keyword that starts a node (`to`, `not`, `timeout`, ...) and before its first child: the comment
        // is printed on a line of its own before the keyword, so it is attached as if it stood there.
        this.inItem(item, { ...p, ownLine: true, endOfLine: true }, inner.span.start, inner.span.start, true);
        return;
      }
    }
    const enclosing = path[path.length - 1]!;
    let prec = kids.findLast((k) => k.span.end <= start);
    let foll = kids.find((k) => k.span.start >= end);
    if (prec && BRACKET.test(this.masked.slice(prec.span.end, start))) prec = undefined;
    const gapAfter = foll ? this.masked.slice(end, foll.span.start) : "";
    if (foll && BRACKET.test(gapAfter)) foll = undefined;
    const lead = foll && (p.ownLine && p.endOfLine ? true : p.endOfLine ? !prec : !/\S|\n|\r/.test(gapAfter) || !prec);
    if (foll && lead) {
      this.slot(foll).leading.push(p);
    } else if (prec) {
      this.trailing(p, [...path, prec]);
    } else if (p.ownLine && p.endOfLine && !virtual) {
      // An own-line comment inside a node with no child beside it (`args\n// c\n.to`, `escalate\n// c\nto [...]`)
      // goes where it would be attached if it stood just before that node, which is where it is printed.
      if (enclosing === item) this.push(this.itemLeading, item, p);
      else this.inItem(item, p, enclosing.span.start, enclosing.span.start, true);
    } else if (p.comment.block) {
      this.slot(enclosing).dangling.push(p);
    } else {
      this.trailing(p, path);
    }
  }

  /**
   * A comment printed after the last node of `path`. Inline block comments stay there; a comment printed at the
   * end of a line goes to the nearest node (that one or an ancestor) that the printer may follow with a line break.
   */
  private trailing(p: PlacedComment, path: readonly Node[]): void {
    const node = path[path.length - 1]!;
    const afterLine = this.afterLineComment(this.nodes.get(node)?.trailing);
    if (p.comment.block && !(p.ownLine && p.endOfLine) && !afterLine) {
      this.slot(node).trailing.push(p);
      return;
    }
    // After a `//` comment, this one will be on a line of its own.
    if (afterLine) p = { ...p, ownLine: true, endOfLine: true };
    for (let i = path.length - 1; i >= 1; i--) {
      const parent = path[i - 1]!;
      const child = path[i]!;
      if (!breakAfter(parent, child)) continue;
      // A comment on a line of its own leads what comes after the line break, unless that is a closing bracket.
      const next = candidates(parent).find((k) => k.span.start >= child.span.end);
      // After a `//` comment already trailing `child`, this one is printed on the next line too.
      const own = p.ownLine || this.afterLineComment(this.nodes.get(child)?.trailing);
      if (own && next && !BRACKET.test(this.masked.slice(child.span.end, next.span.start))) {
        this.slot(next).leading.push(own === p.ownLine ? p : { ...p, ownLine: true, endOfLine: true });
      } else {
        this.slot(child).trailing.push(p);
      }
      return;
    }
    this.afterItem(path[0] as TopItem, p);
  }
}

/** Decide where every comment of `ast` goes. */
export function attachComments(ast: Policy, source: Source): CommentLayout {
  const items: TopItem[] = [...(ast.header ? [ast.header] : []), ...ast.decls].sort((a, b) => a.span.start - b.span.start);
  const comments = [...ast.comments].sort((a, b) => a.span.start - b.span.start);
  const attacher = new Attacher(source.text, comments, items);
  for (const c of comments) attacher.add(c);
  return {
    nodes: attacher.nodes,
    itemLeading: attacher.itemLeading,
    itemTrailing: attacher.itemTrailing,
    fileEnd: attacher.fileEnd,
    items,
  };
}
