import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { splitShellWords } from "./shell-words.js";

/** POSIX single-quoting: 'it'\''s'. */
const quote = (w: string) => `'${w.replace(/'/g, `'\\''`)}'`;

describe("splitShellWords", () => {
  it("round-trips any argv quoted with single quotes", () => {
    const word = fc.string({ unit: "binary" }).filter((w) => !w.includes("\u0000"));
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 6 }), (argv) => {
        expect(splitShellWords(argv.map(quote).join(" "))).toEqual({ ok: true, words: argv });
      }),
      { numRuns: 300 },
    );
  });

  it("handles backslashes outside and inside double quotes as POSIX does", () => {
    expect(
      splitShellWords(String.raw`a\b "c\d" "e\\f" "g\"h" 'i\j' k\
l`),
    ).toEqual({ ok: true, words: ["ab", String.raw`c\d`, String.raw`e\f`, 'g"h', String.raw`i\j`, "kl"] });
  });

  it("reports where the problem is", () => {
    expect(splitShellWords("echo ok; id")).toMatchObject({ ok: false, offset: 7 });
    expect(splitShellWords("a\u0000b")).toMatchObject({
      ok: false,
      offset: 1,
      message: expect.stringMatching(/NUL/),
    });
  });
});
