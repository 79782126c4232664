/**
 * THE diagnostic type: every phase (lexer, parser, checker, schema loader, targets) reports through it.
 * Phases collect diagnostics into a DiagnosticBag instead of throwing. Its JSON shape lines up with LSP
 * diagnostics and Cedar's DetailedError.
 */
import type { Span } from "../source.js";

export type Severity = "error" | "warning" | "info";

/** A stable, documented code: AARM1xxx syntax, 2xxx names and types, 3xxx schemas, 4xxx target limits. */
export type DiagnosticCode = `AARM${number}`;

export interface RelatedInfo {
  readonly sourceId: string;
  readonly span: Span;
  readonly message: string;
}

export interface Diagnostic {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  readonly message: string;
  /** The file (or other source id) the span points into. */
  readonly sourceId: string;
  /** Where; undefined only for whole-file problems such as an unreadable file. */
  readonly span: Span | undefined;
  readonly related?: readonly RelatedInfo[];
  /** One line saying how to fix it. */
  readonly help?: string;
  /** Structured parameters the message was rendered from. */
  readonly data?: Readonly<Record<string, unknown>>;
}

/** Collects diagnostics in report order, dropping exact duplicates (same code, span and message). */
export class DiagnosticBag {
  readonly #items: Diagnostic[] = [];
  readonly #seen = new Set<string>();

  add(d: Diagnostic): void {
    const key = `${d.code}|${d.sourceId}|${d.span?.start ?? -1}|${d.span?.end ?? -1}|${d.message}`;
    if (this.#seen.has(key)) return;
    this.#seen.add(key);
    this.#items.push(d);
  }

  addAll(ds: Iterable<Diagnostic>): void {
    for (const d of ds) this.add(d);
  }

  get items(): readonly Diagnostic[] {
    return this.#items;
  }

  get hasErrors(): boolean {
    return this.#items.some((d) => d.severity === "error");
  }
}

/** True if any diagnostic is an error. */
export function hasErrors(ds: readonly Diagnostic[]): boolean {
  return ds.some((d) => d.severity === "error");
}

/** localeCompare, without asking ICU's collator (slow to load) when the strings are equal. */
function compareText(a: string, b: string): number {
  return a === b ? 0 : a.localeCompare(b);
}

/** Sort by source, then position, then code: a stable order for output and golden files. */
export function sortDiagnostics(ds: readonly Diagnostic[]): Diagnostic[] {
  return [...ds].sort(
    (a, b) =>
      compareText(a.sourceId, b.sourceId) ||
      (a.span?.start ?? -1) - (b.span?.start ?? -1) ||
      (a.span?.end ?? -1) - (b.span?.end ?? -1) ||
      compareText(a.code, b.code) ||
      compareText(a.message, b.message),
  );
}
