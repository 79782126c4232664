import { describe, expect, it } from "vitest";
import { checkText, diagnose } from "./test-support/harness.js";

describe("AARM2401 forbid is decided from the action alone", () => {
  it("names each context-dependent reference", () => {
    const d = diagnose(
      'context x: bool\nlabels PII\non result get_webpage { label PII }\nforbid db.query when session.labels has PII or request mentions "x" or context.x or seen(get_webpage) or provenance(args.sql) excludes request or drift > 0.5 or identity.role == "a"',
    );
    expect(d.map((x) => x.message)).toEqual([
      "a forbid rule cannot use session.labels: forbid is absolute and is decided from the action alone",
      "a forbid rule cannot use request: forbid is absolute and is decided from the action alone",
      "a forbid rule cannot use context.x: forbid is absolute and is decided from the action alone",
      "a forbid rule cannot use seen(): forbid is absolute and is decided from the action alone",
      "a forbid rule cannot use provenance(): forbid is absolute and is decided from the action alone",
      "a forbid rule cannot use request: forbid is absolute and is decided from the action alone",
      "a forbid rule cannot use drift: forbid is absolute and is decided from the action alone",
      "a forbid rule cannot use identity.role: forbid is absolute and is decided from the action alone",
    ]);
  });
  it("accepts args, tool, constants and pure builtins", () => {
    expect(
      diagnose(
        'const bad = ["evil.example"]\nforbid email.send when any domain(args.to) in bad or tool == "email.send" or len(args.body) > 100000',
      ),
    ).toEqual([]);
  });
});

describe("AARM2402 validate constraints use arguments only", () => {
  it("rejects session state", () => {
    expect(
      diagnose("validate send_money { args.amount < 10 or session.actions < 3 }\nallow send_money"),
    ).toEqual([
      {
        code: "AARM2402",
        message: "a validate constraint cannot use session.actions: constraints check the arguments alone",
        at: "1:43",
      },
    ]);
  });
});

describe("AARM1012 annotations", () => {
  it("rejects @priority on forbid and tag rules, and above the maximum", () => {
    const d = diagnose(
      "@priority(5) forbid db.delete\n@priority(5) on result db.query { label PUBLIC }\n@priority(1000001) deny db.query",
    );
    expect(d).toEqual([
      { code: "AARM1012", message: "forbid rules are absolute and take no @priority", at: "1:1" },
      { code: "AARM1012", message: "tag rules take no @priority", at: "2:1" },
      { code: "AARM1012", message: "@priority is at most 1000000; found 1000001", at: "3:1" },
    ]);
  });
  it("uses the explicit priority in the model", () => {
    const m = checkText('@priority(60) @id("x") allow db.query\ndeny db.delete\nforbid send_money').model!;
    expect(m.rules.map((r) => [r.id, r.priority, r.explicitPriority])).toEqual([
      ["x", 60, true],
      ["deny-5", 50, false],
      ["forbid-6", undefined, false],
    ]);
  });
});

describe("AARM2440 rule ids", () => {
  it("reports a repeated explicit id with the first as related", () => {
    const c = checkText('@id("mail") allow email.send\n@id("mail") deny db.query');
    expect(c.diagnostics).toMatchObject([
      {
        code: "AARM2440",
        message: "rule id 'mail' is already used",
        related: [{ message: "first used here" }],
      },
    ]);
  });
  it("reports an explicit id that repeats a generated one", () => {
    expect(diagnose('allow email.send\n@id("allow-4") deny db.query').map((d) => [d.code, d.at])).toEqual([
      ["AARM2440", "2:5"],
    ]);
  });
  it("generates tag-<line> for tag rules", () => {
    expect(checkText("on result db.query { label PUBLIC }\nallow db.query").model!.tagRules[0]!.id).toBe(
      "tag-4",
    );
  });
});

describe("AARM2420-2425 options", () => {
  it("requires approvers on step_up", () => {
    expect(diagnose("step_up db.delete timeout 1h")).toEqual([
      { code: "AARM2420", message: "a step_up rule needs `approvers`", at: "1:1" },
    ]);
  });
  it("rejects repeated options", () => {
    const c = checkText('step_up db.delete approvers any ["a"] timeout 1h timeout 2h');
    expect(c.diagnostics).toMatchObject([
      {
        code: "AARM2421",
        message: "`timeout` may be given only once",
        related: [{ message: "first given here" }],
      },
    ]);
  });
  it("rejects options on the wrong effect", () => {
    expect(diagnose('deny send_money timeout 5m\ndefer db.query escalate to ["x"] after 1m')).toEqual([
      {
        code: "AARM2422",
        message: "`timeout` is not allowed on deny rules; it applies to step_up and defer",
        at: "1:17",
      },
      {
        code: "AARM2422",
        message: "`escalate` is not allowed on defer rules; it applies to step_up",
        at: "2:16",
      },
    ]);
  });
  it("rejects a quorum above the number of distinct groups", () => {
    expect(diagnose('step_up db.delete approvers 3 of ["dba", "sec", "dba"]')).toEqual([
      {
        code: "AARM2423",
        message: "`3 of` needs 3 approvals but only 2 distinct group(s) are listed",
        at: "1:19",
      },
    ]);
  });
  it("rejects escalation at or after the timeout", () => {
    const c = checkText('step_up db.delete approvers any ["dba"] timeout 30m escalate to ["cto"] after 30m');
    expect(c.diagnostics).toMatchObject([
      {
        code: "AARM2424",
        message: "escalation after 30m is not before the timeout of 30m",
        related: [{ message: "the timeout" }],
      },
    ]);
  });
  it("rejects empty group lists", () => {
    expect(diagnose("step_up db.delete approvers any [] escalate to [] after 1m").map((d) => d.code)).toEqual(
      ["AARM2425", "AARM2425"],
    );
  });
  it("puts the options into the model", () => {
    const r = checkText(
      'step_up db.delete approvers 2 of ["a", "b", "c"] timeout 1h escalate to ["d"] after 30m',
    ).model!.rules[0]!;
    expect([r.approvers, r.timeoutMs, r.escalation]).toEqual([
      { quorum: { kind: "k", k: 2 }, groups: ["a", "b", "c"] },
      3_600_000,
      { groups: ["d"], afterMs: 1_800_000 },
    ]);
  });
});
