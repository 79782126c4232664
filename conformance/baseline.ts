/**
 * Golden diagnostics in the style of TypeScript's `tests/baselines/reference/*.errors.txt`:
 *
 *     policy.aarm(3,25): error AARM1004: expected an expression, found 'deny'
 *
 *
 *     ==== policy.aarm (1 errors) ====
 *         policy "p" version "1.0.0"
 *         default deny
 *         deny email.send when args.to ==
 *                                        ~
 *     !!! error AARM1004: expected an expression, found 'deny'
 *
 * First one line per diagnostic (`id(line,col)`, 1-based), then every file that has diagnostics, each line
 * indented by four spaces and, under a line that a diagnostic's span touches, a `~` squiggle and the message
 * (with its help line and related locations). An empty span gets a single `~`.
 */
import { language } from "../index.js";

type Diagnostic = language.Diagnostic;
type Source = language.Source;
const { lineCol, lineStarts, lineText, makeSource, sortDiagnostics } = language;

/** Source texts by source id (the ids diagnostics point at). */
export type SourceTexts = ReadonlyMap<string, string> | Readonly<Record<string, string>>;

function textsToSources(texts: SourceTexts): Map<string, Source> {
  const entries = texts instanceof Map ? [...texts.entries()] : Object.entries(texts);
  return new Map(entries.map(([id, text]) => [id, makeSource(id, text)]));
}

function where(sources: ReadonlyMap<string, Source>, id: string, offset: number | undefined): string {
  const src = sources.get(id);
  if (offset === undefined || !src) return id;
  const lc = lineCol(src, offset);
  return `${id}(${lc.line},${lc.column})`;
}

/** The squiggle for `[start, end)` on the line starting at `lineStart`; tabs are kept so columns line up. */
function squiggle(line: string, lineStart: number, start: number, end: number): string {
  const from = Math.max(0, start - lineStart);
  const to = Math.min(line.length, end - lineStart);
  const pad = line.slice(0, from).replace(/[^\t]/g, " ");
  return `${pad}${"~".repeat(Math.max(1, to - from))}`;
}

function messageLines(sources: ReadonlyMap<string, Source>, d: Diagnostic): string[] {
  const out = [`!!! ${d.severity} ${d.code}: ${d.message}`];
  if (d.help !== undefined) out.push(`!!! help: ${d.help}`);
  for (const r of d.related ?? [])
    out.push(`!!! related ${where(sources, r.sourceId, r.span.start)}: ${r.message}`);
  return out;
}

/** Lines of one file with squiggles and messages under the lines its diagnostics touch. */
function renderFile(sources: ReadonlyMap<string, Source>, src: Source, ds: readonly Diagnostic[]): string[] {
  const starts = lineStarts(src);
  const byLastLine = new Map<number, Diagnostic[]>();
  const squiggles = new Map<number, string[]>();
  const out = [`==== ${src.id} (${ds.length} errors) ====`];
  for (const d of ds) {
    if (!d.span) {
      out.push(...messageLines(sources, d));
      continue;
    }
    const first = lineCol(src, d.span.start).line;
    const last = Math.max(first, lineCol(src, Math.max(d.span.start, d.span.end - 1)).line);
    for (let line = first; line <= last; line++) {
      const sq = squiggle(lineText(src, line), starts[line - 1] ?? 0, d.span.start, d.span.end);
      squiggles.set(line, [...(squiggles.get(line) ?? []), sq]);
    }
    byLastLine.set(last, [...(byLastLine.get(last) ?? []), d]);
  }
  for (let line = 1; line <= starts.length; line++) {
    const text = lineText(src, line);
    if (line === starts.length && text === "" && !squiggles.has(line)) break; // trailing newline
    out.push(`    ${text}`);
    for (const sq of squiggles.get(line) ?? []) out.push(`    ${sq}`);
    for (const d of byLastLine.get(line) ?? []) out.push(...messageLines(sources, d));
  }
  return out;
}

/**
 * Render diagnostics over their source texts as a TypeScript-style `.errors.txt` baseline. Diagnostics are
 * sorted (source, position, code); files without diagnostics are left out; a diagnostic whose source text is
 * not given (a file that could not be read or decoded) appears in the list only.
 */
export function renderBaseline(sourceTexts: SourceTexts, diagnostics: readonly Diagnostic[]): string {
  const sources = textsToSources(sourceTexts);
  const sorted = sortDiagnostics(diagnostics);
  if (sorted.length === 0) return "";
  const lines = sorted.map(
    (d) => `${where(sources, d.sourceId, d.span?.start)}: ${d.severity} ${d.code}: ${d.message}`,
  );
  const ids = [...new Set(sorted.map((d) => d.sourceId))];
  for (const id of ids) {
    const src = sources.get(id);
    if (!src) continue;
    lines.push("", "");
    lines.push(
      ...renderFile(
        sources,
        src,
        sorted.filter((d) => d.sourceId === id),
      ),
    );
  }
  return `${lines.join("\n")}\n`;
}

/** The diagnostic codes a baseline lists (from its first section), for coverage checks. */
export function baselineCodes(baseline: string): Set<string> {
  const codes = new Set<string>();
  for (const m of baseline.matchAll(/^[^\n]*?: (?:error|warning|info) (AARM\d{4}): /gm)) codes.add(m[1]!);
  return codes;
}
