/**
 * Diagnostic rendering, in TypeScript's "pretty" style:
 *
 *     policy.aarm:12:5 - error AARM2003: message
 *
 *     12 deny foo when x
 *            ~~~
 *       help: ...
 *
 *       policy.aarm:3:1 - first declared here
 *         3 ...
 *
 * plus a JSON form that lines up with LSP diagnostics. Pure: no process or terminal access; the caller decides
 * about color and how file names are shown.
 */
import { lineCol, type Source, type Span } from "../source.js";
import { codeFrame, painter, printable, type Paint } from "./code-frame.js";
import type { Diagnostic, Severity } from "./diagnostic.js";

/** How to render. */
export interface RenderOptions {
  /** Emit ANSI colors (default false). */
  readonly color?: boolean;
  /** How a source id is shown (the CLI passes paths relative to the working directory). Default: the id. */
  readonly displayName?: (sourceId: string) => string;
  /** Source lines wider than this many columns are clipped around the span (default 120). */
  readonly maxLineWidth?: number;
}

/** The serialized form of a diagnostic: 1-based lines and columns; the end position is exclusive. */
export interface JsonDiagnostic {
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly help?: string;
  readonly related?: readonly JsonRelated[];
}

/** A related location in the JSON form. */
export interface JsonRelated {
  readonly file: string;
  readonly message: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

function positionOf(
  sp: Span | undefined,
  source: Source | undefined,
): { line: number; column: number } | undefined {
  if (sp === undefined) return undefined;
  if (source === undefined) return sp.start === 0 ? { line: 1, column: 1 } : undefined;
  return lineCol(source, sp.start);
}

function location(file: string, pos: { line: number; column: number } | undefined, paint: Paint): string {
  const f = paint("file", printable(file));
  return pos ? `${f}:${paint("pos", String(pos.line))}:${paint("pos", String(pos.column))}` : f;
}

/**
 * Render one diagnostic: location, severity, code and message; then a code frame; then `help:` and each related
 * location with its own frame. The result ends with a newline.
 */
export function renderDiagnostic(
  d: Diagnostic,
  sources: ReadonlyMap<string, Source>,
  opts: RenderOptions = {},
): string {
  const paint = painter(opts.color ?? false);
  const name = opts.displayName ?? ((id: string) => id);
  const source = sources.get(d.sourceId);
  const pos = positionOf(d.span, source);
  const head = `${location(name(d.sourceId), pos, paint)} - ${paint(d.severity, d.severity)} ${paint("code", d.code)}:`;
  const lines = [`${head} ${printable(d.message)}`];
  if (d.span && source) lines.push("", ...codeFrame(source, d.span, d.severity, "", opts));
  if (d.help !== undefined) lines.push(`  ${paint("help", "help")}: ${printable(d.help)}`);
  for (const r of d.related ?? []) {
    const rs = sources.get(r.sourceId);
    lines.push(
      "",
      `  ${location(name(r.sourceId), positionOf(r.span, rs), paint)} - ${printable(r.message)}`,
    );
    if (rs) lines.push(...codeFrame(rs, r.span, "info", "    ", opts));
  }
  return `${lines.join("\n")}\n`;
}

/** Render several diagnostics, separated by blank lines. */
export function renderDiagnostics(
  ds: readonly Diagnostic[],
  sources: ReadonlyMap<string, Source>,
  opts: RenderOptions = {},
): string {
  return ds.map((d) => renderDiagnostic(d, sources, opts)).join("\n");
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** `Found 2 errors and 1 warning in 1 file.`, or `No problems found.` when the list is empty. */
export function renderSummary(ds: readonly Diagnostic[]): string {
  if (ds.length === 0) return "No problems found.";
  const count = (s: Severity) => ds.filter((d) => d.severity === s).length;
  const parts: string[] = [];
  if (count("error") > 0) parts.push(plural(count("error"), "error"));
  if (count("warning") > 0) parts.push(plural(count("warning"), "warning"));
  if (count("info") > 0) parts.push(plural(count("info"), "info message"));
  const listed =
    parts.length > 1 ? `${parts.slice(0, -1).join(", ")} and ${parts.at(-1) ?? ""}` : (parts[0] ?? "");
  const files = new Set(ds.map((d) => d.sourceId)).size;
  return `Found ${listed} in ${plural(files, "file")}.`;
}

function jsonRange(sp: Span | undefined, source: Source | undefined) {
  if (sp === undefined || source === undefined) return { line: 1, column: 1, endLine: 1, endColumn: 1 };
  const s = lineCol(source, sp.start);
  const e = lineCol(source, Math.max(sp.start, sp.end));
  return { line: s.line, column: s.column, endLine: e.line, endColumn: e.column };
}

/**
 * The JSON form of a diagnostic. Positions are 1-based and the end is exclusive; a diagnostic without a span, or
 * whose source text is not available, is placed at 1:1.
 */
export function toJsonDiagnostic(
  d: Diagnostic,
  sources: ReadonlyMap<string, Source>,
  opts: Pick<RenderOptions, "displayName"> = {},
): JsonDiagnostic {
  const name = opts.displayName ?? ((id: string) => id);
  const related = (d.related ?? []).map((r) => ({
    file: name(r.sourceId),
    message: r.message,
    ...jsonRange(r.span, sources.get(r.sourceId)),
  }));
  return {
    code: d.code,
    severity: d.severity,
    message: d.message,
    file: name(d.sourceId),
    ...jsonRange(d.span, sources.get(d.sourceId)),
    ...(d.help !== undefined ? { help: d.help } : {}),
    ...(related.length > 0 ? { related } : {}),
  };
}
