/**
 * Shared by the parser's robustness tests: the seed policies and the invariants every parse must satisfy,
 * whatever the input (well-formed diagnostics, spans inside the text, no exceptions).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { allEntries } from "../../diagnostics/catalog.js";
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { makeSource } from "../../source.js";
import { parse, type ParseResult } from "../index.js";

const here = fileURLToPath(new URL(".", import.meta.url));
const repoRoot = join(here, "..", "..", "..");

/** Catalog entries by code. */
export const catalogByCode: ReadonlyMap<string, (typeof allEntries)[number]> = new Map(
  allEntries.map((e) => [e.code, e]),
);

/** Seed policies: the checked-in seeds plus every examples/<name>/policy.aarm present when the tests run. */
export function seedPolicies(): { readonly name: string; readonly text: string }[] {
  const seeds = readdirSync(join(here, "seeds"))
    .filter((f) => f.endsWith(".aarm"))
    .sort()
    .map((f) => ({ name: `seeds/${f}`, text: readFileSync(join(here, "seeds", f), "utf8") }));
  const examples = join(repoRoot, "examples");
  if (existsSync(examples)) {
    for (const dir of readdirSync(examples).sort()) {
      const p = join(examples, dir, "policy.aarm");
      if (existsSync(p)) seeds.push({ name: `examples/${dir}/policy.aarm`, text: readFileSync(p, "utf8") });
    }
  }
  return seeds;
}

/** The problem with one diagnostic, or undefined if it is well-formed for a text of `length` code units. */
export function diagnosticProblem(d: Diagnostic, length: number, allowNoSpan = false): string | undefined {
  const entry = catalogByCode.get(d.code);
  if (!entry) return `code ${d.code} is not in the catalog`;
  if (d.severity !== entry.severity)
    return `${d.code}: severity ${d.severity}, catalog says ${entry.severity}`;
  if (typeof d.message !== "string" || d.message.length === 0) return `${d.code}: empty message`;
  for (const m of entry.message.matchAll(/\{([A-Za-z0-9_]+)\}/g)) {
    if (!d.data || !(m[1]! in d.data)) return `${d.code}: parameter {${m[1]}} missing`;
  }
  if (d.span === undefined) return allowNoSpan ? undefined : `${d.code}: no span`;
  const { start, end } = d.span;
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || start > end || end > length) {
    return `${d.code}: span [${start}, ${end}) outside the text (length ${length})`;
  }
  return undefined;
}

/** The first AST node whose span is not inside [0, length], found without recursion (ASTs can be deep). */
export function badAstSpan(root: unknown, length: number): string | undefined {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null || typeof v !== "object") continue;
    if (Array.isArray(v)) {
      for (const x of v) stack.push(x);
      continue;
    }
    const o = v as Record<string, unknown>;
    if (typeof o["kind"] === "string" && "span" in o) {
      const sp = o["span"] as { start?: unknown; end?: unknown } | undefined;
      const s = sp?.start;
      const e = sp?.end;
      if (typeof s !== "number" || typeof e !== "number" || !(0 <= s && s <= e && e <= length)) {
        return `${String(o["kind"])} has span ${JSON.stringify(sp)} (text length ${length})`;
      }
    }
    for (const [k, x] of Object.entries(o)) if (k !== "span") stack.push(x);
  }
  return undefined;
}

/** Parse `text` and throw an Error describing the first broken invariant. Returns the result. */
export function parseChecked(text: string, id = "policy.aarm"): ParseResult {
  let r: ParseResult;
  try {
    r = parse(makeSource(id, text));
  } catch (e) {
    throw new Error(`parse threw: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  }
  for (const d of r.diagnostics) {
    const p = diagnosticProblem(d, text.length);
    if (p) throw new Error(`bad diagnostic: ${p}\n${JSON.stringify(d)}`);
    if (d.sourceId !== id) throw new Error(`diagnostic for ${d.sourceId}, expected ${id}`);
  }
  const bad = badAstSpan(r.ast, text.length);
  if (bad) throw new Error(`bad AST span: ${bad}`);
  return r;
}

/** Number of error diagnostics. */
export function errorCount(r: ParseResult): number {
  return r.diagnostics.filter((d) => d.severity === "error").length;
}
