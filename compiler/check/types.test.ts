import { describe, expect, it } from "vitest";
import { checkText, diagnose } from "./test-support/harness.js";

describe("AARM2201 type mismatch", () => {
  it("names both types", () => {
    expect(diagnose('deny send_money when args.amount == "1000"')).toEqual([
      { code: "AARM2201", message: "cannot compare number with string", at: "1:22" },
    ]);
  });
  it("compares integers with numbers and enums with strings", () => {
    expect(
      diagnose('deny db.query when args.limit == 2.5 or args.table == "orders" or args.rows < 3.5'),
    ).toEqual([
      {
        code: "AARM2209",
        message: "this comparison can never be true: 2.5 is not an integer, and args.limit is",
        at: "1:20",
      },
    ]);
  });
  it("allows comparisons with null (absent optional arguments are null)", () => {
    expect(diagnose("deny send_money when args.memo == null or args.memo != null")).toEqual([]);
  });
  it("orders levels only with levels", () => {
    expect(diagnose('deny email.send when session.level >= "CONFIDENTIAL"')).toEqual([
      { code: "AARM2201", message: "cannot compare level with string", at: "1:22" },
    ]);
    expect(diagnose("deny email.send when session.level >= CONFIDENTIAL")).toEqual([]);
  });
  it("says labels are names when one is quoted", () => {
    const c = checkText(
      'labels PII\non result db.query { label PII }\ndeny email.send when session.labels has "PII"',
    );
    expect(c.diagnostics).toMatchObject([
      {
        code: "AARM2201",
        message: "cannot compare label with string",
        help: "labels are names, not strings: write PII without quotes",
      },
    ]);
  });
  it("suggests has for list equality", () => {
    const c = checkText('deny email.send when args.to == "a@b.c"');
    expect(c.diagnostics).toMatchObject([
      {
        message: "cannot compare list<string> with string",
        help: "to test membership use `has` or `excludes`",
      },
    ]);
  });
  it("checks in-list element types", () => {
    expect(diagnose("deny send_money when args.currency in [1, 2]")).toEqual([
      { code: "AARM2201", message: "cannot compare string with integer", at: "1:22" },
    ]);
  });
  it("checks subset comparisons element-wise", () => {
    expect(diagnose('deny email.send when args.to in ["a@corp.example"]')).toEqual([]);
    expect(diagnose("deny email.send when args.to in [1]").map((d) => d.code)).toEqual(["AARM2201"]);
  });
});

describe("AARM2202 operands", () => {
  it("orders only numbers, durations and levels", () => {
    expect(diagnose('deny email.send when args.subject < "m"')).toEqual([
      {
        code: "AARM2202",
        message: "'<' needs numbers, durations or levels; the left operand is a string",
        at: "1:22",
      },
    ]);
  });
  it("needs a list right of in, and suggests contains for strings", () => {
    const c = checkText('deny email.send when "x" in args.subject');
    expect(c.diagnostics).toMatchObject([
      {
        code: "AARM2202",
        message: "'in' needs a list on the right; the right operand is a string",
        help: "to test for a substring use `contains`",
      },
    ]);
  });
  it("needs strings for string operators", () => {
    expect(diagnose('deny email.send when args.to contains "x" or args.subject startsWith 3')).toEqual([
      {
        code: "AARM2202",
        message: "'contains' needs a string; the left operand is a list<string>",
        at: "1:22",
      },
      {
        code: "AARM2202",
        message: "'startsWith' needs a string; the right operand is an integer",
        at: "1:70",
      },
    ]);
  });
  it("needs a collection left of has", () => {
    expect(diagnose('deny email.send when args.subject has "x"')).toEqual([
      { code: "AARM2202", message: "'has' needs a list or set; the left operand is a string", at: "1:22" },
    ]);
  });
  it("needs a list right of has any", () => {
    expect(diagnose("deny email.send when session.labels has any PUBLIC").map((d) => d.code)).toEqual([
      "AARM2202",
    ]);
  });
  it("accepts provenance comparisons with request and result(...) as sources", () => {
    const d = diagnose(
      "deny send_money when provenance(args.recipient) excludes request\n" +
        "deny http.post when provenance(args.url) has any [result(get_webpage), request]\n" +
        'deny email.send when request mentions "newsletter"',
    );
    expect(d).toEqual([]);
  });
  it("records request as a source where one is expected", () => {
    const c = checkText("deny send_money when provenance(args.recipient) excludes request");
    const cond = c.model!.rules[0]!.condition!;
    if (cond.kind !== "CompareExpr" || cond.right.kind !== "Ref") throw new Error("shape");
    expect(c.model!.refs.get(cond.right)).toEqual({ kind: "requestSource" });
    expect(c.model!.types.get(cond.left)).toEqual({ kind: "set", element: { kind: "source" } });
  });
});

describe("AARM2203 booleans", () => {
  it("requires a boolean condition", () => {
    expect(diagnose("deny email.send when args.subject")).toEqual([
      { code: "AARM2203", message: "a `when` condition must be boolean; found a string", at: "1:22" },
    ]);
  });
  it("requires boolean operands of and/or/not", () => {
    expect(diagnose("deny db.query when args.limit and not args.sql")).toEqual([
      {
        code: "AARM2203",
        message: "the left operand of 'and' must be boolean; found an integer",
        at: "1:20",
      },
      { code: "AARM2203", message: "the operand of 'not' must be boolean; found a string", at: "1:39" },
    ]);
  });
  it("requires boolean validate constraints", () => {
    expect(diagnose("validate send_money { args.amount }\nallow send_money")).toEqual([
      { code: "AARM2203", message: "a validate constraint must be boolean; found a number", at: "1:23" },
    ]);
  });
  it("accepts boolean context fields and seen()", () => {
    expect(diagnose("context open: bool\ndeny db.query when context.open or seen(get_webpage)")).toEqual([]);
  });
});

describe("AARM2204 matches", () => {
  it("requires a regex on the right", () => {
    expect(diagnose('deny email.send when args.subject matches "urgent"')).toEqual([
      {
        code: "AARM2204",
        message: "'matches' needs a regex literal or a regex constant on the right; found a string",
        at: "1:43",
      },
    ]);
  });
  it("accepts a regex constant", () => {
    expect(diagnose("const r = /x/\ndeny email.send when args.subject matches r")).toEqual([]);
  });
  it("explains a list of regexes", () => {
    const c = checkText("const rs = [/a/, /b/]\ndeny email.send when args.subject matches rs");
    expect(c.diagnostics).toMatchObject([
      { code: "AARM2204", help: "matches takes one regex; write one `matches` per regex, joined with `or`" },
    ]);
  });
});

describe("AARM2205 quantifiers", () => {
  it("requires a list on the left", () => {
    expect(diagnose('deny email.send when any args.subject == "x"')).toEqual([
      { code: "AARM2205", message: "'any' needs a list on the left; found a string", at: "1:26" },
    ]);
  });
  it("applies the comparison to the elements", () => {
    expect(
      diagnose("deny email.send when all args.to matches /@corp\\.example$/ or any len(args.to) > 3"),
    ).toEqual([
      { code: "AARM2205", message: "'any' needs a list on the left; found an integer", at: "1:67" },
    ]);
  });
});

describe("AARM2206-2208 is tests", () => {
  it("rejects presence tests on non-arguments", () => {
    expect(diagnose("context x: bool\ndeny db.query when context.x is absent")).toEqual([
      {
        code: "AARM2206",
        message: "'is absent' applies only to arguments (args.* or result.*); found 'context.x'",
        at: "2:20",
      },
    ]);
  });
  it("warns that a required argument is always present", () => {
    expect(diagnose("deny send_money when args.amount is absent")).toEqual([
      {
        code: "AARM2207",
        message: "args.amount is required by the schema of tool 'send_money', so it is always present",
        at: "1:22",
      },
    ]);
  });
  it("accepts presence tests on optional arguments, map keys and list elements", () => {
    expect(
      diagnose(
        'deny db.query when args.limit is present or args.params["x"] is absent or args.filters[2] is present',
      ),
    ).toEqual([]);
  });
  it("warns that arguments are always known", () => {
    expect(diagnose("deny db.query when args.limit is unknown")).toEqual([
      {
        code: "AARM2208",
        message: "args.limit does not depend on context, so it is always known",
        at: "1:20",
      },
    ]);
  });
  it("accepts known tests on context, request, identity and drift", () => {
    expect(
      diagnose(
        "context x: bool\ndeny db.query when context.x is unknown or request is unknown or identity.role is known or drift is unknown or session.drift is known",
      ),
    ).toEqual([]);
  });
});
