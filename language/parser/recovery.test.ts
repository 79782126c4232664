/**
 * Regression tests for what the robustness tests found in the front end: statement-at-a-time parsing keeps
 * valid layouts whole and mistakes local, keywords used as field names, recovered spans, AARM1012 and
 * address checks.
 */
import { describe, expect, it } from "vitest";
import { makeSource } from "../source.js";
import { parse } from "./index.js";
import { parseChecked } from "./test-support/invariants.js";

const H = 'policy "p" version "1.0.0"\n';
const diags = (text: string) => parseChecked(text).diagnostics.map((d) => `${d.code} ${d.message}`);

describe("statements", () => {
  it("keeps valid layouts whole: default on two lines, annotations on their own lines, one-line policies", () => {
    const layouts = [
      `${H}default\ndeny\nallow a`,
      `${H}default deny\n@id("x")\n@priority(3)\ndeny a\n  when args.n > 1\n  because "r"`,
      `${H}default deny allow a deny b when args.n > 1 labels PII`,
      `${H}default deny\ncontext\n  env: "prod" | "staging",\n  on_call: bool\ndeny a when\n  context.on_call is unknown`,
      `${H}default deny\ndeny a when session.labels has PII and\n  args.default == 1`,
    ];
    for (const text of layouts) expect(diags(text), text).toEqual([]);
    expect(parse(makeSource("p", layouts[1]!)).ast.decls.map((d) => d.kind)).toEqual(["DefaultDecl", "Rule"]);
  });

  it("reports an incomplete statement at the next statement's first token", () => {
    const text = `${H}default deny\ndeny a when args.n ==\nallow b`;
    const r = parseChecked(text);
    const at = text.indexOf("allow");
    expect(r.diagnostics.map((d) => [d.message, d.span])).toEqual([
      ["expected an expression, found 'allow'", { start: at, end: at + 5 }],
    ]);
    expect(r.ast.decls.map((d) => d.kind)).toEqual(["DefaultDecl", "Rule", "Rule"]);
  });

  it("does not take a keyword after `.` for the start of a declaration", () => {
    // Without this, recovery re-synchronised at `labels` and parsed `labels has PII` as a declaration.
    expect(diags(`${H}default deny\ndeny a a when session.labels has PII\nallow b`)).toEqual([
      "AARM1004 expected a declaration or rule, found identifier 'a'",
    ]);
  });

  it("finds line breaks of every kind between tokens, and only there", () => {
    // After a dangling `.`, `allow` at the start of a line begins a statement; on the same line it is a field name.
    const kinds = (br: string) =>
      parse(makeSource("p", `${H}default deny\ndeny c when args.${br}allow d`)).ast.decls.map((d) => d.kind);
    for (const br of ["\n", "\r", "\r\n", " /* a\ncomment */ ", " // comment\n"]) {
      expect(kinds(br), JSON.stringify(br)).toEqual(["DefaultDecl", "Rule", "Rule"]);
    }
    for (const br of [" ", " /* comment */ ", "\t"]) {
      expect(kinds(br), JSON.stringify(br)).toEqual(["DefaultDecl", "Rule"]);
    }
  });

  it("a second header is reported where it stands", () => {
    expect(diags(`${H}default deny\npolicy "q" version "2.0.0"\nallow b`)).toEqual([
      "AARM1004 expected a declaration or rule, found 'policy'",
    ]);
  });

  it("a condition cut short by a syntax error becomes an ErrorExpr", () => {
    const r = parseChecked(`${H}default deny\ndeny q when args.table = "payroll"\n`);
    const rule = r.ast.decls[1];
    expect(rule?.kind === "Rule" ? rule.condition?.kind : undefined).toBe("ErrorExpr");
  });

  it("a lexical error suppresses the parse error it causes in its statement", () => {
    expect(diags(`${H}default deny\ndeny a when args.x == "a" && args.y == "b"\n`)).toEqual([
      "AARM1001 invalid character '&'",
    ]);
    expect(diags(`${H}default deny\ndeny a when args.x == "abc\nallow b`)).toEqual([
      "AARM1002 unterminated string literal",
    ]);
  });
});

describe("paths and comparisons", () => {
  it("keeps path segments of every kind in source order", () => {
    const r = parseChecked(`${H}default deny\ndeny a when args.x[0]["k"].y[1].z == 1 and args.p.q != 2`);
    const rule = r.ast.decls[1];
    const cond = rule?.kind === "Rule" ? rule.condition : undefined;
    if (
      cond?.kind !== "LogicalExpr" ||
      cond.left.kind !== "CompareExpr" ||
      cond.right.kind !== "CompareExpr"
    ) {
      throw new Error("unexpected condition");
    }
    const segs = (e: unknown) =>
      (e as { segments: { kind: string; name?: string; index?: string | number }[] }).segments.map((s) =>
        s.kind === "FieldSegment" ? s.name : s.index,
      );
    expect(segs(cond.left.left)).toEqual(["x", 0, "k", "y", 1, "z"]);
    expect(segs(cond.right.left)).toEqual(["p", "q"]);
    expect([cond.left.op, cond.right.op]).toEqual(["==", "!="]);
  });
});

describe("spans after recovery", () => {
  it("never end before they start", () => {
    const broken = [
      `${H}deny a when args.x and`,
      `${H}deny a when any`,
      `${H}deny a when any args.to`,
      `${H}step_up a approvers`,
      `${H}step_up a approvers 2`,
      `${H}deny a when (args.x or`,
      `${H}@id deny`,
      `${H}modify a { set args.x = }`,
    ];
    for (const text of broken) parseChecked(text); // throws on a bad span
  });

  it("a missing quorum after recovery is not reported again as an invalid literal", () => {
    expect(diags(`${H}default deny\nstep_up a when args.x\n  approvers ["o"]\n`)).toEqual([
      "AARM1004 expected 'any', 'all' or a number, found '['",
    ]);
  });
});

describe("AARM1012 annotations and AARM1007 addresses", () => {
  it("checks annotation names, values and repetitions", () => {
    expect(diags(`${H}default deny\n@id("a") @priority(10) allow a\n@id("") allow b`)).toEqual([
      "AARM1012 @id must not be empty",
    ]);
    expect(diags(`${H}default deny\n@priority(1.5) @weight(2) @priority(2) allow a`)).toEqual([
      "AARM1012 @priority takes a non-negative integer: @priority(60)",
      "AARM1012 unknown annotation @weight",
      "AARM1012 @priority is given more than once",
    ]);
    expect(diags(`${H}default deny\n@priority(1) @priority(2) allow a`)).toEqual([
      "AARM1012 @priority is given more than once",
    ]);
  });

  it("checks IPv4 and IPv6 addresses and prefix lengths", () => {
    const ok = `${H}default deny\nforbid net.connect to 10.0.0.0/8, "192.168.1.1", "2001:db8::/32", "::1" port 22`;
    expect(diags(ok)).toEqual([]);
    expect(diags(`${H}default deny\nforbid net.connect to 1.2.3.4/40, "example.com", "fe80::1::2"`)).toEqual([
      "AARM1007 invalid address '1.2.3.4/40': the prefix length is a number from 0 to 32",
      "AARM1007 invalid address 'example.com': an IPv4 address is four numbers from 0 to 255",
      "AARM1007 invalid address 'fe80::1::2': not an IPv6 address",
    ]);
  });
});
