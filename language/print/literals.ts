/**
 * Canonical text of leaves: strings, tool patterns, references, addresses, ports. Pure functions of the AST.
 */
import type { AddressLit, PathSegment, PortRange, Ref, ToolPattern } from "../ast.js";
import { assertNever } from "../ast.js";

/**
 * Characters escaped although they are not ASCII: DEL and C1 controls, line and paragraph separators, zero-width
 * and bidirectional-formatting characters (which can make a policy read differently from what it does), BOM.
 */
const INVISIBLE = /[\u007f-\u009f\u061c\u200b\u200e\u200f\u2028\u2029\u202a-\u202e\u2060\u2066-\u2069\ufeff]/g;

/**
 * A string literal in canonical form: JSON.stringify escaping (`\"`, `\\`, `\n`, `\u0001`, ...); non-ASCII
 * characters are kept as they are, except the invisible ones above. The lexer's escapes are a superset of JSON's,
 * so the text always decodes back to the same value.
 */
export function quote(value: string): string {
  return JSON.stringify(value).replace(INVISIBLE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** A tool pattern as written: bare (`db.query`, `calendar.*`, `*`) or quoted (`"read-file"`). */
export function toolPatternText(p: ToolPattern): string {
  return p.quoted ? quote(p.text) : p.text;
}

/** One `.name` or `[index]` step. */
export function segmentText(s: PathSegment): string {
  switch (s.kind) {
    case "FieldSegment":
      return `.${s.name}`;
    case "IndexSegment":
      return typeof s.index === "number" ? `[${String(s.index)}]` : `[${quote(s.index)}]`;
    default:
      return assertNever(s);
  }
}

/** `args.to`, `context.window`, `result.rows[0]`. */
export function refText(r: Ref): string {
  return r.root.name + r.segments.map(segmentText).join("");
}

/**
 * The argument path of a `bind` declaration: the reference without its implicit `args.` root (`path`,
 * `user.name`, `items[0]`).
 */
export function argPathText(r: Ref): string {
  const [head, ...rest] = r.segments;
  if (head?.kind !== "FieldSegment") throw new Error("a bind argument must start with a field name");
  return head.name + rest.map(segmentText).join("");
}

/** The exact shape the lexer reads as a bare address (IPv4 with an optional prefix length). */
const BARE_ADDRESS = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}(?:\/\d{1,3})?$/;

/** An address: bare when the lexer reads it back as one address token, quoted otherwise (IPv6, anything else). */
export function addressText(a: AddressLit): string {
  return BARE_ADDRESS.test(a.text) ? a.text : quote(a.text);
}

/** `22` or `8000..8100`. */
export function portRangeText(p: PortRange): string {
  return p.from === p.to ? String(p.from) : `${String(p.from)}..${String(p.to)}`;
}
