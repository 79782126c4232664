import { describe, expect, it } from "vitest";
import { compileRegex } from "./regex.js";

describe("compileRegex (RE2 semantics)", () => {
  it("matches `(a+)+$` against 100 KB of 'a' plus '!' in linear time (no catastrophic backtracking)", () => {
    const input = `${"a".repeat(100_000)}!`;
    const re = compileRegex("(a+)+$", "");
    const start = performance.now();
    expect(re.test(input)).toBe(false);
    expect(re.test("aaa")).toBe(true);
    // A backtracking engine needs astronomically long here; RE2 finishes in milliseconds. The bound is loose on
    // purpose: it only has to tell linear from exponential.
    expect(performance.now() - start).toBeLessThan(5_000);
  });

  it("finds a match anywhere unless anchored", () => {
    expect(compileRegex("b+", "").test("abbbc")).toBe(true);
    expect(compileRegex("^b+", "").test("abbbc")).toBe(false);
    expect(compileRegex("^a.*c$", "").test("abbbc")).toBe(true);
  });

  it("flag i: case-insensitive; also as the inline (?i)", () => {
    expect(compileRegex("drop\\s+table", "").test("DROP TABLE x")).toBe(false);
    expect(compileRegex("drop\\s+table", "i").test("DROP TABLE x")).toBe(true);
    expect(compileRegex("(?i)drop\\s+table", "").test("DROP TABLE x")).toBe(true);
  });

  it("flag m: ^ and $ match at line breaks", () => {
    expect(compileRegex("^b$", "").test("a\nb\nc")).toBe(false);
    expect(compileRegex("^b$", "m").test("a\nb\nc")).toBe(true);
  });

  it("flag s: . matches a line break", () => {
    expect(compileRegex("a.b", "").test("a\nb")).toBe(false);
    expect(compileRegex("a.b", "s").test("a\nb")).toBe(true);
    expect(compileRegex("a.b", "ims").test("A\nB")).toBe(true);
  });

  it("\\b and classes follow RE2 (ASCII word characters)", () => {
    expect(compileRegex("\\btest\\b", "").test("a test.")).toBe(true);
    expect(compileRegex("\\btest\\b", "").test("attest")).toBe(false);
    expect(compileRegex("^\\/etc\\/", "").test("/etc/shadow")).toBe(true);
    expect(compileRegex("^[A-Z]{2}[0-9]{2}", "").test("CH93 0076")).toBe(true);
  });

  it("caches by pattern and flags", () => {
    expect(compileRegex("x+", "i")).toBe(compileRegex("x+", "i"));
    expect(compileRegex("x+", "i")).not.toBe(compileRegex("x+", ""));
    expect(compileRegex("i/x", "")).not.toBe(compileRegex("x", "i"));
  });

  it("rejects what RE2 cannot do: backreferences, lookaround, bad syntax", () => {
    expect(() => compileRegex("(a)\\1", "")).toThrow();
    expect(() => compileRegex("a(?=b)", "")).toThrow();
    expect(() => compileRegex("a(?<!b)", "")).toThrow();
    expect(() => compileRegex("(", "")).toThrow();
  });
});
