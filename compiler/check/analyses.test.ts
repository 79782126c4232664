import { describe, expect, it } from "vitest";
import { checkText, diagnose, list, str, tool } from "./test-support/harness.js";

describe("AARM2501 rules that can never decide", () => {
  it("finds a rule outranked by an unconditional rule covering its tools", () => {
    const c = checkText('@priority(60) allow email.send\ndeny email.send when args.subject contains "x"');
    expect(c.diagnostics).toMatchObject([
      {
        code: "AARM2501",
        message:
          "this rule can never decide: the unconditional allow rule 'allow-4' (priority 60) covers all its tools and outranks it (priority 50)",
        related: [{ message: "this rule always decides first" }],
      },
    ]);
  });
  it("finds a rule behind an unconditional forbid", () => {
    expect(diagnose("forbid db.*\nallow db.query").map((d) => [d.code, d.at])).toEqual([["AARM2501", "2:1"]]);
  });
  it("finds a forbid made redundant by a wider one", () => {
    expect(diagnose("forbid db.query when args.limit > 5\nforbid db.*").map((d) => [d.code, d.at])).toEqual([
      ["AARM2501", "1:1"],
    ]);
  });
  it("does not report a rule that covers more tools than the unconditional one", () => {
    expect(diagnose("@priority(60) allow email.send\ndeny email.send, slack.post_message")).toEqual([]);
  });
  it("does not report rules below a conditional rule", () => {
    expect(diagnose('@priority(60) allow email.send when args.subject == "x"\ndeny email.send')).toEqual([]);
  });
  it("treats an always-true condition as unconditional", () => {
    expect(diagnose("@priority(60) allow email.send when 1 < 2\ndeny email.send").map((d) => d.code)).toEqual(
      ["AARM2502", "AARM2501"],
    );
  });
});

describe("AARM2502 constant conditions", () => {
  it("reports conditions that fold", () => {
    expect(
      diagnose(
        'const limit = 5\ndeny db.query when limit > 10\nallow db.delete when "a" in ["a", "b"] or args.table == "x"',
      ),
    ).toEqual([
      { code: "AARM2502", message: "this condition is always false", at: "2:20" },
      { code: "AARM2502", message: "this condition is always true", at: "3:22" },
    ]);
  });
  it("does not fold what depends on the action", () => {
    expect(diagnose("deny db.query when args.limit > 10 and true")).toEqual([]);
  });
});

describe("AARM2503 duplicate rules", () => {
  it("reports a repeated rule, ignoring annotations and layout", () => {
    const c = checkText(
      'deny email.send when args.subject contains "x"\n@id("again") deny   email.send\n  when args.subject contains "x"',
    );
    expect(c.diagnostics).toMatchObject([
      {
        code: "AARM2503",
        message: "this rule repeats rule 'deny-4'",
        related: [{ message: "the same rule" }],
      },
    ]);
  });
});

describe("AARM2503 duplicate rules with reasons", () => {
  it("reports rules with the same reason, written differently, and not rules whose reasons differ", () => {
    expect(
      diagnose(
        'deny email.send because "a"\ndeny email.send because "\\u0061"\ndeny email.send because "b"\ndeny email.send',
      ).map((d) => [d.code, d.at]),
    ).toEqual([["AARM2503", "2:1"]]);
  });
  it("tells an empty reason from none", () => {
    expect(diagnose('deny email.send because ""\ndeny email.send')).toEqual([]);
  });
});

describe("AARM2504 conflicts at one priority", () => {
  it("names the first earlier rule of another effect, and the others as related, after runs of one effect", () => {
    const c = checkText(
      [
        '@priority(50) allow email.send when args.subject contains "a"',
        '@priority(50) allow email.send when args.subject contains "b"',
        '@priority(50) deny email.send when args.subject contains "c"',
        '@priority(50) allow email.send when args.subject contains "d"',
        '@priority(50) deny email.send when args.subject contains "e"',
      ].join("\n"),
    );
    expect(
      c.diagnostics.map((d) => [
        d.code,
        d.message.split(" have ")[0],
        (d.related ?? []).map((r) => r.message),
      ]),
    ).toEqual([
      [
        "AARM2504",
        "rules 'allow-4' (allow) and 'deny-6' (deny)",
        ["'allow-4' (allow) is here", "'allow-5' (allow) is here"],
      ],
      ["AARM2504", "rules 'deny-6' (deny) and 'allow-7' (allow)", ["'deny-6' (deny) is here"]],
      [
        "AARM2504",
        "rules 'allow-4' (allow) and 'deny-8' (deny)",
        ["'allow-4' (allow) is here", "'allow-5' (allow) is here", "'allow-7' (allow) is here"],
      ],
    ]);
  });
  it("reports different effects at one priority over a shared tool", () => {
    const c = checkText(
      '@priority(50) allow email.send when args.subject contains "ok"\ndeny email.* when session.actions > 10',
    );
    expect(c.diagnostics).toMatchObject([
      {
        code: "AARM2504",
        message:
          "rules 'allow-4' (allow) and 'deny-5' (deny) have priority 50 and share tool 'email.send'; when both match, the runtime will DEFER (AARM R3(b))",
        related: [{ message: "'allow-4' (allow) is here" }],
      },
    ]);
  });
  it("ignores same effects and disjoint tools", () => {
    expect(
      diagnose(
        '@priority(50) allow email.send when args.subject == "a"\ndeny db.query when args.limit > 3\nallow email.send when args.body == "b"',
      ),
    ).toEqual([]);
  });
});

describe("AARM2505/2506 unused", () => {
  it("reports unused constants, labels and context fields", () => {
    expect(diagnose("const a = 1\nlabels X\ncontext c: bool\nallow db.query")).toEqual([
      { code: "AARM2505", message: "constant 'a' is never used", at: "1:7" },
      { code: "AARM2505", message: "label 'X' is never used", at: "2:8" },
      { code: "AARM2505", message: "context field 'c' is never used", at: "3:9" },
    ]);
  });
  it("reports a tool file none of whose tools is named", () => {
    const src = 'policy "p" version "1"\ndefault deny\ntools from "a.json"\ntools from "b.json"\nallow a';
    expect(diagnose(src, { "a.json": [tool("a", {})], "b.json": [tool("b", {})] })).toEqual([
      { code: "AARM2506", message: 'no tool from "b.json" is used by any rule', at: "4:12" },
    ]);
  });
});

describe("AARM4004 cost bound", () => {
  const longRegex = `/${"(a|b)".repeat(60)}/`;
  it("warns about a long regex over an unbounded string, naming the argument", () => {
    const c = checkText(`deny email.send when args.body matches ${longRegex}`);
    expect(c.diagnostics).toMatchObject([
      {
        code: "AARM4004",
        message: "the cost bound of this rule is 19660802 units, above the limit of 16777216",
        help: "add maxLength (strings) or maxItems (lists) to args.body in the tool's inputSchema",
      },
    ]);
  });
  it("accepts the same regex over a bounded string", () => {
    expect(diagnose(`deny email.send when args.subject matches ${longRegex}`)).toEqual([]);
  });
  it("bounds quantifiers by the total text of the list", () => {
    const t = tool("t", { xs: list(str()) });
    const m = checkText("deny t when any args.xs matches /abcd/", [t]).model!;
    expect(m.rules[0]!.cost).toBe(1 + 4 * 65_536 + 1_024);
  });
  it("uses maxItems × maxLength when both are given", () => {
    const t = tool("t", { xs: list(str({ maxLength: 10 }), { maxItems: 5 }) });
    expect(checkText('deny t when any args.xs contains "x"', [t]).model!.rules[0]!.cost).toBe(1 + 50 + 5);
  });
  it("counts history lookups as constant", () => {
    expect(
      checkText("deny db.query when count(db.* within 1h) > 3 and seen(email.send)").model!.rules[0]!.cost,
    ).toBe(4);
  });
});
