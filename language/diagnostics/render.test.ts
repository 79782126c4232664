import { describe, expect, it } from "vitest";
import { makeSource, type Source } from "../source.js";
import { define } from "./define.js";
import type { Diagnostic } from "./diagnostic.js";
import { renderDiagnostic, renderDiagnostics, renderSummary, toJsonDiagnostic } from "./render.js";

const dup = define({
  code: "AARM9001",
  severity: "error",
  title: "test",
  message: "duplicate rule id '{id}'",
  help: "rename one of them",
  doc: "test",
});
const warn = define({
  code: "AARM9002",
  severity: "warning",
  title: "test",
  message: "unused {what}",
  doc: "test",
});
const info = define({ code: "AARM9003", severity: "info", title: "test", message: "note", doc: "test" });

const text = [
  'policy "p" version "1.0.0"',
  "default deny",
  '@id("x") allow a',
  '@id("x") deny b when args.n > 1',
].join("\n");
const src = makeSource("policy.aarm", text);
const sources: ReadonlyMap<string, Source> = new Map([[src.id, src]]);
const at = (needle: string, from = 0) => {
  const start = text.indexOf(needle, from);
  return { start, end: start + needle.length };
};

function one(id: string, t: string, d: (s: Source) => Diagnostic, opts = {}): string {
  const s = makeSource(id, t);
  return renderDiagnostic(d(s), new Map([[id, s]]), opts);
}

describe("renderDiagnostic", () => {
  const second = at('"x"', at('"x"').end);
  const d = dup(
    src.id,
    second,
    { id: "x" },
    { related: [{ sourceId: src.id, span: at('"x"'), message: "first declared here" }] },
  );

  it("prints location, code, frame, help and related spans", () => {
    expect(renderDiagnostic(d, sources)).toBe(
      [
        "policy.aarm:4:5 - error AARM9001: duplicate rule id 'x'",
        "",
        '4 @id("x") deny b when args.n > 1',
        "      ~~~",
        "  help: rename one of them",
        "",
        "  policy.aarm:3:5 - first declared here",
        '    3 @id("x") allow a',
        "          ~~~",
        "",
      ].join("\n"),
    );
  });

  it("uses display names and colors only when asked", () => {
    const out = renderDiagnostic(d, sources, { color: true, displayName: (id) => `./${id}` });
    expect(out.split("\n")[0]).toBe(
      "\u001b[36m./policy.aarm\u001b[0m:\u001b[33m4\u001b[0m:\u001b[33m5\u001b[0m - \u001b[91merror\u001b[0m " +
        "\u001b[90mAARM9001\u001b[0m: duplicate rule id 'x'",
    );
    expect(renderDiagnostic(d, sources)).not.toContain("\u001b");
  });

  it("puts a caret under an empty span, also at the end of an empty file", () => {
    expect(one("e.aarm", "", (s) => warn(s.id, { start: 0, end: 0 }, { what: "x" }))).toBe(
      ["e.aarm:1:1 - warning AARM9002: unused x", "", "1", "  ^", ""].join("\n"),
    );
    expect(one("e.aarm", "ab\ncd", (s) => info(s.id, { start: 5, end: 5 }, {}))).toBe(
      ["e.aarm:2:3 - info AARM9003: note", "", "2 cd", "    ^", ""].join("\n"),
    );
  });

  it("expands tabs to 4-column stops and keeps the underline aligned", () => {
    expect(one("t.aarm", "\tab\tcd", (s) => info(s.id, { start: 4, end: 6 }, {}))).toBe(
      ["t.aarm:1:5 - info AARM9003: note", "", "1     ab  cd", "          ~~", ""].join("\n"),
    );
  });

  it("counts wide characters (emoji, CJK) as two columns", () => {
    expect(one("u.aarm", '"😀" x', (s) => info(s.id, { start: 5, end: 6 }, {}))).toBe(
      ["u.aarm:1:6 - info AARM9003: note", "", '1 "😀" x', "       ~", ""].join("\n"),
    );
    expect(one("u.aarm", '"日本" é x', (s) => info(s.id, { start: 7, end: 8 }, {}))).toBe(
      ["u.aarm:1:8 - info AARM9003: note", "", '1 "日本" é x', "           ~", ""].join("\n"),
    );
  });

  it("shows control and bidi characters visibly", () => {
    expect(one("c.aarm", "a\u0007b\u202ec", (s) => info(s.id, { start: 1, end: 2 }, {}))).toBe(
      ["c.aarm:1:2 - info AARM9003: note", "", "1 a\u2407b\ufffdc", "   ~", ""].join("\n"),
    );
  });

  it("underlines every line of a multi-line span and collapses long ones", () => {
    expect(one("m.aarm", "ab\ncd\nef", (s) => info(s.id, { start: 1, end: 7 }, {}))).toBe(
      ["m.aarm:1:2 - info AARM9003: note", "", "1 ab", "   ~", "2 cd", "  ~~", "3 ef", "  ~", ""].join("\n"),
    );
    const long = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"].join("\n");
    expect(one("m.aarm", long, (s) => info(s.id, { start: 2, end: long.length }, {}))).toBe(
      [
        "m.aarm:2:1 - info AARM9003: note",
        "",
        "  2 b",
        "    ~",
        "  3 c",
        "    ~",
        "...",
        " 10 j",
        "    ~",
        " 11 k",
        "    ~",
        "",
      ].join("\n"),
    );
  });

  it("ends a span that stops after a line break on the previous line", () => {
    expect(one("n.aarm", "ab\ncd\n", (s) => info(s.id, { start: 0, end: 3 }, {}))).toBe(
      ["n.aarm:1:1 - info AARM9003: note", "", "1 ab", "  ~~", ""].join("\n"),
    );
  });

  it("clips a very long line around the span", () => {
    const line = `${"a".repeat(200)}XYZ${"b".repeat(200)}`;
    const out = one("l.aarm", line, (s) => info(s.id, { start: 200, end: 203 }, {}), { maxLineWidth: 40 });
    expect(out).toBe(
      [
        "l.aarm:1:201 - info AARM9003: note",
        "",
        `1 ...${"a".repeat(10)}XYZ${"b".repeat(27)}...`,
        `  ${" ".repeat(13)}~~~`,
        "",
      ].join("\n"),
    );
  });

  it("renders a span deep inside a huge line from a window around it", () => {
    const line = `${"a".repeat(50_000)}XYZ${"b".repeat(50_000)}`;
    const out = one("h.aarm", line, (s) => info(s.id, { start: 50_000, end: 50_003 }, {}), {
      maxLineWidth: 40,
    });
    expect(out.split("\n").slice(2, 4)).toEqual([
      `1 ...${"a".repeat(10)}XYZ${"b".repeat(27)}...`,
      `  ${" ".repeat(13)}~~~`,
    ]);
  });

  it("renders a diagnostic without a span or without its source as a header only", () => {
    const noSpan = dup("gone.aarm", undefined, { id: "y" });
    expect(renderDiagnostic(noSpan, sources)).toBe(
      "gone.aarm - error AARM9001: duplicate rule id 'y'\n  help: rename one of them\n",
    );
    const noSource = warn("bytes.aarm", { start: 0, end: 0 }, { what: "x" });
    expect(renderDiagnostic(noSource, sources)).toBe("bytes.aarm:1:1 - warning AARM9002: unused x\n");
  });

  it("separates several diagnostics with a blank line", () => {
    const a = info(src.id, at("default"), {});
    const b = info(src.id, at("deny b"), {});
    const out = renderDiagnostics([a, b], sources);
    expect(out).toBe(`${renderDiagnostic(a, sources)}\n${renderDiagnostic(b, sources)}`);
  });
});

describe("renderSummary", () => {
  const e = (id: string) => dup(id, undefined, { id: "x" });
  const w = (id: string) => warn(id, undefined, { what: "x" });
  it.each([
    [[], "No problems found."],
    [[e("a")], "Found 1 error in 1 file."],
    [[e("a"), e("a"), w("a")], "Found 2 errors and 1 warning in 1 file."],
    [[w("a"), w("b")], "Found 2 warnings in 2 files."],
    [[e("a"), w("b"), info("c", undefined, {})], "Found 1 error, 1 warning and 1 info message in 3 files."],
  ] as [Diagnostic[], string][])("%#: %s", (ds, expected) => {
    expect(renderSummary(ds)).toBe(expected);
  });
});

describe("toJsonDiagnostic", () => {
  it("gives 1-based positions with an exclusive end, help and related", () => {
    const d = dup(
      src.id,
      at("deny b"),
      { id: "x" },
      { related: [{ sourceId: src.id, span: at("allow"), message: "here" }] },
    );
    expect(toJsonDiagnostic(d, sources)).toEqual({
      code: "AARM9001",
      severity: "error",
      message: "duplicate rule id 'x'",
      file: "policy.aarm",
      line: 4,
      column: 10,
      endLine: 4,
      endColumn: 16,
      help: "rename one of them",
      related: [{ file: "policy.aarm", message: "here", line: 3, column: 10, endLine: 3, endColumn: 15 }],
    });
  });

  it("places a diagnostic without a span at 1:1 and omits absent fields", () => {
    expect(
      toJsonDiagnostic(warn("x.aarm", undefined, { what: "y" }), sources, { displayName: (id) => `d/${id}` }),
    ).toEqual({
      code: "AARM9002",
      severity: "warning",
      message: "unused y",
      file: "d/x.aarm",
      line: 1,
      column: 1,
      endLine: 1,
      endColumn: 1,
    });
  });
});
