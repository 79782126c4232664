import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { formatText } from "./index.js";
import { commentTexts, corpus, parseOk, stripSpans, TESTDATA } from "./test-support/corpus.js";

const UPDATE = process.env["UPDATE_GOLDEN"] === "1";
const FORMATTED = join(TESTDATA, "formatted");

function format(text: string, id: string, printWidth?: number): string {
  const r = formatText(text, id, printWidth === undefined ? {} : { printWidth });
  if (!("formatted" in r)) throw new Error(`${id}: ${r.diagnostics.map((d) => d.message).join("; ")}`);
  return r.formatted;
}

describe("formatter corpus", () => {
  const files = corpus();

  it("has a varied corpus", () => {
    expect(files.length).toBeGreaterThanOrEqual(15);
  });

  describe.each(files)("$name", ({ name, text }) => {
    const formatted = format(text, name);

    it("keeps the meaning: parse(format(x)) equals parse(x) modulo spans", () => {
      expect(stripSpans(parseOk(formatted, name))).toEqual(stripSpans(parseOk(text, name)));
    });

    it("keeps every comment, in order", () => {
      expect(commentTexts(parseOk(formatted, name))).toEqual(commentTexts(parseOk(text, name)));
    });

    it("is idempotent", () => {
      expect(format(formatted, name)).toBe(formatted);
    });

    it.each([40, 80, 200])("is idempotent and meaning-preserving at print width %i", (width) => {
      const narrow = format(text, name, width);
      expect(format(narrow, name, width)).toBe(narrow);
      expect(stripSpans(parseOk(narrow, name))).toEqual(stripSpans(parseOk(text, name)));
      expect(commentTexts(parseOk(narrow, name))).toEqual(commentTexts(parseOk(text, name)));
    });

    it("has no trailing whitespace, ends with one newline, and puts the header first", () => {
      expect(formatted).not.toMatch(/[ \t]+\n/);
      expect(formatted).toMatch(/[^\n]\n$/);
      expect(formatted).not.toMatch(/\n\n\n/);
      const firstCode = formatted.split("\n").find((l) => l !== "" && !/^\s*(\/\/|\/\*|\*)/.test(l));
      expect(firstCode).toMatch(/^policy /);
    });

    it("matches the golden output (UPDATE_GOLDEN=1 rewrites it)", () => {
      const path = join(FORMATTED, name);
      if (UPDATE) {
        mkdirSync(FORMATTED, { recursive: true });
        writeFileSync(path, formatted);
      }
      expect(existsSync(path), `missing ${path}: run with UPDATE_GOLDEN=1`).toBe(true);
      expect(formatted).toBe(readFileSync(path, "utf8"));
    });
  });
});
