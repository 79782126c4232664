import { describe, expect, it } from "vitest";
import { diagnose, str, tool } from "./test-support/harness.js";

describe("AARM2209 impossible comparisons", () => {
  it("rejects a value outside the enum, with a suggestion", () => {
    expect(diagnose('deny send_money when args.currency == "usd"')).toEqual([
      {
        code: "AARM2209",
        message:
          'this comparison can never be true: "usd" is not one of the values of args.currency ("EUR", "USD", "GBP", "CHF"); did you mean "USD"?',
        at: "1:22",
      },
    ]);
  });
  it("checks the constant on either side", () => {
    expect(diagnose('deny send_money when "BTC" == args.currency').map((d) => d.code)).toEqual(["AARM2209"]);
  });
  it("checks constants by value", () => {
    expect(diagnose('const c = "BTC"\ndeny send_money when args.currency == c').map((d) => d.code)).toEqual([
      "AARM2209",
    ]);
  });
  it("checks a single const value", () => {
    const t = tool("t", { kind: str({ enum: ["fixed"] }) });
    expect(diagnose('deny t when args.kind == "other"', [t]).map((d) => d.code)).toEqual(["AARM2209"]);
  });
  it("checks string lengths", () => {
    const long = "x".repeat(141);
    expect(diagnose(`deny send_money when args.memo == "${long}"`)).toEqual([
      {
        code: "AARM2209",
        message: `this comparison can never be true: "${long}" has 141 characters, but args.memo has at most 140 (maxLength)`,
        at: "1:22",
      },
    ]);
    const t = tool("t", { code: str({ minLength: 3 }) });
    expect(diagnose('deny t when args.code == "ab"', [t]).map((d) => d.code)).toEqual(["AARM2209"]);
  });
  it("checks the schema's pattern", () => {
    const t = tool("t", { iban: str({ pattern: "^[A-Z]{2}[0-9]{2}" }) });
    expect(diagnose('deny t when args.iban == "de12"', [t]).map((d) => d.code)).toEqual(["AARM2209"]);
    expect(diagnose('deny t when args.iban == "DE12"', [t])).toEqual([]);
  });
  it("checks numeric ranges", () => {
    expect(
      diagnose("deny send_money when args.amount == -5 or args.amount > 100000 or args.amount <= -1"),
    ).toEqual([
      {
        code: "AARM2209",
        message: "this comparison can never be true: -5 is below the minimum 0 of args.amount",
        at: "1:22",
      },
      {
        code: "AARM2209",
        message: "this comparison can never be true: args.amount is at most 100000 (maximum)",
        at: "1:43",
      },
      {
        code: "AARM2209",
        message: "this comparison can never be true: args.amount is at least 0 (minimum)",
        at: "1:67",
      },
    ]);
  });
  it("checks ranges with the constant on the left", () => {
    expect(diagnose("deny db.query when 2000 < args.limit").map((d) => d.code)).toEqual(["AARM2209"]);
    expect(diagnose("deny db.query when 500 < args.limit")).toEqual([]);
  });
  it("checks drift, which is between 0 and 1", () => {
    expect(diagnose("deny db.query when drift > 1").map((d) => d.code)).toEqual(["AARM2209"]);
  });
  it("checks the tool name", () => {
    expect(diagnose('deny db.* when tool == "db.drop"').map((d) => d.code)).toEqual(["AARM2209"]);
  });
  it("checks context enums", () => {
    expect(
      diagnose('context env: "prod" | "staging"\ndeny db.query when context.env == "production"').map(
        (d) => d.code,
      ),
    ).toEqual(["AARM2209"]);
  });
  it("checks every element of an in-list", () => {
    expect(diagnose('deny send_money when args.currency in ["BTC", "ETH"]')).toEqual([
      {
        code: "AARM2209",
        message:
          'this comparison can never be true: no element of the list is a possible value of args.currency; "BTC" is not one of the values of args.currency ("EUR", "USD", "GBP", "CHF")',
        at: "1:22",
      },
    ]);
  });
  it("checks quantified comparisons element-wise", () => {
    const t = tool("t", { tags: { kind: "list", element: str({ enum: ["a", "b"] }) } });
    expect(diagnose('deny t when any args.tags == "c"', [t]).map((d) => d.code)).toEqual(["AARM2209"]);
  });
  it("requires the value to be impossible in every tool of the rule", () => {
    const a = tool("a", { m: str({ enum: ["x"] }) });
    const b = tool("b", { m: str({ enum: ["y"] }) });
    expect(diagnose('deny a, b when args.m == "y"', [a, b])).toEqual([]);
    expect(diagnose('deny a, b when args.m == "z"', [a, b]).map((d) => d.code)).toEqual(["AARM2209"]);
  });
});

describe("AARM2210 always true", () => {
  it("warns for != and not in with an impossible value", () => {
    expect(
      diagnose('deny send_money when args.currency != "BTC" or args.currency not in ["ETH"]').map(
        (d) => d.code,
      ),
    ).toEqual(["AARM2210", "AARM2210"]);
  });
});

describe("AARM2211 impossible list element", () => {
  it("warns at the element that can never match", () => {
    expect(diagnose('deny db.query when args.table in ["customers", "custmers"]')).toEqual([
      {
        code: "AARM2211",
        message:
          '"custmers" can never match: "custmers" is not one of the values of args.table ("customers", "orders", "employees"); did you mean "customers"?',
        at: "1:48",
      },
    ]);
  });
});
