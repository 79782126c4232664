import { describe, expect, it } from "vitest";
import { diagnose } from "./test-support/harness.js";
import { findUnsupported } from "./regex.js";

describe("RE2 regexes", () => {
  it("accepts RE2 syntax, inline flags and the flags i, m, s", () => {
    expect(
      diagnose(
        "deny db.query when args.sql matches /(?i)\\bdrop\\s+(database|table)\\b/ms or args.sql matches /(?P<x>a)\\/b/i",
      ),
    ).toEqual([]);
  });
  it("reports a backreference at its characters (AARM2302)", () => {
    expect(diagnose("deny db.query when args.sql matches /(a)x\\1/")).toEqual([
      {
        code: "AARM2302",
        message: "backreferences such as '\\1' are not supported (RE2 semantics)",
        at: "1:42",
      },
    ]);
  });
  it("reports named backreferences", () => {
    expect(diagnose("deny db.query when args.sql matches /(?P<q>a)\\k<q>/").map((d) => d.code)).toEqual([
      "AARM2302",
    ]);
  });
  it("reports lookahead and lookbehind (AARM2303)", () => {
    expect(
      diagnose("deny db.query when args.sql matches /drop(?!_temp)/ or args.sql matches /(?<=x)y/"),
    ).toEqual([
      { code: "AARM2303", message: "lookahead '(?!' is not supported (RE2 semantics)", at: "1:42" },
      { code: "AARM2303", message: "lookbehind '(?<=' is not supported (RE2 semantics)", at: "1:74" },
    ]);
  });
  it("reports other RE2 errors with RE2's message at the offending part (AARM2301)", () => {
    expect(diagnose("deny db.query when args.sql matches /a{2,1}/")).toEqual([
      { code: "AARM2301", message: "invalid regex: invalid repeat count: '{2,1}'", at: "1:39" },
    ]);
    expect(diagnose("deny db.query when args.sql matches /a(b/").map((d) => d.message)).toEqual([
      "invalid regex: missing closing ): 'a(b'",
    ]);
  });
  it("reports invalid flags (AARM2304)", () => {
    expect(diagnose("deny db.query when args.sql matches /x/gi or args.sql matches /y/ii")).toEqual([
      {
        code: "AARM2304",
        message:
          "invalid regex flag 'g': a match is a yes/no test, so global and sticky matching mean nothing",
        at: "1:40",
      },
      { code: "AARM2304", message: "invalid regex flag 'i': it is given twice", at: "1:67" },
    ]);
  });
  it("checks regexes in constants", () => {
    expect(diagnose("const r = /(?=x)/\ndeny db.query when args.sql matches r").map((d) => d.code)).toEqual([
      "AARM2303",
    ]);
  });
});

describe("findUnsupported", () => {
  it("ignores escapes and character classes", () => {
    expect(findUnsupported("\\(?=x")).toBeUndefined();
    expect(findUnsupported("[(?=]x")).toBeUndefined();
    expect(findUnsupported("[]1]\\1")).toEqual({ kind: "backreference", start: 4, end: 6 });
    expect(findUnsupported("\\\\1")).toBeUndefined();
  });
});
