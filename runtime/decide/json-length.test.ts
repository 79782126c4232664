import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jsonLength, jsonLengthBound } from "./json-length.js";

describe("jsonLength", () => {
  it("is JSON.stringify(v).length for any JSON value, including escapes, surrogates and unicode", () => {
    const text = fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.string({ unit: "grapheme" }));
    const value = fc.letrec((tie) => ({
      v: fc.oneof(
        { depthSize: "small" },
        text,
        fc.double(),
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie("v")),
        fc.dictionary(text, tie("v")),
      ),
    })).v;
    fc.assert(
      fc.property(value, (v) => {
        expect(jsonLength(v)).toBe(JSON.stringify(v).length);
        expect(jsonLengthBound(v)).toBeGreaterThanOrEqual(JSON.stringify(v).length);
      }),
      { numRuns: 2000 },
    );
  });

  it("counts the digits of integers of every size exactly, around every power of ten and past 10^21", () => {
    const edges: number[] = [
      0,
      -0,
      Number.MAX_SAFE_INTEGER,
      -Number.MAX_SAFE_INTEGER,
      Number.MAX_VALUE,
      Number.MIN_VALUE,
    ];
    for (let e = 0; e <= 23; e++) {
      const p = 10 ** e;
      edges.push(p, p - 1, p + 1, -p, -(p - 1), p * 9.5, p * (1 + Number.EPSILON), p * (1 - Number.EPSILON));
    }
    const numbers = fc.oneof(
      fc.constantFrom(...edges),
      fc.maxSafeInteger(),
      fc.double(),
      fc.integer({ min: -1e6, max: 1e6 }).map((x) => x * 1e15),
    );
    fc.assert(
      fc.property(numbers, (n) => {
        expect(jsonLength(n)).toBe(JSON.stringify(n).length);
        expect(jsonLength({ n })).toBe(JSON.stringify({ n }).length);
        expect(jsonLengthBound(n)).toBeGreaterThanOrEqual(JSON.stringify(n).length);
      }),
      { numRuns: 3000 },
    );
    for (const n of edges) expect(jsonLength(n)).toBe(JSON.stringify(n).length);
  });

  it("leaves what is not plain JSON data to JSON.stringify (same length, or the same failure)", () => {
    const date = new Date(0);
    const cases: unknown[] = [
      { when: date },
      { a: undefined, b: 1 },
      [undefined, () => 1, Symbol("s")],
      { toJSON: () => "x" },
      new (class Point {
        x = 1;
      })(),
      { n: NaN, i: -Infinity, z: -0 },
    ];
    for (const c of cases) {
      expect(jsonLength(c)).toBe(JSON.stringify(c).length);
      expect(jsonLengthBound(c)).toBeGreaterThanOrEqual(JSON.stringify(c).length);
    }
    const cycle: Record<string, unknown> = {};
    cycle["self"] = cycle;
    expect(() => jsonLength(cycle)).toThrow();
    expect(() => jsonLength({ big: 1n })).toThrow();
    expect(() => jsonLengthBound(cycle)).toThrow();
    expect(() => jsonLengthBound({ big: 1n })).toThrow();
    expect(() => jsonLength(undefined)).toThrow();
    let deep: unknown = "end";
    for (let i = 0; i < 500; i++) deep = [deep];
    expect(jsonLength(deep)).toBe(JSON.stringify(deep).length);
  });
});
