import { describe, expect, it } from "vitest";
import type { Expr, Policy, Rule } from "../ast.js";
import { makeSource } from "../source.js";
import { formatText, printPolicy } from "./index.js";
import { parseOk, stripSpans } from "./test-support/corpus.js";

function fmt(text: string, printWidth?: number): string {
  const r = formatText(text, "style.aarm", printWidth === undefined ? {} : { printWidth });
  if (!("formatted" in r)) throw new Error(r.diagnostics.map((d) => d.message).join("; "));
  return r.formatted;
}

const H = 'policy "p"\n\n';

describe("layout", () => {
  it("puts the header first and one blank line between sections", () => {
    const text = 'policy "p"\ndefault deny\nlabels A\non result t { label A }\nvalidate t { args.x > 0 }\nallow t\n';
    expect(fmt(text)).toBe(
      'policy "p"\n\ndefault deny\nlabels A\n\non result t { label A }\n\nvalidate t { args.x > 0 }\n\nallow t\n',
    );
  });

  it("keeps single blank lines between rules, collapses runs, adds none", () => {
    expect(fmt('policy "p"\nallow a\n\n\n\nallow b\nallow c\n\nallow d\n')).toBe(`${H}allow a\n\nallow b\nallow c\n\nallow d\n`);
  });

  it("keeps a rule that fits on one line", () => {
    const rule = '@id("x") @priority(60) deny email.send when session.labels has PII because "no"';
    expect(fmt(`policy "p"\n${rule}\n`)).toBe(`${H}${rule}\n`);
  });

  it("puts when, options and because on continuation lines when the rule is too long", () => {
    const text = 'policy "p"\n@priority(60) step_up db.delete when args.table startsWith "t" approvers any ["sec"] timeout 10m because "x"\n';
    expect(fmt(text, 60)).toBe(
      `${H}@priority(60) step_up db.delete\n  when args.table startsWith "t"\n  approvers any ["sec"]\n  timeout 10m\n  because "x"\n`,
    );
  });

  it("breaks a long condition before each operator, nested chains one level deeper", () => {
    const text = 'policy "p"\ndeny x when aaaa == 1 and bbbb == 2 or cccc == 3 and dddd == 4\n';
    expect(fmt(text, 25)).toBe(`${H}deny x\n  when aaaa == 1\n      and bbbb == 2\n    or cccc == 3\n      and dddd == 4\n`);
  });

  it("keeps the user's parentheses and adds none", () => {
    const text = 'policy "p"\ndeny x when (a == 1) and ((b == 2)) or not (c == 3)\n';
    expect(fmt(text)).toBe(`${H}deny x when (a == 1) and ((b == 2)) or not (c == 3)\n`);
  });

  it("prints a modify block on one line when it fits, else one item per line, then what follows its brace", () => {
    expect(fmt('policy "p"\nmodify a {set args.x = 1;redact args.y}\n')).toBe(`${H}modify a { set args.x = 1; redact args.y }\n`);
    expect(fmt('policy "p"\nmodify a when args.n > 1 { set args.x = 1, cap args.n at 10 } because "limits"\n', 40)).toBe(
      `${H}modify a\n  when args.n > 1 {\n    set args.x = 1\n    cap args.n at 10\n  } because "limits"\n`,
    );
  });

  it("breaks a long list one element per line", () => {
    expect(fmt('policy "p"\nconst l = ["aaaaaaaa", "bbbbbbbb", "cccccccc"]\n', 30)).toBe(
      `${H}const l = [\n  "aaaaaaaa",\n  "bbbbbbbb",\n  "cccccccc"\n]\n`,
    );
  });

  it("separates validate constraints and tag labels with commas, and never reorders declarations", () => {
    expect(fmt('policy "p"\nvalidate t { args.a > 0; args.b > 0 }\non result t {label A,B}\nlabels A, B\n')).toBe(
      `${H}validate t { args.a > 0, args.b > 0 }\n\non result t { label A, B }\n\nlabels A, B\n`,
    );
  });

});

describe("literals", () => {
  it("re-escapes strings canonically and keeps non-ASCII text", () => {
    const text = 'policy "p"\nconst s = "\\u0041\\/\\t caf\\u00e9 日本"\n';
    expect(fmt(text)).toBe(`${H}const s = "A/\\t café 日本"\n`);
  });

  it("escapes invisible and bidirectional-control characters", () => {
    expect(fmt('policy "p"\nconst s = "a\u202eb\u200bc\u2028d"\n')).toBe(`${H}const s = "a\\u202eb\\u200bc\\u2028d"\n`);
  });

  it("prints numbers, durations and regexes as written", () => {
    const text = 'policy "p"\nconst a = [1.50, -3, 1e3, 10m, 250ms, /^a\\/b[/]$/im]\n';
    expect(fmt(text)).toBe(`${H}const a = [1.50, -3, 1e3, 10m, 250ms, /^a\\/b[/]$/im]\n`);
  });

  it("canonicalizes approver lists, port ranges and quoted IPv4 addresses", () => {
    const text = 'policy "p"\nstep_up a approvers any "x"\nforbid net.connect to "10.0.0.1", "2001:db8::1" port 22..22, 80..81\n';
    expect(fmt(text)).toBe(`${H}step_up a approvers any ["x"]\nforbid net.connect to 10.0.0.1, "2001:db8::1" port 22, 80..81\n`);
  });

  it("keeps quoted tool names and string indexes", () => {
    expect(fmt('policy "p"\ndeny "read-file" when args["a b"][0] == 1\n')).toBe(`${H}deny "read-file" when args["a b"][0] == 1\n`);
  });
});

describe("comments", () => {
  it("keeps comments above, at the end of and inside rules", () => {
    const text = 'policy "p"\n// about a\nallow a // a\n\n/* b */ allow b\ndeny c when x == 1 // end\n  because "r"\n// tail\n';
    expect(fmt(text)).toBe(`${H}// about a\nallow a // a\n\n/* b */ allow b\ndeny c\n  when x == 1 // end\n  because "r"\n// tail\n`);
  });

  it("trims trailing blanks of line comments and keeps block comments verbatim", () => {
    expect(fmt('policy "p"   // x   \n/*  a\n     b  */\nallow a\n')).toBe('policy "p" // x\n\n/*  a\n     b  */\nallow a\n');
  });
});

describe("errors and input forms", () => {
  it("does not format a file with syntax errors and returns the diagnostics", () => {
    const r = formatText('policy "p"\ndeny x when\n', "bad.aarm");
    expect("formatted" in r).toBe(false);
    if ("diagnostics" in r) {
      expect(r.diagnostics.length).toBeGreaterThan(0);
      expect(r.diagnostics[0]!.sourceId).toBe("bad.aarm");
      expect(r.diagnostics.every((d) => d.code.startsWith("AARM1"))).toBe(true);
    }
  });

  it("does not format a file without a header", () => {
    expect("diagnostics" in formatText("allow a\n", "h.aarm")).toBe(true);
  });

  it("turns CRLF into LF and drops a byte-order mark", () => {
    expect(fmt('\ufeffpolicy "p"\r\n/* a\r\n b */\r\nallow a\r\n')).toBe('policy "p"\n\n/* a\n b */\nallow a\n');
  });
});

describe("printPolicy on trees built in code", () => {
  const S = { start: 0, end: 0 };
  const ref = (name: string): Expr => ({ kind: "Ref", span: S, root: { kind: "Identifier", span: S, name }, segments: [] });
  const policyOf = (condition: Expr): Policy => {
    const rule: Rule = {
      kind: "Rule",
      span: S,
      annotations: [],
      effect: "deny",
      effectSpan: S,
      tools: [{ kind: "ToolPattern", span: S, text: "x", quoted: false }],
      kernel: undefined,
      condition,
      modifications: [],
      options: [],
      reason: undefined,
    };
    const header = { kind: "Header" as const, span: S, name: { kind: "StringLit" as const, span: S, value: "p" }, version: undefined };
    return { kind: "Policy", span: S, header, decls: [rule], comments: [] };
  };

  it("adds the parentheses a tree needs to read back the same", () => {
    const or: Expr = { kind: "LogicalExpr", span: S, op: "or", left: ref("a"), right: ref("b") };
    const and: Expr = { kind: "LogicalExpr", span: S, op: "and", left: ref("c"), right: or };
    const not: Expr = { kind: "NotExpr", span: S, operand: and };
    const out = printPolicy(policyOf(not), makeSource("gen", ""));
    expect(out).toBe('policy "p"\n\ndeny x when not (c and (a or b))\n');
  });

  it("prints a 50,000-term condition without overflowing the stack", () => {
    let chain: Expr = ref("a0");
    for (let i = 1; i < 50_000; i++) chain = { kind: "LogicalExpr", span: S, op: "and", left: chain, right: ref(`a${String(i)}`) };
    const out = printPolicy(policyOf(chain), makeSource("gen", ""));
    expect(out.split("\n").length).toBe(50_000 + 4);
    expect(out).toContain("\n    and a49999\n");
  });

  it("refuses a tree with a syntax error in it", () => {
    expect(() => printPolicy(policyOf({ kind: "ErrorExpr", span: S }), makeSource("gen", ""))).toThrow(/syntax errors/);
  });

  it("round-trips through the parser", () => {
    const text = 'policy "p"\ndeny x when not (a or b) and c\n';
    const ast = parseOk(text);
    expect(stripSpans(parseOk(printPolicy(ast, makeSource("s", text))))).toEqual(stripSpans(ast));
  });
});
