/**
 * Helpers for the formatter tests: the corpus of sample policies, and AST comparison modulo spans.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Policy } from "../../ast.js";
import { parse } from "../../parser/index.js";
import { makeSource } from "../../source.js";

/** The directory of the sample policies. */
export const TESTDATA = join(dirname(fileURLToPath(import.meta.url)), "..", "testdata");

/** One sample policy. */
export interface CorpusFile {
  readonly name: string;
  readonly text: string;
}

/** Every `testdata/*.aarm` file, sorted by name. */
export function corpus(): CorpusFile[] {
  return readdirSync(TESTDATA)
    .filter((f) => f.endsWith(".aarm"))
    .sort()
    .map((name) => ({ name, text: readFileSync(join(TESTDATA, name), "utf8") }));
}

const SPAN_KEYS = new Set(["span", "opSpan", "effectSpan", "targetSpan", "comments"]);

/** A deep copy of an AST without spans and without the comment list. */
export function stripSpans(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripSpans);
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (!SPAN_KEYS.has(k) && v !== undefined) out[k] = stripSpans(v);
  }
  return out;
}

/** The comments of a policy as the formatter prints them: `//` comments without trailing blanks, `\n` breaks. */
export function commentTexts(ast: Policy): string[] {
  return ast.comments.map((c) => (c.block ? c.text.replace(/\r\n?/g, "\n") : c.text.trimEnd()));
}

/** Parse text that must be free of errors. */
export function parseOk(text: string, id = "test.aarm"): Policy {
  const r = parse(makeSource(id, text));
  const errors = r.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) throw new Error(`unexpected syntax errors in ${id}: ${errors.map((d) => d.message).join("; ")}`);
  return r.ast;
}
