import { describe, expect, it } from "vitest";
import type { Policy, SessionOptions } from "../api.js";
import { type EvaluatorKind, loadTest, outcome } from "./test-support/policies.js";

const MONEY = { recipient: "CH93", amount: 50, currency: "EUR" };

describe.each<EvaluatorKind>(["interpreter", "compiled"])("priority tiers (%s)", (kind) => {
  const run = (
    p: Policy,
    tool: string,
    args: Record<string, unknown>,
    options: Partial<SessionOptions> = {},
  ) => outcome(p.openSession({ identity: {}, ...options }).decide({ tool, args, time: 1_000 }));

  const PRECEDENCE = `context d: bool, f: bool, s: bool, m: bool
@id("D") deny send_money when context.d because "denied"
@id("F") defer send_money when context.f timeout 5m
@id("S") step_up send_money when context.s approvers any ["leads"]
@id("M") modify send_money when context.m { set args.memo = "checked" }
@id("A") allow send_money`;

  it("default priorities give deny > defer > step_up > modify > allow", async () => {
    const p = await loadTest(kind, PRECEDENCE);
    const ctx = (d: boolean, f: boolean, s: boolean, m: boolean) => ({ context: { d, f, s, m } });
    expect(run(p, "send_money", MONEY, ctx(true, true, true, true))).toEqual({
      effect: "DENY",
      ruleIds: ["D"],
      reasons: ["denied"],
      decidedBy: "rules",
    });
    expect(run(p, "send_money", MONEY, ctx(false, true, true, true))).toEqual({
      effect: "DEFER",
      ruleIds: ["F"],
      reasons: ["defer rule 'F' matched"],
      defer: { trigger: "rule", waitingFor: [], timeoutMs: 300_000 },
      decidedBy: "rules",
    });
    expect(run(p, "send_money", MONEY, ctx(false, false, true, true))).toEqual({
      effect: "STEP_UP",
      ruleIds: ["S"],
      reasons: ["step_up rule 'S' matched"],
      stepUp: {
        approvals: [{ ruleId: "S", quorum: { kind: "any" }, groups: ["leads"], escalation: null }],
        timeoutMs: null,
      },
      decidedBy: "rules",
    });
    expect(run(p, "send_money", MONEY, ctx(false, false, false, true))).toEqual({
      effect: "MODIFY",
      ruleIds: ["M"],
      reasons: ["modify rule 'M' matched"],
      modifiedArgs: { ...MONEY, memo: "checked" },
      decidedBy: "rules",
    });
    expect(run(p, "send_money", MONEY, ctx(false, false, false, false))).toEqual({
      effect: "ALLOW",
      ruleIds: ["A"],
      reasons: ["allow rule 'A' matched"],
      decidedBy: "rules",
    });
  });

  it("unknown context: DEFER naming what it waits for, unless a higher tier decides first", async () => {
    const p = await loadTest(kind, PRECEDENCE);
    expect(run(p, "send_money", MONEY, { context: { f: true } })).toEqual({
      effect: "DEFER",
      ruleIds: ["D"],
      reasons: ["rule 'D' needs context.d that is not known yet"],
      defer: { trigger: "unknown_context", waitingFor: ["context.d"], timeoutMs: null },
      decidedBy: "rules",
    });
    expect(run(p, "send_money", MONEY, { context: { d: false } })).toEqual({
      effect: "DEFER",
      ruleIds: ["F"],
      reasons: ["rule 'F' needs context.f that is not known yet"],
      defer: { trigger: "unknown_context", waitingFor: ["context.f"], timeoutMs: 300_000 },
      decidedBy: "rules",
    });
    const q = await loadTest(
      kind,
      `${PRECEDENCE}\n@id("X") @priority(70) deny send_money when args.amount > 10`,
    );
    expect(run(q, "send_money", MONEY)).toMatchObject({ effect: "DENY", ruleIds: ["X"] });
  });

  it("a higher explicit priority is an exception; an unknown request defers it", async () => {
    const p = await loadTest(
      kind,
      `@id("no-delete") deny db.query when args.table == "test_data"
@id("asked") @priority(60) step_up db.query when args.table == "test_data" and request mentions "test data"
  approvers 2 of ["dba", "sec", "ops"] timeout 1h escalate to ["cto"] after 30m because "the user asked"
allow db.query`,
    );
    const args = { sql: "delete", table: "test_data" };
    expect(run(p, "db.query", args, { request: "please delete the Test Data" })).toEqual({
      effect: "STEP_UP",
      ruleIds: ["asked"],
      reasons: ["the user asked"],
      stepUp: {
        approvals: [
          {
            ruleId: "asked",
            quorum: { kind: "k", k: 2 },
            groups: ["dba", "sec", "ops"],
            escalation: { groups: ["cto"], afterMs: 1_800_000 },
          },
        ],
        timeoutMs: 3_600_000,
      },
      decidedBy: "rules",
    });
    expect(run(p, "db.query", args, { request: "clean up" })).toMatchObject({
      effect: "DENY",
      ruleIds: ["no-delete"],
    });
    expect(run(p, "db.query", args)).toEqual({
      effect: "DEFER",
      ruleIds: ["asked"],
      reasons: ["rule 'asked' needs request that is not known yet"],
      defer: { trigger: "unknown_context", waitingFor: ["request"], timeoutMs: 3_600_000 },
      decidedBy: "rules",
    });
    // `false and unknown` is false: the exception does not apply to other tables, whatever the request.
    expect(run(p, "db.query", { sql: "s", table: "customers" })).toMatchObject({ effect: "ALLOW" });
  });

  it("conflicting effects at one priority: DEFER naming the rules (AARM R3(b))", async () => {
    const p = await loadTest(
      kind,
      `context c: bool
@id("ok") @priority(40) allow send_money when args.amount < 100
@id("hold") defer send_money when args.amount > 10 timeout 10m
@id("maybe") @priority(40) step_up send_money when context.c approvers any ["x"]`,
    );
    expect(run(p, "send_money", MONEY, { context: { c: false } })).toEqual({
      effect: "DEFER",
      ruleIds: ["ok", "hold"],
      reasons: ["conflicting rules at priority 40: 'ok' (allow), 'hold' (defer)"],
      defer: { trigger: "conflict", waitingFor: [], timeoutMs: 600_000 },
      decidedBy: "rules",
    });
    expect(run(p, "send_money", { ...MONEY, amount: 5 })).toEqual({
      effect: "DEFER",
      ruleIds: ["ok", "maybe"],
      reasons: ["conflicting rules at priority 40: 'ok' (allow), 'maybe' (step_up)"],
      defer: { trigger: "conflict", waitingFor: ["context.c"], timeoutMs: null },
      decidedBy: "rules",
    });
  });

  it("a rule that matched decides over unknown rules of the same effect", async () => {
    const p = await loadTest(
      kind,
      `context c: bool\n@id("k") deny send_money when context.c\n@id("m") deny send_money when args.amount > 10\nallow send_money`,
    );
    expect(run(p, "send_money", MONEY)).toEqual({
      effect: "DENY",
      ruleIds: ["m"],
      reasons: ["deny rule 'm' matched"],
      decidedBy: "rules",
    });
  });

  it("several matching rules of one effect: every id and reason; all approvals; the shortest timeout", async () => {
    const p = await loadTest(
      kind,
      `@id("big") step_up send_money when args.amount > 10 approvers any "leads" timeout 30m because "big"
@id("eur") step_up send_money when args.currency == "EUR" approvers all ["fin", "ops"] timeout 10m
@id("w1") defer db.query when args.table == "customers" timeout 2h
@id("w2") defer db.query when args.sql contains "select"
@id("d1") deny email.send when len(args.to) > 1 because "one recipient"
@id("d2") deny email.send when any args.to endsWith "@gmail.com" because "no personal mail"`,
    );
    expect(run(p, "send_money", MONEY)).toEqual({
      effect: "STEP_UP",
      ruleIds: ["big", "eur"],
      reasons: ["big", "step_up rule 'eur' matched"],
      stepUp: {
        approvals: [
          { ruleId: "big", quorum: { kind: "any" }, groups: ["leads"], escalation: null },
          { ruleId: "eur", quorum: { kind: "all" }, groups: ["fin", "ops"], escalation: null },
        ],
        timeoutMs: 600_000,
      },
      decidedBy: "rules",
    });
    expect(run(p, "db.query", { sql: "select 1", table: "customers" })).toMatchObject({
      ruleIds: ["w1", "w2"],
      defer: { trigger: "rule", waitingFor: [], timeoutMs: 7_200_000 },
    });
    expect(run(p, "db.query", { sql: "select 1", table: "test_data" })).toMatchObject({
      defer: { trigger: "rule", timeoutMs: null },
    });
    expect(run(p, "email.send", { to: ["a@x.example", "b@gmail.com"], body: "" })).toEqual({
      effect: "DENY",
      ruleIds: ["d1", "d2"],
      reasons: ["one recipient", "no personal mail"],
      decidedBy: "rules",
    });
  });
});

describe.each<EvaluatorKind>(["interpreter", "compiled"])("modifications (%s)", (kind) => {
  const MODS = `context note: string
const defaults = ["audit@corp.example"]
@id("cap") modify db.query when args.limit > 100 { cap args.limit at 100 }
@id("tbl") modify db.query when args.table == "test_data" { redact args.sql }
@id("same") modify db.query when args.table == "test_data" and args.sql contains "x" { cap args.limit at 100 }
@id("note") modify send_money when args.amount > 10 { set args.memo = context.note }
@id("to") modify email.send when len(args.to) > 1 { set args.to = defaults; redact args.body }
allow db.query, send_money, email.send`;

  it("set, cap and redact; the original arguments are left alone", async () => {
    const p = await loadTest(kind, MODS);
    const s = p.openSession({ identity: {} });
    const args = { sql: "select *", table: "customers", limit: 500 };
    expect(outcome(s.decide({ tool: "db.query", args }))).toEqual({
      effect: "MODIFY",
      ruleIds: ["cap"],
      reasons: ["modify rule 'cap' matched"],
      modifiedArgs: { sql: "select *", table: "customers", limit: 100 },
      decidedBy: "rules",
    });
    expect(args.limit).toBe(500);
    expect(s.decide({ tool: "db.query", args: { sql: "s", table: "test_data" } }).modifiedArgs).toEqual({
      sql: "[REDACTED]",
      table: "test_data",
    });
    // cap never raises a value, and several rules' modifications of different arguments combine.
    expect(s.decide({ tool: "db.query", args: { sql: "x", table: "test_data", limit: 50 } })).toMatchObject({
      ruleIds: ["tbl", "same"],
      modifiedArgs: { sql: "[REDACTED]", table: "test_data", limit: 50 },
    });
  });

  it("two rules that modify one argument differently conflict: DEFER, whatever their order", async () => {
    const again = `\n@id("again") modify db.query when args.limit > 200 { cap args.limit at 200 }`;
    for (const decls of [`${MODS}${again}`, `${again}\n${MODS}`]) {
      const p = await loadTest(kind, decls);
      const s = p.openSession({ identity: {} });
      const d = outcome(s.decide({ tool: "db.query", args: { sql: "q", table: "customers", limit: 500 } }));
      const ids = d["ruleIds"] as string[];
      expect(ids.slice().sort()).toEqual(["again", "cap"]);
      expect(d).toEqual({
        effect: "DEFER",
        ruleIds: ids,
        reasons: [`rules '${ids[0]}' and '${ids[1]}' modify args.limit differently`],
        defer: { trigger: "conflict", waitingFor: [], timeoutMs: null },
        decidedBy: "rules",
      });
      // Only `cap` changes 150; `again` leaves it: no conflict.
      expect(
        s.decide({ tool: "db.query", args: { sql: "q", table: "customers", limit: 150 } }).modifiedArgs,
      ).toEqual({
        sql: "q",
        table: "customers",
        limit: 100,
      });
    }
    // Agreeing modifications are not a conflict.
    const p = await loadTest(kind, MODS);
    expect(
      p
        .openSession({ identity: {} })
        .decide({ tool: "db.query", args: { sql: "x", table: "test_data", limit: 150 } }),
    ).toMatchObject({
      effect: "MODIFY",
      ruleIds: ["cap", "tbl", "same"],
      modifiedArgs: { sql: "[REDACTED]", table: "test_data", limit: 100 },
    });
  });

  it("a modification value that is not known yet: DEFER naming it", async () => {
    const p = await loadTest(kind, MODS);
    expect(outcome(p.openSession({ identity: {} }).decide({ tool: "send_money", args: MONEY }))).toEqual({
      effect: "DEFER",
      ruleIds: ["note"],
      reasons: ["modification in rule 'note' needs context.note that is not known yet"],
      defer: { trigger: "unknown_context", waitingFor: ["context.note"], timeoutMs: null },
      decidedBy: "rules",
    });
    const s = p.openSession({ identity: {}, context: { note: "ok" } });
    expect(s.decide({ tool: "send_money", args: MONEY }).modifiedArgs).toEqual({ ...MONEY, memo: "ok" });
  });

  it("modified arguments are the host's to keep: changing them changes no later decision", async () => {
    const p = await loadTest(kind, MODS);
    const s = p.openSession({ identity: {} });
    const args = { to: ["a@x.example", "b@y.example"], body: "secret" };
    const first = s.decide({ tool: "email.send", args });
    expect(first.modifiedArgs).toEqual({ to: ["audit@corp.example"], body: "[REDACTED]" });
    (first.modifiedArgs!["to"] as string[]).push("eve@evil.example");
    expect(s.decide({ tool: "email.send", args }).modifiedArgs).toEqual({
      to: ["audit@corp.example"],
      body: "[REDACTED]",
    });
  });
});
