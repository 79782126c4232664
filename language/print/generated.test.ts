/**
 * Random policy ASTs (every construct of the grammar) printed and parsed back: the tree must survive, and
 * formatting the printed text must not change it.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse } from "../parser/index.js";
import { makeSource } from "../source.js";
import { formatText, printPolicy } from "./index.js";
import { policyArbitrary } from "./test-support/arbitraries.js";
import { stripSpans } from "./test-support/corpus.js";

describe("generated ASTs", () => {
  it.each([110, 40])("print, parse back to the same tree, and format idempotently (width %i)", (printWidth) => {
    fc.assert(
      fc.property(policyArbitrary(), (ast) => {
        const text = printPolicy(ast, makeSource("gen.aarm", ""), { printWidth });
        const r = parse(makeSource("gen.aarm", text));
        const errors = r.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`);
        expect(errors, text).toEqual([]);
        expect(stripSpans(r.ast), text).toEqual(stripSpans(ast));
        const again = formatText(text, "gen.aarm", { printWidth });
        expect(again).toEqual({ formatted: text });
      }),
      { numRuns: 300 },
    );
  });
});
