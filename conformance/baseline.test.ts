import { describe, expect, it } from "vitest";
import { language } from "../index.js";
import { baselineCodes, renderBaseline } from "./baseline.js";

const { syntax } = language;

const text = 'policy "p" version "1.0.0"\ndefault deny\ndeny email.send when args.to ==\nallow x\n';

describe("renderBaseline", () => {
  it("renders the list, then the file with a squiggle and the message under the line", () => {
    const d = syntax.unexpectedToken(
      "policy.aarm",
      { start: text.indexOf("allow"), end: text.indexOf("allow") + 5 },
      { expected: "an expression", found: "'allow'" },
    );
    expect(renderBaseline({ "policy.aarm": text }, [d])).toBe(
      [
        "policy.aarm(4,1): error AARM1004: expected an expression, found 'allow'",
        "",
        "",
        "==== policy.aarm (1 errors) ====",
        '    policy "p" version "1.0.0"',
        "    default deny",
        "    deny email.send when args.to ==",
        "    allow x",
        "    ~~~~~",
        "!!! error AARM1004: expected an expression, found 'allow'",
        "",
      ].join("\n"),
    );
  });

  it("squiggles every line of a multi-line span, once for an empty span, and keeps tabs", () => {
    const src = "a\n\tbc\nd";
    const multi = syntax.unterminatedComment("f", { start: 0, end: 5 }, {});
    const tab = syntax.invalidCharacter("f", { start: 4, end: 5 }, { char: "c" });
    const empty = syntax.missingHeader("f", { start: 6, end: 6 }, {});
    const out = renderBaseline(new Map([["f", src]]), [multi, tab, empty]);
    expect(out).toContain("    a\n    ~\n    \tbc\n    ~~~\n    \t ~\n!!! error AARM1003");
    expect(out).toContain("    d\n    ~\n!!! error AARM1008");
    expect(out).toContain("!!! help: close the comment with */");
  });

  it("lists diagnostics without a span or without a source text, and renders related locations", () => {
    const unread = syntax.unreadableFile("policy.aarm", undefined, {
      path: "policy.aarm",
      reason: "no such file",
    });
    const related = syntax.reservedWord(
      "policy.aarm",
      { start: 0, end: 6 },
      { word: "policy" },
      { related: [{ sourceId: "policy.aarm", span: { start: 27, end: 34 }, message: "here" }] },
    );
    const other = syntax.invalidUtf8("other.aarm", { start: 0, end: 0 }, { offset: 3 });
    const out = renderBaseline({ "policy.aarm": text }, [related, unread, other]);
    expect(out.split("\n").slice(0, 3)).toEqual([
      "other.aarm: error AARM1005: the file is not valid UTF-8 (first bad byte at offset 3)",
      "policy.aarm: error AARM1000: cannot read policy.aarm: no such file",
      "policy.aarm(1,1): error AARM1011: 'policy' is a reserved word and cannot be used as a name here",
    ]);
    expect(out).toContain("!!! related policy.aarm(2,1): here");
    expect(out).not.toContain("==== other.aarm");
  });

  it("renders nothing for no diagnostics, and baselineCodes reads the codes back", () => {
    expect(renderBaseline({ "policy.aarm": text }, [])).toBe("");
    const d = syntax.unexpectedToken(
      "policy.aarm",
      { start: text.indexOf("allow"), end: text.indexOf("allow") + 5 },
      { expected: "x", found: "y" },
    );
    expect([...baselineCodes(renderBaseline({ "policy.aarm": text }, [d]))]).toEqual(["AARM1004"]);
  });
});
