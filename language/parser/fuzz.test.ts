/**
 * Property tests for the front end: whatever the input, parse() returns, every diagnostic is a well-formed
 * catalog diagnostic with a span inside the text, and every AST span is inside the text.
 *
 * Reproducible: the seed is fixed (override with FUZZ_SEED=n) and fast-check prints seed and path on failure;
 * FUZZ_RUNS=k multiplies the number of runs. At scale 1 the properties here run 10,000 cases in all.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkFile, memoryHost } from "../../compiler/index.js";
import { lex } from "../lexer/lexer.js";
import { allKeywords } from "../lexer/tokens.js";
import { makeSource } from "../source.js";
import { diagnosticProblem, parseChecked, seedPolicies } from "./test-support/invariants.js";

const SEED = Number(process.env["FUZZ_SEED"] ?? 20261122);
const SCALE = Number(process.env["FUZZ_RUNS"] ?? 1);
const runs = (n: number) => ({ seed: SEED, numRuns: Math.max(1, Math.round(n * SCALE)) });

const seeds = seedPolicies();

/** Every keyword, punctuation token and a sample of each literal kind. */
const vocabulary: readonly string[] = [
  ...allKeywords.map((k) => String(k.PATTERN).slice(1, -1)),
  ..."{ } ( ) [ ] , ; : .. . @ * | == != <= >= < > =".split(" "),
  '"str"',
  '"a\\"b"',
  '"\\u00e9\\q"',
  "0",
  "42",
  "-2.5",
  "1e3",
  "99999999999999999999",
  "10m",
  "250ms",
  "10mins",
  "0x1F",
  "0s",
  "400d",
  "/re/i",
  "/(?i)\\bdrop\\b/",
  "203.0.113.0/24",
  "999.1.1.1",
  "args",
  "session",
  "identity",
  "x",
  "db",
  "PII",
  "domain",
  "/*c*/",
  "// c\n",
  "\n",
  '"',
  "/*",
];

/** One edit to a policy text, applied at `at` (taken modulo the text or token count). */
type Edit =
  | { readonly op: "deleteToken" | "duplicateToken" | "swapTokens"; readonly at: number }
  | { readonly op: "insertToken"; readonly at: number; readonly token: string }
  | { readonly op: "deleteChars"; readonly at: number; readonly n: number }
  | { readonly op: "insertText"; readonly at: number; readonly text: string };

const editArb: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ op: fc.constantFrom("deleteToken", "duplicateToken", "swapTokens" as const), at: fc.nat() }),
  fc.record({ op: fc.constant("insertToken" as const), at: fc.nat(), token: fc.constantFrom(...vocabulary) }),
  fc.record({ op: fc.constant("deleteChars" as const), at: fc.nat(), n: fc.integer({ min: 1, max: 8 }) }),
  fc.record({
    op: fc.constant("insertText" as const),
    at: fc.nat(),
    text: fc.string({ unit: "binary", maxLength: 4 }),
  }),
) as fc.Arbitrary<Edit>;

function applyEdit(text: string, e: Edit): string {
  if (e.op === "deleteChars" || e.op === "insertText") {
    const at = text.length === 0 ? 0 : e.at % (text.length + 1);
    return e.op === "deleteChars"
      ? text.slice(0, at) + text.slice(at + e.n)
      : text.slice(0, at) + e.text + text.slice(at);
  }
  const tokens = lex(makeSource("m", text)).tokens;
  if (tokens.length === 0) return text;
  const i = e.at % tokens.length;
  const t = tokens[i]!;
  const start = t.startOffset;
  const end = start + t.image.length;
  switch (e.op) {
    case "deleteToken":
      return text.slice(0, start) + text.slice(end);
    case "duplicateToken":
      return text.slice(0, end) + " " + t.image + text.slice(end);
    case "insertToken":
      return text.slice(0, start) + e.token + " " + text.slice(start);
    case "swapTokens": {
      const u = tokens[i + 1];
      if (!u) return text;
      const uEnd = u.startOffset + u.image.length;
      return text.slice(0, start) + u.image + text.slice(end, u.startOffset) + t.image + text.slice(uEnd);
    }
  }
}

describe(`parse never fails (fast-check seed ${SEED})`, () => {
  it("has seed policies that parse without diagnostics", () => {
    expect(seeds.length).toBeGreaterThanOrEqual(2);
    for (const s of seeds.filter((x) => x.name.startsWith("seeds/"))) {
      expect(parseChecked(s.text).diagnostics, s.name).toEqual([]);
    }
  });

  it("(a) survives token and character mutations of real policies", () => {
    const arb = fc.tuple(
      fc.nat({ max: seeds.length - 1 }),
      fc.array(editArb, { minLength: 1, maxLength: 6 }),
    );
    fc.assert(
      fc.property(arb, ([i, edits]) => {
        parseChecked(edits.reduce(applyEdit, seeds[i]!.text));
      }),
      runs(3500),
    );
  });

  it("(b) survives random streams of the grammar's tokens", () => {
    const sep = fc.constantFrom(" ", " ", "\n", "", "\t");
    const stream = fc.array(fc.tuple(fc.constantFrom(...vocabulary), sep), { maxLength: 80 });
    const withHeader = fc.tuple(fc.boolean(), stream).map(([h, toks]) => {
      const body = toks.map(([t, s]) => t + s).join("");
      return h ? `policy "fuzz" version "1.0.0"\n${body}` : body;
    });
    fc.assert(
      fc.property(withHeader, (text) => {
        parseChecked(text);
      }),
      runs(3000),
    );
  });

  it("(c) survives random unicode strings", () => {
    const text = fc.oneof(
      fc.string({ unit: "binary", maxLength: 300 }),
      fc.string({ unit: "grapheme", maxLength: 300 }),
    );
    fc.assert(
      fc.property(text, (t) => {
        parseChecked(t);
      }),
      runs(1500),
    );
  });

  it("(c) survives random bytes decoded leniently", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        parseChecked(new TextDecoder("utf-8").decode(bytes));
        parseChecked(new TextDecoder("latin1").decode(bytes));
      }),
      runs(1000),
    );
  });

  it("checkFile with random bytes (often invalid UTF-8) returns diagnostics and never throws", () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 300 }),
      fc
        .tuple(fc.nat({ max: seeds.length - 1 }), fc.uint8Array({ minLength: 1, maxLength: 4 }), fc.nat())
        .map(([i, junk, at]) => {
          const good = new TextEncoder().encode(seeds[i]!.text);
          const p = at % (good.length + 1);
          return Uint8Array.from([...good.subarray(0, p), ...junk, ...good.subarray(p)]);
        }),
    );
    fc.assert(
      fc.property(bytes, (b) => {
        const r = checkFile("dir/policy.aarm", memoryHost({ "dir/policy.aarm": b }));
        const length = r.source?.text.length ?? 0;
        for (const d of r.diagnostics) {
          const p = diagnosticProblem(d, Math.max(length, 0), d.code === "AARM1000");
          if (p) throw new Error(p);
        }
        let valid = true;
        try {
          new TextDecoder("utf-8", { fatal: true }).decode(b);
        } catch {
          valid = false;
        }
        if (!valid && !r.diagnostics.some((d) => d.code === "AARM1005"))
          throw new Error("invalid UTF-8 not reported");
      }),
      runs(1000),
    );
  });

  it("checkFile reports an unreadable file without throwing", () => {
    const r = checkFile("missing.aarm", memoryHost({}));
    expect(r.diagnostics.map((d) => d.code)).toEqual(["AARM1000"]);
    expect(diagnosticProblem(r.diagnostics[0]!, 0, true)).toBeUndefined();
  });
});
