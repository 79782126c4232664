/**
 * A one-line-per-node dump of an AST, for golden `ast.txt` files and debugging (in the spirit of cel-es's
 * `toDebugString`). Each line shows the key the node sits under, its kind, its span as `@line:col-line:col`
 * (1-based, end exclusive) and its scalar fields; children follow, indented. The walk is the generic one driven
 * by CHILD_KEYS, so a new node kind shows up here without changes. Comments are listed last, under the policy.
 *
 * ```
 * Policy @1:1-3:1
 *   header: Header @1:1-1:13
 *     name: StringLit @1:8-1:13 value="p"
 *   decls[0]: DefaultDecl @2:1-2:13 posture=deny
 * ```
 */
import { CHILD_KEYS, type Node, type NodeKind, type Policy } from "../ast.js";
import { lineCol, type Source, type Span } from "../source.js";
import { walk } from "../walk.js";

const KEYS = CHILD_KEYS as unknown as Readonly<Record<NodeKind, readonly string[]>>;

function spanText(source: Source, s: Span): string {
  const a = lineCol(source, s.start);
  const b = lineCol(source, s.end);
  return `@${String(a.line)}:${String(a.column)}-${String(b.line)}:${String(b.column)}`;
}

function isSpan(v: object): v is Span {
  const r = v as Record<string, unknown>;
  return Object.keys(r).length === 2 && typeof r["start"] === "number" && typeof r["end"] === "number";
}

function valueText(source: Source, v: unknown): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (typeof v === "object" && v !== null && !Array.isArray(v)) return isSpan(v) ? spanText(source, v) : JSON.stringify(v);
  return undefined;
}

/** ` name=value` for every scalar field (not kind, span, children or the comment list). */
function fieldsText(source: Source, node: Node): string {
  const skip = new Set<string>(["kind", "span", "comments", ...KEYS[node.kind]]);
  let out = "";
  for (const [key, value] of Object.entries(node)) {
    if (skip.has(key)) continue;
    const text = valueText(source, value);
    if (text !== undefined) out += ` ${key}=${text}`;
  }
  return out;
}

function lineFor(source: Source, node: Node, depth: number, label: string): string {
  return `${"  ".repeat(depth)}${label}${node.kind} ${spanText(source, node.span)}${fieldsText(source, node)}`;
}

/** The debug dump of `ast` (parsed from `source`), one node per line, ending with a newline. */
export function debugAst(ast: Policy, source: Source): string {
  const lines: string[] = [];
  walk(ast, {
    enter(node, ctx) {
      const label = ctx.key === undefined ? "" : ctx.index === undefined ? `${ctx.key}: ` : `${ctx.key}[${String(ctx.index)}]: `;
      lines.push(lineFor(source, node, ctx.depth, label));
    },
  });
  ast.comments.forEach((c, i) => lines.push(lineFor(source, c, 1, `comments[${String(i)}]: `)));
  return lines.join("\n") + "\n";
}
