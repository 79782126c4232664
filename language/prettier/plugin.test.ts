import * as prettier from "prettier";
import { describe, expect, it } from "vitest";
import { formatText } from "../print/index.js";
import { corpus } from "../print/test-support/corpus.js";
import * as pluginModule from "./plugin.js";
import { plugin } from "./plugin.js";

function viaFormatText(text: string, printWidth?: number): string {
  const r = formatText(text, "x.aarm", printWidth === undefined ? {} : { printWidth });
  if (!("formatted" in r)) throw new Error(r.diagnostics.map((d) => d.message).join("; "));
  return r.formatted;
}

describe("prettier plugin", () => {
  it("formats through prettier.format with parser aarm", async () => {
    const out = await prettier.format('policy "p"\ndefault   deny\nallow  a.b ,c', { parser: "aarm", plugins: [plugin] });
    expect(out).toBe('policy "p"\n\ndefault deny\n\nallow a.b, c\n');
  });

  it("finds the language from the file extension", async () => {
    const out = await prettier.format('policy "p"\ndefault deny', { filepath: "policy.aarm", plugins: [plugin] });
    expect(out).toBe('policy "p"\n\ndefault deny\n');
    const info = await prettier.getFileInfo("policy.aarm", { plugins: [plugin] });
    expect(info.inferredParser).toBe("aarm");
  });

  it("works when given the module namespace, as Prettier loads plugin modules", async () => {
    const out = await prettier.format('policy "p"\ndefault deny', { parser: "aarm", plugins: [{ ...pluginModule }] });
    expect(out).toBe('policy "p"\n\ndefault deny\n');
  });

  describe.each(corpus())("gives the same text as formatText: $name", ({ text }) => {
    it("at the default print width", async () => {
      expect(await prettier.format(text, { parser: "aarm", plugins: [plugin] })).toBe(viaFormatText(text));
    });
    it("at print width 60", async () => {
      expect(await prettier.format(text, { parser: "aarm", plugins: [plugin], printWidth: 60 })).toBe(viaFormatText(text, 60));
    });
  });

  it("keeps comments without Prettier complaining about unprinted comments", async () => {
    const text = '// top\npolicy "p" // header\n/* a */ default deny /* b */\ndeny x when // why\n  a == 1\n// end\n';
    const out = await prettier.format(text, { parser: "aarm", plugins: [plugin] });
    expect(out).toBe(viaFormatText(text));
    for (const c of ["// top", "// header", "/* a */", "/* b */", "// why", "// end"]) expect(out).toContain(c);
  });

  it("normalizes CRLF line endings like formatText", async () => {
    const text = 'policy "p"\r\n/* a\r\n   b */\r\ndefault deny\r\n';
    const out = await prettier.format(text, { parser: "aarm", plugins: [plugin] });
    expect(out).toBe(viaFormatText(text));
    expect(out).not.toContain("\r");
  });

  it("refuses a file with syntax errors, with a located error", async () => {
    const text = 'policy "p"\ndefault deny\ndeny x when == 1\n';
    const err: unknown = await prettier.format(text, { parser: "aarm", plugins: [plugin] }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SyntaxError);
    const e = err as Error & { loc?: { start: { line: number; column: number } } };
    expect(e.message).toMatch(/^AARM1004: expected an expression, found '=='/);
    expect(e.loc?.start).toEqual({ line: 3, column: 13 });
    expect(e.message).toContain("deny x when == 1"); // Prettier's code frame
  });
});
