/**
 * Source text and spans. Spans are UTF-16 offsets, end exclusive; line and column are computed lazily
 * (as graphql-js's `location.ts` does) so that hot paths never pay for them.
 */

/** A named piece of policy text. `id` is what diagnostics point at (usually the file path). */
export interface Source {
  readonly id: string;
  readonly text: string;
}

/** A half-open range [start, end) of UTF-16 offsets into a Source's text. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** A 1-based line and column. */
export interface LineCol {
  readonly line: number;
  readonly column: number;
}

/** Make a Source. */
export function makeSource(id: string, text: string): Source {
  return { id, text };
}

/** Make a span; `end` is clamped so that it is never before `start`. */
export function span(start: number, end: number): Span {
  return { start, end: Math.max(start, end) };
}

/** The smallest span covering both. */
export function joinSpans(a: Span, b: Span): Span {
  return { start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}

const lineStartsCache = new WeakMap<Source, readonly number[]>();

/** Offsets at which each line starts (line 1 starts at 0). Recognises \n, \r\n and \r. */
export function lineStarts(source: Source): readonly number[] {
  const cached = lineStartsCache.get(source);
  if (cached) return cached;
  const starts = [0];
  const text = source.text;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13 /* \r */) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    } else if (c === 10 /* \n */) {
      starts.push(i + 1);
    }
  }
  lineStartsCache.set(source, starts);
  return starts;
}

/** 1-based line and column of an offset (clamped to the text). */
export function lineCol(source: Source, offset: number): LineCol {
  const starts = lineStarts(source);
  const off = Math.max(0, Math.min(offset, source.text.length));
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] ?? 0) <= off) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: off - (starts[lo] ?? 0) + 1 };
}

/** The text of one 1-based line, without its line terminator. */
export function lineText(source: Source, line: number): string {
  const starts = lineStarts(source);
  const start = starts[line - 1];
  if (start === undefined) return "";
  const next = starts[line];
  let end = next === undefined ? source.text.length : next;
  while (end > start && (source.text[end - 1] === "\n" || source.text[end - 1] === "\r")) end--;
  return source.text.slice(start, end);
}
