/**
 * Comments in random places: for every corpus file, comments are inserted between random tokens; the formatter
 * must keep every comment, keep the AST, and be idempotent on the result. `FUZZ_RUNS=5000 npx vitest run` this file
 * for a longer search (60 cases per file by default).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { lex } from "../lexer/lexer.js";
import { makeSource } from "../source.js";
import { formatText } from "./index.js";
import { commentTexts, corpus, parseOk, stripSpans } from "./test-support/corpus.js";

const SHAPES = [
  (n: number) => ` /* c${String(n)} */ `,
  (n: number) => ` // c${String(n)}\n`,
  (n: number) => `\n/* c${String(n)} */\n`,
  (n: number) => `\n// c${String(n)}\n`,
  (n: number) => `\n\n// c${String(n)}\n\n`,
  (n: number) => ` /* c${String(n)}\n   spans lines */ `,
];

function insertComments(text: string, offsets: readonly number[], picks: readonly [number, number][]): string {
  const inserts = picks
    .map(([at, shape], n) => ({ offset: offsets[at % offsets.length]!, text: SHAPES[shape % SHAPES.length]!(n) }))
    .sort((a, b) => b.offset - a.offset);
  let out = text;
  for (const ins of inserts) out = out.slice(0, ins.offset) + ins.text + out.slice(ins.offset);
  return out;
}

function format(text: string): string {
  const r = formatText(text, "fuzz.aarm");
  if (!("formatted" in r)) throw new Error(`syntax errors: ${r.diagnostics.map((d) => d.message).join("; ")}\n${text}`);
  return r.formatted;
}

describe("comments between any two tokens", () => {
  it.each(corpus())("$name", ({ text }) => {
    const tokens = lex(makeSource("x", text)).tokens;
    const offsets = [...tokens.map((t) => t.startOffset), text.length];
    const pick = fc.tuple(fc.nat(), fc.nat());
    fc.assert(
      fc.property(fc.array(pick, { minLength: 1, maxLength: 6 }), (picks) => {
        const mutated = insertComments(text, offsets, picks);
        const first = formatText(mutated, "fuzz.aarm");
        // A line break is not allowed everywhere (`session.` at the end of a line followed by `labels`): skip.
        fc.pre("formatted" in first);
        const once = format(mutated);
        const original = parseOk(mutated);
        const reparsed = parseOk(once);
        expect(stripSpans(reparsed)).toEqual(stripSpans(original));
        // Comments keep their text; a comment inside a word (`args /* c */ .to`) may move past a neighbour.
        expect(commentTexts(reparsed).sort()).toEqual(commentTexts(original).sort());
        expect(format(once)).toBe(once);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 60) },
    );
  });
});

describe("comments found by the fuzzing above", () => {
  it.each([
    {
      name: "an own-line comment after a constraint, then a line comment: printed on lines of their own",
      lines: ['policy "interleaved"', "validate email.send { len", "/* c2 */", "(args.to) >  // c1", "0 }"],
      printed: "  /* c2 */\n  // c1\n",
    },
    {
      name: "two line comments inside a dotted reference before `because`: the second leads `because`",
      lines: [
        'policy "validate"',
        "validate db.query { args // c0",
        ". // c1",
        'limit is present because "a limit is required" }',
      ],
      printed: 'args.limit is present // c0\n    // c1\n    because "a limit is required"',
    },
  ])("$name, idempotent", ({ lines, printed }) => {
    const once = format([...lines, 'tools from "./tools.json"', ""].join("\n"));
    expect(once).toContain(printed);
    expect(format(once)).toBe(once);
  });
});
