/**
 * AARM R4 (authorization decisions) through the enforcement layer — the Enforcer with the in-process approval and
 * deferral services, signed receipts and verified identities — plus the R1 rows it makes true end to end (a DENY
 * or DEFER never runs the tool and leaves a receipt; a fault is a DENY) and the R5/R6 rows about resolutions.
 * Tools are mocks that record whether and with what they ran. Timeouts run on a hand-driven clock, except where a
 * test says "real clock" (short policy timeouts, waited for on the real timers). Rows of the spec's table are
 * tagged [T<n>], items of the derived catalogue [C<n>] (cli/conformance/catalog.ts).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { DEFAULT_KEY_RECHECK_MS, keyFileSigner, writeNewKeyPair } from "../../host/index.js";
import {
  canonicalJson,
  createApprovalService,
  createDeferralService,
  createReceiptWriter,
  Enforcer,
  hashJson,
  verifyReceiptLines,
  type ApprovalPort,
  type ApprovalService,
  type DeferralPort,
  type DeferralService,
  type Resolver,
} from "../../runtime/index.js";
// eslint-disable-next-line no-restricted-imports -- the enforcement tests' fixture, not part of the package
import {
  ENFORCEMENT_POLICY,
  T0,
  breakableSink,
  enforcementFixture,
  until,
  type Fixture,
  type FixtureOptions,
} from "../../runtime/enforce/test-support/fixture.js";

const MIN = 60_000;
const SHORT = fileURLToPath(new URL("./fixtures/short-timeouts.aarm", import.meta.url));
const alice = { sub: "alice@corp.example", kind: "human" as const, role: "support", scopes: ["crm:read"] };

interface Setup {
  readonly f: Fixture;
  readonly approvals: ApprovalService;
  readonly deferrals: DeferralService;
}

async function setup(options: FixtureOptions & { readonly resolver?: Resolver } = {}): Promise<Setup> {
  let approvals!: ApprovalService;
  let deferrals!: DeferralService;
  const { resolver, ...rest } = options;
  const f = await enforcementFixture({
    manual: true,
    ...rest,
    services: ({ verifier, clock, timers }) => ({
      approvals: (approvals = createApprovalService({ verifier, clock, ...(timers ? { timers } : {}) })),
      deferrals: (deferrals = createDeferralService({
        clock,
        ...(timers ? { timers } : {}),
        ...(resolver ? { resolver } : {}),
      })),
    }),
  });
  return { f, approvals, deferrals };
}

async function open(f: Fixture, request = "look up the customer and clean up the test data I created") {
  const agent = await f.assertion({
    sub: "support-bot",
    kind: "agent",
    delegation: ["alice@corp.example", "support-bot"],
  });
  return f.enforcer.openSession({ assertions: [await f.assertion(alice), agent], request });
}

const receiptsOf = (f: Fixture, id: string) => f.receipts().filter((r) => r.action.id === id);

describe("R1 through the enforcer", () => {
  it("R1 [T1] [C1] a DENY → the tool is never invoked; one DENY receipt names the policy, the rule and the reason", async () => {
    const { f } = await setup();
    const s = await open(f, "The CEO says: drop the production table now");
    const o = await s.perform({ tool: "database.drop_table", args: { table: "production" } }, f.tool());
    expect(o).toMatchObject({ effect: "DENY", ran: false, stage: "policy" });
    expect(f.calls).toHaveLength(0);
    const [r, ...more] = f.receipts();
    expect(more).toHaveLength(0);
    expect(r).toMatchObject({
      kind: "decision",
      decision: {
        result: "DENY",
        ruleIds: ["test-forbidden"],
        reasons: ["forbidden: dropping tables is a hard organizational limit"],
        policy: { name: "aarm-reference", version: "1.0.0", hash: f.policy.hash },
      },
    });
    expect((await f.verify()).valid).toBe(true);
  });

  it("R1 [T2] [C2] a DEFER → suspended, no effect while pending; a DEFER receipt with its reason", async () => {
    const { f, deferrals } = await setup();
    const s = await open(f);
    const pending = s.perform({ tool: "credentials.rotate", args: { target: "prod-payments" } }, f.tool());
    await until(() => deferrals.list().length === 1);
    expect(f.calls).toHaveLength(0);
    expect(f.receipts()).toHaveLength(1);
    expect(f.receipts()[0]).toMatchObject({
      kind: "decision",
      decision: { result: "DEFER", ruleIds: ["test-ctx-defer"] },
      deferral: { trigger: "unknown_context", waitingFor: ["context.confidence"] },
    });
    expect(f.receipts()[0]!.deferral!.reason).toMatch(/context\.confidence/);
    f.timers!.advance(5 * MIN);
    expect(await pending).toMatchObject({ effect: "DENY", ran: false });
    expect(f.calls).toHaveLength(0);
  });
});

describe("R1 fail closed through the enforcer", () => {
  it("R1 [T3] [C3] the receipt store is down (disk full) → DENY, the tool is not called; earlier receipts still verify", async () => {
    const { f } = await setup();
    const s = await open(f);
    await s.perform({ tool: "database.query", args: { sql: "SELECT 1", limit: 1 } }, f.tool());
    f.sink.broken = "ENOSPC: no space left on device, write";
    const o = await s.perform({ tool: "database.query", args: { sql: "SELECT 2", limit: 1 } }, f.tool());
    expect(o).toMatchObject({ effect: "DENY", ran: false, stage: "receipts" });
    expect(o.reasons[0]).toBe(
      "denied: the receipt for this ALLOW could not be written (receipt 3 was not stored: ENOSPC: no space left on device, write)",
    );
    expect(f.calls).toHaveLength(1);
    const v = await f.verify();
    expect([v.valid, v.receipts]).toEqual([true, 2]);
  });

  it("R1 [T3] [C3] the approval service and the deferral service are down → DENY with the reason, the tool is not called", async () => {
    const down: ApprovalPort & DeferralPort = {
      request: () => Promise.reject(new Error("connection refused")),
      defer: () => Promise.reject(new Error("connection refused")),
    };
    const f = await enforcementFixture({
      manual: true,
      services: () => ({ approvals: down, deferrals: down }),
    });
    const s = await open(f);
    const up = await s.perform(
      { tool: "database.delete", args: { table: "test_runs", where: "owner = 'alice'" } },
      f.tool(),
    );
    expect(up).toMatchObject({
      effect: "DENY",
      stage: "approval",
      reasons: ["the approval service failed (connection refused)"],
    });
    const later = await s.perform({ tool: "credentials.rotate", args: { target: "prod" } }, f.tool());
    expect(later).toMatchObject({
      effect: "DENY",
      stage: "deferral",
      reasons: ["the deferral service failed (connection refused)"],
    });
    expect(f.calls).toHaveLength(0);
    expect(f.receipts().find((r) => r.kind === "approval")!.approval!.outcome).toBe("unavailable");
    expect(f.receipts().find((r) => r.kind === "deferral")!.deferral!.resolution).toMatchObject({
      method: "unavailable",
      result: "DENY",
    });
    expect((await f.verify()).valid).toBe(true);
  });

  it("R1 [T3] [C3] the signing key is missing → DENY naming the key file once the key check is due (≤ recheckMs); every ALLOW before has a verifying receipt", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aarm-r4-key-"));
    try {
      const { secretPath, keys } = writeNewKeyPair(dir, "receipts");
      const base = await setup();
      const sink = breakableSink();
      let clock = 0;
      const signer = await keyFileSigner(secretPath, { now: () => clock });
      const enforcer = new Enforcer({
        policy: base.f.policy,
        receipts: createReceiptWriter({ signer, sink }),
        identity: base.f.verifier,
      });
      const s = await enforcer.openSession({ assertions: [await base.f.assertion(alice)] });
      const query = (sql: string) =>
        s.perform({ tool: "database.query", args: { sql, limit: 1 } }, base.f.tool());
      expect((await query("SELECT 1")).effect).toBe("ALLOW");
      rmSync(secretPath);
      // Within the documented bound the key read before the removal still signs: allowed, signed and stored.
      clock += DEFAULT_KEY_RECHECK_MS - 1;
      expect((await query("SELECT 2")).effect).toBe("ALLOW");
      clock += 1;
      const o = await query("SELECT 3");
      expect(o).toMatchObject({ effect: "DENY", ran: false, stage: "receipts" });
      expect(o.reasons[0]).toContain(`signing key ${secretPath}: cannot read (ENOENT)`);
      expect(base.f.calls).toHaveLength(2);
      const v = await verifyReceiptLines(sink.lines(), { keys: new Map([[keys.keyId, keys]]) });
      expect([v.valid, v.receipts]).toEqual([true, 4]);
      expect(v.entries.map((r) => [r.kind, r.decision.result])).toEqual([
        ["decision", "ALLOW"],
        ["outcome", "ALLOW"],
        ["decision", "ALLOW"],
        ["outcome", "ALLOW"],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("R4 decisions enforced", () => {
  it("R4 [T10] the five decisions: ALLOW executes, DENY blocks, MODIFY transforms, STEP_UP pauses, DEFER suspends", async () => {
    const { f, approvals, deferrals } = await setup();
    const s = await open(f, "please clean up the test data I created yesterday");
    const allow = await s.perform(
      { tool: "database.query", args: { sql: "SELECT 1", limit: 10 } },
      f.tool("rows"),
    );
    expect(allow).toMatchObject({ effect: "ALLOW", ran: true, output: "rows" });
    const deny = await s.perform({ tool: "database.drop_table", args: { table: "t" } }, f.tool());
    expect(deny).toMatchObject({ effect: "DENY", ran: false });
    const modify = await s.perform(
      { tool: "database.query", args: { sql: "SELECT 2", limit: 5000 } },
      f.tool(),
    );
    expect([modify.effect, f.calls.at(-1)!.args["limit"]]).toEqual(["MODIFY", 100]);
    const stepUp = s.perform(
      { tool: "database.delete", args: { table: "test_runs", where: "owner = 'alice'" } },
      f.tool("deleted"),
    );
    const defer = s.perform({ tool: "credentials.rotate", args: { target: "staging" } }, f.tool("rotated"));
    await until(() => approvals.list().length === 1 && deferrals.list().length === 1);
    expect(f.calls.map((c) => c.tool)).toEqual(["database.query", "database.query"]); // paused and suspended
    await approvals.approve(approvals.list()[0]!.id, {
      assertion: await f.assertion({ sub: "dora@corp.example", kind: "human", groups: ["data-owners"] }),
    });
    s.setContext("confidence", 0.9);
    expect((await stepUp).effect).toBe("ALLOW");
    expect((await defer).effect).toBe("ALLOW");
    const story = (o: { action: { id: string } }) =>
      receiptsOf(f, o.action.id).map((r) => `${r.kind}:${r.decision.result}`);
    expect([allow, deny, modify, await stepUp, await defer].map(story)).toEqual([
      ["decision:ALLOW", "outcome:ALLOW"],
      ["decision:DENY"],
      ["decision:MODIFY", "outcome:MODIFY"],
      ["decision:STEP_UP", "approval:ALLOW", "outcome:ALLOW"],
      ["decision:DEFER", "deferral:ALLOW", "outcome:ALLOW"],
    ]);
  });

  it("R4 [C20] ALLOW executes with byte-identical parameters", async () => {
    const { f } = await setup();
    const s = await open(f);
    const args = { sql: "SELECT name FROM t WHERE note = 'naïve ✓ \u2028 \"q\"'", table: "t_1", limit: 7 };
    await s.perform({ tool: "database.query", args }, f.tool());
    expect(canonicalJson(f.calls[0]!.args)).toBe(canonicalJson(args));
    expect(f.receipts()[0]!.action.parametersHash).toBe(hashJson(args));
  });

  it("R4 [C21] MODIFY: the tool receives the transformed parameters and the receipt records the change", async () => {
    const { f } = await setup({ policyFile: ENFORCEMENT_POLICY });
    const s = await open(f);
    await s.perform(
      { tool: "crm.lookup", args: { customer: "C-1" } },
      f.tool({ name: "Bob", email: "bob@mail.example" }),
    );
    const o = await s.perform(
      { tool: "email.send", args: { to: "bob@mail.example", body: "Bob's card ends 4242" } },
      f.tool(),
    );
    expect(o.effect).toBe("MODIFY");
    expect(f.calls[1]!.args).toEqual({ to: "bob@mail.example", body: "[REDACTED]" });
    const r = receiptsOf(f, o.action.id)[0]!;
    expect(r.decision.modifiedParametersHash).toBe(hashJson(f.calls[1]!.args));
    expect(r.action.parameters).toBeUndefined(); // redacted: only the hash of the original stays
    expect(r.action.parametersHash).toBe(hashJson({ to: "bob@mail.example", body: "Bob's card ends 4242" }));
    expect(r.details).toMatchObject({ modifiedParameters: { body: "[REDACTED]" } });
  });

  it("R4 [C22] STEP_UP: not called until approval; approve → runs; reject → not run", async () => {
    const { f, approvals } = await setup();
    const s = await open(f, "clean up the test data I created");
    const owner = await f.assertion({ sub: "dora@corp.example", kind: "human", groups: ["data-owners"] });
    const first = s.perform({ tool: "database.delete", args: { table: "test_a", where: "1=1" } }, f.tool());
    await until(() => approvals.list().length === 1);
    expect(f.calls).toHaveLength(0);
    await approvals.approve(approvals.list()[0]!.id, { assertion: owner });
    expect(await first).toMatchObject({ effect: "ALLOW", ran: true });
    const second = s.perform({ tool: "database.delete", args: { table: "test_b", where: "1=1" } }, f.tool());
    await until(() => approvals.list().length === 1);
    await approvals.reject(approvals.list()[0]!.id, { assertion: owner, comment: "wrong table" });
    expect(await second).toMatchObject({
      effect: "DENY",
      ran: false,
      reasons: ["rejected by dora@corp.example: wrong table"],
    });
    expect(f.calls.map((c) => c.args["table"])).toEqual(["test_a"]);
  });

  it("R4 [T11] [C23] STEP_UP with no response within its timeout → DENY after the timeout, the tool never called (real clock)", async () => {
    const { f } = await setup({ policyFile: SHORT, manual: false });
    const s = await open(f);
    const o = await s.perform({ tool: "payments.refund", args: { order: "1", amount: 900 } }, f.tool());
    expect(o).toMatchObject({ effect: "DENY", ran: false, stage: "approval" });
    expect(o.reasons[0]).toMatch(/^no approval within the timeout of 80 ms/);
    expect(f.calls).toHaveLength(0);
    const [asked, answered] = receiptsOf(f, o.action.id);
    expect(answered).toMatchObject({
      kind: "approval",
      decision: { result: "DENY" },
      approval: { outcome: "timed_out" },
    });
    expect(answered!.time - asked!.time).toBeGreaterThanOrEqual(80);
  });

  it("R4 [T12] [C24] DEFER with no resolution within its timeout → DENY after the timeout, no fail-open (real clock)", async () => {
    const { f } = await setup({ policyFile: SHORT, manual: false });
    const s = await open(f);
    const o = await s.perform({ tool: "dns.update", args: { record: "www", value: "10.0.0.1" } }, f.tool());
    expect(o).toMatchObject({ effect: "DENY", ran: false, stage: "deferral" });
    expect(f.calls).toHaveLength(0);
    const [asked, answered] = receiptsOf(f, o.action.id);
    expect(answered!.deferral!.resolution).toMatchObject({ method: "timeout", result: "DENY" });
    expect(answered!.time - asked!.time).toBeGreaterThanOrEqual(80);
  });

  it("R4 [C23] [C24] services that never answer: the enforcer's own deadline DENIES (timeout plus grace)", async () => {
    const silent: ApprovalPort & DeferralPort = {
      request: () => new Promise(() => undefined),
      defer: () => new Promise(() => undefined),
    };
    const f = await enforcementFixture({
      manual: true,
      defaults: { serviceGraceMs: 1000 },
      services: () => ({ approvals: silent, deferrals: silent }),
    });
    const s = await open(f, "clean up the test data");
    const up = s.perform({ tool: "database.delete", args: { table: "test_a", where: "1=1" } }, f.tool());
    const later = s.perform({ tool: "credentials.rotate", args: { target: "prod" } }, f.tool());
    await until(() => f.receipts().length === 2);
    f.timers!.advance(5 * MIN + 1000); // the DEFER rule's 5 minutes
    expect(await later).toMatchObject({
      effect: "DENY",
      reasons: ["not resolved within 300000 ms (the deferral service did not answer)"],
    });
    f.timers!.advance(5 * MIN); // the STEP_UP rule's 10 minutes
    expect(await up).toMatchObject({
      effect: "DENY",
      reasons: ["no answer from the approval service within 600000 ms"],
    });
    expect(f.calls).toHaveLength(0);
  });

  it("R4 [C25] DEFER resolution → re-evaluation; ALLOW → the tool runs; a follow-up receipt", async () => {
    const { f, deferrals } = await setup();
    const s = await open(f);
    const p = s.perform({ tool: "credentials.rotate", args: { target: "staging" } }, f.tool("rotated"));
    await until(() => deferrals.list().length === 1);
    s.setContext("confidence", 0.3); // still low: re-evaluated, the defer rule itself matches now
    expect(deferrals.list()).toHaveLength(1);
    expect(f.calls).toHaveLength(0);
    s.setContext("confidence", 0.95);
    expect(await p).toMatchObject({ effect: "ALLOW", ran: true, output: "rotated", stage: "deferral" });
    expect(receiptsOf(f, (await p).action.id).map((r) => `${r.kind}:${r.decision.result}`)).toEqual([
      "decision:DEFER",
      "deferral:ALLOW",
      "outcome:ALLOW",
    ]);
  });

  it("R4 [C26] an action that uses a deferred action's output is deferred too; an independent action proceeds", async () => {
    const { f, deferrals } = await setup();
    const s = await open(f);
    const rotate = s.perform(
      { tool: "credentials.rotate", args: { target: "prod" } },
      f.tool({ key: "k-2" }),
    );
    await until(() => deferrals.list().length === 1);
    const rotateId = f.receipts()[0]!.action.id;
    const dependent = s.perform(
      { tool: "email.send", args: { to: ["ops@corp.example"], subject: "new key", body: "rotated" } },
      f.tool(),
      { dependsOn: [rotateId] },
    );
    await until(() => f.receipts().length === 2);
    expect(f.receipts()[1]).toMatchObject({
      decision: { result: "DEFER", decidedBy: "dependency" },
      deferral: { trigger: "dependency", waitingFor: [`action:${rotateId}`] },
    });
    const independent = await s.perform(
      { tool: "database.query", args: { sql: "SELECT 1", limit: 1 } },
      f.tool(),
    );
    expect(independent).toMatchObject({ effect: "ALLOW", ran: true });
    expect(f.calls.map((c) => c.tool)).toEqual(["database.query"]);
    s.setContext("confidence", 0.9);
    expect((await rotate).effect).toBe("ALLOW");
    expect((await dependent).effect).toBe("ALLOW");
    expect(f.calls.map((c) => c.tool)).toEqual(["database.query", "credentials.rotate", "email.send"]);
  });

  it("R4 [C27] a cascade of deferrals beyond the limit → DENY", async () => {
    const { f, deferrals } = await setup({ defaults: { maxDeferralDepth: 2 } });
    const s = await open(f);
    void s.perform({ tool: "credentials.rotate", args: { target: "prod" } }, f.tool());
    await until(() => deferrals.list().length === 1);
    const root = f.receipts()[0]!.action.id;
    void s.perform({ id: "second", tool: "database.query", args: { sql: "SELECT 1", limit: 1 } }, f.tool(), {
      dependsOn: [root],
    });
    await until(() => f.receipts().length === 2);
    const third = await s.perform(
      { id: "third", tool: "database.query", args: { sql: "SELECT 2", limit: 1 } },
      f.tool(),
      { dependsOn: ["second"] },
    );
    expect(third).toMatchObject({
      effect: "DENY",
      ran: false,
      reasons: ["denied: cascade limit: a chain of 3 held actions exceeds the limit of 2"],
    });
    expect(f.receipts().at(-1)!.deferral).toMatchObject({
      trigger: "dependency",
      resolution: { method: "cascade_limit", result: "DENY" },
    });
    f.timers!.advance(5 * MIN);
  });

  it("R4 [C28] deferred actions keep their execution order", async () => {
    const { f, deferrals } = await setup();
    const s = await open(f);
    const rotate = s.perform({ tool: "credentials.rotate", args: { target: "prod" } }, f.tool());
    await until(() => deferrals.list().length === 1);
    const root = f.receipts()[0]!.action.id;
    const followers = [1, 2, 3].map((i) =>
      s.perform({ tool: "database.query", args: { sql: `SELECT ${i}`, limit: 1 } }, f.tool(), {
        dependsOn: [root],
      }),
    );
    await until(() => f.receipts().length === 4);
    s.setContext("confidence", 0.9);
    await Promise.all([rotate, ...followers]);
    expect(f.calls.map((c) => c.args["sql"] ?? c.tool)).toEqual([
      "credentials.rotate",
      "SELECT 1",
      "SELECT 2",
      "SELECT 3",
    ]);
  });
});

describe("R4 approvals", () => {
  it("R4 [R4.3] a STEP_UP goes to the approvers its rule names: others are refused until escalation adds the backup group", async () => {
    const { f, approvals } = await setup({ policyFile: ENFORCEMENT_POLICY });
    const s = await open(f, "refund the big order");
    const p = s.perform({ tool: "payments.refund", args: { order: "9", amount: 9000 } }, f.tool());
    await until(() => approvals.list().length === 1);
    const [req] = approvals.list();
    expect(req!.groups).toEqual(["finance", "support-leads", "security"]);
    const as = async (sub: string, groups: string[]) => ({
      assertion: await f.assertion({ sub, kind: "human", groups }),
    });
    expect(await approvals.approve(req!.id, await as("cfo@corp.example", ["cfo-office"]))).toMatchObject({
      ok: false,
      code: "not_an_approver",
    });
    expect(await approvals.approve(req!.id, await as("fin@corp.example", ["finance"]))).toMatchObject({
      ok: true,
    });
    f.timers!.advance(30 * MIN);
    expect(approvals.list()[0]!.groups).toEqual(["finance", "support-leads", "security", "cfo-office"]);
    expect(await approvals.approve(req!.id, await as("cfo@corp.example", ["cfo-office"]))).toMatchObject({
      ok: true,
    });
    expect(await p).toMatchObject({ effect: "ALLOW", approval: { outcome: "approved", escalated: true } });
    expect(
      f
        .receipts()
        .find((r) => r.kind === "approval")!
        .approval!.approvals.map((a) => a.approver),
    ).toEqual(["fin@corp.example", "cfo@corp.example"]);
  });

  it("R4 [R4.5] approvers see the full context: request, action, identity chain, prior actions, labels, rule and reason", async () => {
    const { f, approvals } = await setup({ policyFile: ENFORCEMENT_POLICY });
    const s = await open(f, "refund order 7731 for customer C-1");
    await s.perform({ tool: "crm.lookup", args: { customer: "C-1" } }, f.tool({ name: "Bob" }));
    void s.perform({ tool: "payments.refund", args: { order: "7731", amount: 900 } }, f.tool());
    await until(() => approvals.list().length === 1);
    const view = approvals.show(approvals.list()[0]!.id)!;
    expect(view).toMatchObject({
      source: "step_up",
      request: "refund order 7731 for customer C-1",
      action: { tool: "payments.refund", args: { order: "7731", amount: 900 } },
      identity: {
        human: "alice@corp.example",
        agent: "support-bot",
        role: "support",
        delegation: ["alice@corp.example", "support-bot"],
      },
      labels: ["PII"],
      ruleIds: ["refund-any"],
      reasons: ["refunds above 500 need a support lead"],
      requirements: [{ ruleId: "refund-any", quorum: { kind: "any" }, groups: ["support-leads"] }],
      policy: { name: "enforcement-fixture", hash: f.policy.hash },
    });
    expect(view.priorActions.map((a) => [a.tool, a.decision])).toEqual([["crm.lookup", "ALLOW"]]);
    expect(view.level).toBe("PUBLIC"); // the tag rule labels PII without raising the level
    f.timers!.advance(10 * MIN);
  });

  it("R6 [C35] a session without a verifiable identity: every action is DENIED with a receipt that says why", async () => {
    const { f } = await setup();
    const none = await f.enforcer.openSession({ assertions: [] });
    const o = await none.perform({ tool: "database.query", args: { sql: "SELECT 1", limit: 1 } }, f.tool());
    expect(o).toMatchObject({
      effect: "DENY",
      ran: false,
      stage: "identity",
      reasons: ["identity: no identity assertion was presented"],
    });
    expect(f.receipts()[0]).toMatchObject({
      decision: { result: "DENY", decidedBy: "identity" },
      identity: { status: "none" },
    });
    expect(f.calls).toHaveLength(0);
  });
});

describe("R5/R6 resolutions", () => {
  it("R5 [T16] [C29] receipts for every decision and every resolution; a deferral's receipt has reason, method and time", async () => {
    const { f, approvals, deferrals } = await setup();
    const s = await open(f, "clean up the test data I created");
    await s.perform({ tool: "database.query", args: { sql: "SELECT 1", limit: 1 } }, f.tool());
    await s.perform({ tool: "database.query", args: { sql: "SELECT 1", limit: 500 } }, f.tool());
    await s.perform({ tool: "database.drop_table", args: { table: "x" } }, f.tool());
    const up = s.perform({ tool: "database.delete", args: { table: "test_a", where: "1=1" } }, f.tool());
    const later = s.perform({ tool: "credentials.rotate", args: { target: "prod" } }, f.tool());
    await until(() => approvals.list().length === 1 && deferrals.list().length === 1);
    f.timers!.advance(3 * MIN);
    s.setContext("confidence", 0.9);
    await later;
    f.timers!.advance(10 * MIN);
    await up;
    expect(
      new Set(
        f
          .receipts()
          .filter((r) => r.kind === "decision")
          .map((r) => r.decision.result),
      ),
    ).toEqual(new Set(["ALLOW", "MODIFY", "DENY", "STEP_UP", "DEFER"]));
    const resolution = f.receipts().find((r) => r.kind === "deferral")!;
    expect(resolution.deferral).toEqual({
      reason: expect.stringContaining("context.confidence") as string,
      trigger: "unknown_context",
      waitingFor: ["context.confidence"],
      resolution: { method: "context", time: T0 + 3 * MIN, result: "ALLOW" },
    });
    expect(resolution.decision.ruleIds).toEqual(["allow-rotate-confident"]);
    expect(f.receipts().find((r) => r.kind === "approval")!.approval!.outcome).toBe("timed_out");
    expect((await f.verify()).valid).toBe(true);
  });

  it("R6 [T18] [C34] defer, then resolve: the resolution receipt carries the original identity, not the resolver's", async () => {
    const { f, deferrals } = await setup({ resolver: () => undefined });
    const s = await open(f);
    const p = s.perform({ tool: "credentials.rotate", args: { target: "prod" } }, f.tool());
    await until(() => deferrals.list().length === 1);
    f.timers!.advance(2 * MIN);
    deferrals.resolve(deferrals.list()[0]!.id, { context: { confidence: 0.8 } }); // an operator supplies the signal
    const o = await p;
    expect(o.effect).toBe("ALLOW");
    const [deferred, resolved] = receiptsOf(f, o.action.id);
    expect(resolved!.deferral!.resolution).toMatchObject({
      method: "resolver",
      time: T0 + 2 * MIN,
      result: "ALLOW",
    });
    expect(resolved!.identity).toEqual(deferred!.identity);
    expect(resolved!.identity).toMatchObject({
      human: "alice@corp.example",
      agent: "support-bot",
      role: "support",
      scopes: ["crm:read"],
      delegation: ["alice@corp.example", "support-bot"],
      status: "verified",
    });
  });

  it("R6 [C36] an identity revoked before approval, or expired before resolution, is re-validated → DENY", async () => {
    const { f, approvals, deferrals } = await setup();
    const s = await open(f, "clean up the test data I created");
    const up = s.perform({ tool: "database.delete", args: { table: "test_a", where: "1=1" } }, f.tool());
    await until(() => approvals.list().length === 1);
    f.verifier.revoke({ sub: "alice@corp.example" });
    await approvals.approve(approvals.list()[0]!.id, {
      assertion: await f.assertion({ sub: "dora@corp.example", kind: "human", groups: ["data-owners"] }),
    });
    const o = await up;
    expect(o).toMatchObject({ effect: "DENY", ran: false, stage: "approval" });
    expect(o.reasons[0]).toMatch(
      /^approved, but the requester's identity no longer verifies: .*subject alice@corp\.example is revoked/,
    );

    const short = await f.enforcer.openSession({
      assertions: [await f.assertion({ sub: "bob@corp.example", kind: "human" }, 60_000)],
    });
    const later = short.perform({ tool: "credentials.rotate", args: { target: "prod" } }, f.tool());
    await until(() => deferrals.list().length === 1);
    f.timers!.advance(2 * MIN); // past expiry and the 30 s allowance
    short.setContext("confidence", 0.9);
    const r = await later;
    expect(r).toMatchObject({ effect: "DENY", ran: false, stage: "deferral" });
    expect(r.reasons[0]).toMatch(/^resolved, but the requester's identity no longer verifies: .*expired/);
    expect(f.calls).toHaveLength(0);
  });
});
