/**
 * Code frames for diagnostics: the source lines under a span with a line-number gutter and a `~~~` (or `^`)
 * underline. Tabs expand to 4-column stops, wide characters take two columns, control and bidi characters are
 * shown visibly, long spans collapse to their first and last lines, and long lines are clipped around the span.
 */
import { lineCol, lineText, type Source, type Span } from "../source.js";
import type { Severity } from "./diagnostic.js";

/** Options of a frame. */
export interface FrameOptions {
  readonly color?: boolean;
  /** Source lines wider than this many columns are clipped around the span (default 120). */
  readonly maxLineWidth?: number;
}

const TAB_WIDTH = 4;
const ELLIPSIS = "...";
/** Frames of spans longer than this many lines show the first two and last two lines only. */
const MAX_FRAME_LINES = 5;

/** What a piece of output is, for coloring. */
export type Style = "file" | "pos" | "code" | "gutter" | "help" | Severity;
const ANSI: Readonly<Record<Style, string>> = {
  file: "36",
  pos: "33",
  code: "90",
  gutter: "7",
  help: "1;36",
  error: "91",
  warning: "93",
  info: "94",
};

/** Colors a piece of output (or leaves it alone). */
export type Paint = (style: Style, text: string) => string;

/** A painter: ANSI colors, or none. */
export function painter(color: boolean): Paint {
  return color ? (style, text) => `\u001b[${ANSI[style]}m${text}\u001b[0m` : (_style, text) => text;
}

/** Control characters and bidi overrides would corrupt or reorder a terminal line: show them visibly instead. */
function displayChar(ch: string): string {
  const c = ch.charCodeAt(0);
  if (c < 0x20) return String.fromCharCode(0x2400 + c);
  if (c === 0x7f) return "\u2421";
  if ((c >= 0x80 && c <= 0x9f) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069))
    return "\ufffd";
  if (c === 0x200e || c === 0x200f || c === 0x061c) return "\ufffd";
  return ch;
}

/** Make text safe for one terminal line (messages can quote user input). */
export function printable(text: string): string {
  let out = "";
  for (const ch of text) out += ch === "\n" ? ch : displayChar(ch);
  return out;
}

/** East Asian wide and emoji code points take two terminal columns (a close approximation of wcwidth). */
function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf && cp !== 0x303f) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1faff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

/**
 * A source line as display cells (one column each: tabs expand, a wide character takes a second, empty cell) and
 * the cell index of each UTF-16 offset.
 */
function toCells(line: string): { cells: string[]; cellAt: number[] } {
  const cells: string[] = [];
  const cellAt: number[] = [];
  for (let i = 0; i < line.length; i++) {
    cellAt[i] = cells.length;
    const c = line.charCodeAt(i);
    if (c === 9) {
      const n = TAB_WIDTH - (cells.length % TAB_WIDTH);
      for (let k = 0; k < n; k++) cells.push(" ");
    } else {
      const cp = line.codePointAt(i) ?? c;
      const ch = cp > 0xffff ? line.slice(i, i + 2) : displayChar(line.charAt(i));
      if (cp > 0xffff) cellAt[++i] = cells.length;
      cells.push(ch);
      if (isWide(cp)) cells.push(""); // the second column of a wide character
    }
  }
  cellAt[line.length] = cells.length;
  return { cells, cellAt };
}

interface FrameLine {
  readonly text: string;
  /** Spaces before the underline. */
  readonly pad: string;
  /** The underline itself (`~~~` or `^`); empty when nothing on this line is underlined. */
  readonly marks: string;
}

/**
 * One source line and the underline beneath [from, to) (UTF-16 offsets in the line), or a caret at `from`,
 * clipped to `max` columns around the underlined part.
 */
function frameLine(full: string, fullFrom: number, fullTo: number, max: number, caret: boolean): FrameLine {
  // Only the part of a long line near the span can be shown: cut that out first, so rendering stays linear
  // even for thousands of diagnostics on one huge line.
  let cutStart = 0;
  let cutEnd = full.length;
  if (full.length > 4 * max) {
    cutStart = Math.max(0, fullFrom - 2 * max);
    if (isLowSurrogate(full.charCodeAt(cutStart)) && cutStart < fullFrom) cutStart++;
    cutEnd = Math.min(full.length, fullFrom + 4 * max);
    if (isLowSurrogate(full.charCodeAt(cutEnd))) cutEnd++;
  }
  const line = full.slice(cutStart, cutEnd);
  const from = fullFrom - cutStart;
  const to = Math.min(fullTo, cutEnd) - cutStart;
  const { cells, cellAt } = toCells(line);
  const vFrom = cellAt[Math.min(from, line.length)] ?? 0;
  const vTo = Math.max(vFrom, cellAt[Math.min(to, line.length)] ?? 0);
  let start = 0;
  let end = cells.length;
  if (cells.length > max) {
    start = Math.max(0, Math.min(vFrom - Math.floor(max / 4), cells.length - max));
    end = start + max;
  }
  const before = start > 0 || cutStart > 0 ? ELLIPSIS : "";
  const shown = cells.slice(start, end).map((cell, k) => (cell === "" && k === 0 ? " " : cell));
  // A wide character cut in half by the right edge becomes a space.
  if (end < cells.length && cells[end] === "" && shown.length > 0) shown[shown.length - 1] = " ";
  const text = before + shown.join("") + (end < cells.length || cutEnd < full.length ? ELLIPSIS : "");
  const uFrom = Math.max(vFrom, start);
  const uTo = Math.min(vTo, end);
  const pad = " ".repeat(before.length + uFrom - start);
  const marks = caret ? "^" : "~".repeat(Math.max(0, uTo - uFrom));
  return { text, pad, marks };
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/** The code frame under a span: gutter, source lines, underline. `indent` prefixes every line. */
export function codeFrame(
  source: Source,
  sp: Span,
  severity: Severity,
  indent: string,
  opts: FrameOptions,
): string[] {
  const paint = painter(opts.color ?? false);
  const max = Math.max(20, opts.maxLineWidth ?? 120);
  const start = lineCol(source, sp.start);
  let end = lineCol(source, Math.max(sp.start, sp.end));
  // A span that ends just after a line break ends, for display, at the end of the previous line.
  if (end.line > start.line && end.column === 1) {
    const prev = end.line - 1;
    end = { line: prev, column: lineText(source, prev).length + 1 };
  }
  const collapse = end.line - start.line + 1 > MAX_FRAME_LINES;
  const width = Math.max(String(end.line).length, collapse ? ELLIPSIS.length : 0);
  const out: string[] = [];
  const blankGutter = indent + paint("gutter", " ".repeat(width)) + " ";
  for (let n = start.line; n <= end.line; n++) {
    if (collapse && n === start.line + 2) {
      out.push(indent + paint("gutter", ELLIPSIS.padStart(width)));
      n = end.line - 2;
      continue;
    }
    const line = lineText(source, n);
    const from = n === start.line ? start.column - 1 : 0;
    const to = n === end.line ? end.column - 1 : line.length;
    const { text, pad, marks } = frameLine(line, from, Math.max(from, to), max, sp.end <= sp.start);
    out.push(`${indent}${paint("gutter", String(n).padStart(width))} ${text}`.trimEnd());
    if (marks !== "") out.push(blankGutter + pad + paint(severity, marks));
  }
  return out;
}
