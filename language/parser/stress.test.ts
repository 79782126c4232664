/**
 * Hostile shapes: deep nesting, huge tokens, long chains and a 10 MB policy. parse() must return (no stack
 * overflow, no exception), report the documented diagnostic, and keep every span inside the text.
 */
import { describe, expect, it } from "vitest";
import { MAX_NESTING, MAX_SOURCE_LENGTH, parse } from "./index.js";
import { makeSource } from "../source.js";
import { errorCount, parseChecked, seedPolicies } from "./test-support/invariants.js";

const HEADER = 'policy "stress" version "1.0.0"\ndefault deny\n';
const codes = (text: string) => parseChecked(text).diagnostics.map((d) => d.code);

describe("deep nesting is an error, not a stack overflow", () => {
  it("10,000 nested parentheses", () => {
    expect(codes(`${HEADER}deny x when ${"(".repeat(10_000)}a${")".repeat(10_000)}\n`)).toEqual(["AARM1009"]);
  });

  it("10,000 nested lists", () => {
    expect(codes(`${HEADER}const c = ${"[".repeat(10_000)}${"]".repeat(10_000)}\n`)).toEqual(["AARM1009"]);
  });

  it("10,000 unclosed parentheses and braces", () => {
    expect(codes(`${HEADER}deny x when ${"({".repeat(5_000)}`)).toEqual(["AARM1009"]);
  });

  it("10,000 `not`s", () => {
    expect(codes(`${HEADER}deny x when ${"not ".repeat(10_000)}args.a\n`)).toEqual(["AARM1009"]);
  });

  it("nesting at the limit is accepted", () => {
    const depth = MAX_NESTING;
    expect(codes(`${HEADER}deny x when ${"(".repeat(depth)}args.a${")".repeat(depth)}\n`)).toEqual([]);
    expect(codes(`${HEADER}deny x when ${"not ".repeat(depth)}args.a\n`)).toEqual([]);
  });
});

describe("huge tokens and long chains", () => {
  it("a 100,000-character identifier, tool name and string", () => {
    const id = "a".repeat(100_000);
    const r = parseChecked(`${HEADER}deny ${id}.${id} when args.${id} == "${"s".repeat(100_000)}"\n`);
    expect(r.diagnostics).toEqual([]);
    expect(r.ast.decls).toHaveLength(2);
  });

  it("100,000 characters of one invalid character, and unterminated tokens", () => {
    expect(errorCount(parseChecked(`${HEADER}${"#".repeat(100_000)}`))).toBeGreaterThan(0);
    expect(codes(`${HEADER}deny x when args.a == "${"b".repeat(100_000)}`)).toContain("AARM1002");
    expect(codes(`${HEADER}/*${"x".repeat(100_000)}`)).toEqual(["AARM1003"]);
  });

  it("a condition of 20,000 `and`ed comparisons is refused with AARM1013, not a deep tree", () => {
    const cond = Array.from({ length: 20_000 }, (_, i) => `args.a${i} == ${i}`).join(" and ");
    const r = parseChecked(`${HEADER}deny x when ${cond}\n`);
    expect(r.diagnostics.map((d) => d.code)).toEqual(["AARM1013"]);
  });

  it("a condition of 256 `and`ed comparisons (the limit) parses", () => {
    const cond = Array.from({ length: 256 }, (_, i) => `args.a${i} == ${i}`).join(" and ");
    expect(parseChecked(`${HEADER}deny x when ${cond}\n`).diagnostics).toEqual([]);
  });

  it("20,000 annotations, tools and list elements", () => {
    const tools = Array.from({ length: 20_000 }, (_, i) => `t${i}.x`).join(", ");
    const list = Array.from({ length: 20_000 }, (_, i) => `"v${i}"`).join(", ");
    expect(codes(`${HEADER}allow ${tools}\nconst big = [${list}]\n`)).toEqual([]);
    expect(errorCount(parseChecked(`${HEADER}${"@".repeat(5_000)}`))).toBe(1);
  });

  it("a source over the size limit is rejected before lexing", () => {
    const r = parse(makeSource("big.aarm", " ".repeat(MAX_SOURCE_LENGTH + 1)));
    expect(r.diagnostics.map((d) => d.code)).toEqual(["AARM1010"]);
  });
});

describe("a 10 MB policy", () => {
  it("parses with no diagnostics and one declaration per statement", () => {
    // Every seed statement after the header, repeated: a realistic mix at a size no real policy reaches.
    const seed = seedPolicies().find((s) => s.name === "seeds/brief-summary.aarm")!.text;
    const body = seed.slice(seed.indexOf("\n") + 1).replace(/^default .*\n/m, "");
    const perCopy = parseChecked(`${HEADER}${body}`).ast.decls.length - 1;
    const copies = Math.ceil((10 * 1024 * 1024) / body.length);
    const text = HEADER + body.repeat(copies);
    expect(text.length).toBeGreaterThanOrEqual(10 * 1024 * 1024);
    const r = parse(makeSource("big.aarm", text));
    expect(r.diagnostics).toEqual([]);
    expect(r.ast.decls.length).toBe(1 + perCopy * copies);
    const last = r.ast.decls[r.ast.decls.length - 1]!;
    expect(last.span.end).toBeLessThanOrEqual(text.length);
  }, 120_000);
});
