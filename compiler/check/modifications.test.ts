import { describe, expect, it } from "vitest";
import { checkText, diagnose, str, tool } from "./test-support/harness.js";

describe("modify blocks", () => {
  it("accepts set, cap and redact that fit the schema", () => {
    expect(
      diagnose(
        'modify db.query when args.limit > 100 { set args.limit = 100; cap args.rows at 50; set args.options.label = "x" }\nmodify email.send { redact args.body }',
      ),
    ).toEqual([]);
  });
  it("requires modifications on modify (AARM2430)", () => {
    expect(diagnose("modify db.query when args.limit > 100 { }")).toEqual([
      { code: "AARM2430", message: "a modify rule needs at least one modification", at: "1:1" },
    ]);
  });
  it("rejects a block on another effect (AARM2431)", () => {
    expect(diagnose("deny db.query when args.limit > 500 { cap args.limit at 500 }")).toEqual([
      {
        code: "AARM2431",
        message: "only modify rules can change arguments; this is a deny rule",
        at: "1:39",
      },
    ]);
  });
  it("requires args.* targets (AARM2432)", () => {
    expect(diagnose("modify db.query { set args = 1; redact request }").map((d) => d.message)).toEqual([
      "only arguments can be modified; found 'args'",
      "only arguments can be modified; found 'request'",
    ]);
  });
  it("reports unknown targets and targets missing from one tool", () => {
    expect(diagnose("modify db.query { cap args.limt at 5 }").map((d) => d.code)).toEqual(["AARM2102"]);
    expect(diagnose("modify db.query, db.delete { cap args.limit at 5 }").map((d) => d.code)).toEqual([
      "AARM2103",
    ]);
  });
  it("checks set values against type, enum and range (AARM2433)", () => {
    expect(
      diagnose(
        'modify db.query { set args.limit = "ten" }\nmodify send_money { set args.currency = "BTC" }\nmodify db.query { set args.limit = 5000 }',
      ),
    ).toEqual([
      {
        code: "AARM2433",
        message: 'cannot set args.limit to "ten": args.limit is an integer, the value is a string',
        at: "1:36",
      },
      {
        code: "AARM2433",
        message:
          'cannot set args.currency to "BTC": "BTC" is not one of the values of args.currency ("EUR", "USD", "GBP", "CHF")',
        at: "2:41",
      },
      {
        code: "AARM2433",
        message: "cannot set args.limit to 5000: 5000 is above the maximum 1000 of args.limit",
        at: "3:36",
      },
    ]);
  });
  it("checks cap operands (AARM2434) and range", () => {
    expect(
      diagnose(
        'modify email.send { cap args.subject at 5 }\nmodify db.query { cap args.limit at "x" }\nmodify db.query { cap args.limit at 0 }',
      ),
    ).toEqual([
      {
        code: "AARM2434",
        message: "`cap` needs a number argument and a number value; args.subject is a string",
        at: "1:25",
      },
      {
        code: "AARM2434",
        message: "`cap` needs a number argument and a number value; the value is a string",
        at: "2:37",
      },
      {
        code: "AARM2433",
        message: "cannot set args.limit to 0: 0 is below the minimum 1 of args.limit",
        at: "3:37",
      },
    ]);
  });
  it("warns about a cap at or above the schema maximum (AARM2437)", () => {
    expect(diagnose("modify db.query { cap args.limit at 1000 }")).toEqual([
      {
        code: "AARM2437",
        message: "cap at 1000 has no effect: args.limit is at most 1000 by its schema",
        at: "1:37",
      },
    ]);
  });
  it("requires a string for redact (AARM2435) and warns when [REDACTED] does not fit (AARM2438)", () => {
    expect(diagnose("modify db.query { redact args.limit }\nmodify db.query { redact args.table }")).toEqual([
      { code: "AARM2435", message: "`redact` needs a string argument; args.limit is an integer", at: "1:26" },
      {
        code: "AARM2438",
        message:
          '"[REDACTED]" does not satisfy the schema of args.table: "[REDACTED]" is not one of the values of args.table ("customers", "orders", "employees")',
        at: "2:19",
      },
    ]);
    const short = tool("t", { code: str({ maxLength: 4 }) });
    expect(diagnose("modify t { redact args.code }", [short]).map((d) => d.code)).toEqual(["AARM2438"]);
  });
  it("rejects the same target twice (AARM2436)", () => {
    const c = checkText("modify db.query { set args.limit = 10; cap args.limit at 5 }");
    expect(c.diagnostics).toMatchObject([
      {
        code: "AARM2436",
        message: "args.limit is already modified by this rule",
        related: [{ message: "first modified here" }],
      },
    ]);
  });
  it("puts the modifications into the model", () => {
    const r = checkText("modify db.query when args.limit > 100 { set args.limit = 100; redact args.sql }")
      .model!.rules[0]!;
    expect(r.modifications.map((m) => [m.kind, m.target, m.constValue])).toEqual([
      ["set", ["limit"], 100],
      ["redact", ["sql"], undefined],
    ]);
  });
});
