import { describe, expect, it } from "vitest";
import { createApprovalService, type ApprovalService } from "../approvals/index.js";
import {
  ENFORCEMENT_POLICY,
  enforcementFixture,
  until,
  type Fixture,
} from "../enforce/test-support/fixture.js";
import { createDeferralService, type DeferralService, type Resolver } from "./index.js";

const MIN = 60_000;
const alice = { sub: "alice@corp.example", kind: "human" as const, role: "ops" };

async function setup(resolver?: Resolver) {
  let deferrals!: DeferralService;
  let approvals!: ApprovalService;
  const f = await enforcementFixture({
    policyFile: ENFORCEMENT_POLICY,
    manual: true,
    services: ({ verifier, clock, timers }) => ({
      deferrals: (deferrals = createDeferralService({
        clock,
        ...(timers ? { timers } : {}),
        ...(resolver ? { resolver } : {}),
      })),
      approvals: (approvals = createApprovalService({ verifier, clock, ...(timers ? { timers } : {}) })),
    }),
  });
  const s = await f.enforcer.openSession({
    assertions: [await f.assertion(alice)],
    request: "migrate to v42",
  });
  return { f, s, deferrals, approvals };
}

const deferred = (f: Fixture, n: number) =>
  until(() => f.receipts().filter((r) => r.decision.result === "DEFER").length >= n);

describe("deferral service", () => {
  it("re-evaluates when the missing context arrives: ALLOW runs, with a follow-up receipt", async () => {
    const { f, s, deferrals } = await setup();
    const p = s.perform({ tool: "db.migrate", args: { version: "v42" } }, f.tool("migrated"));
    await deferred(f, 1);
    await until(() => deferrals.list().length === 1);
    expect(deferrals.list()[0]).toMatchObject({
      tool: "db.migrate",
      waitingFor: ["context.maintenance_window"],
    });
    s.setContext("change_ticket", "CHG-1"); // not what it waits for
    expect(deferrals.list()).toHaveLength(1);
    s.setContext("maintenance_window", true);
    const o = await p;
    expect(o).toMatchObject({ effect: "ALLOW", ran: true, output: "migrated", stage: "deferral" });
    const r = f.receipts().find((x) => x.kind === "deferral")!;
    expect(r.deferral).toMatchObject({
      trigger: "unknown_context",
      waitingFor: ["context.maintenance_window"],
      resolution: { method: "context", result: "ALLOW" },
    });
    expect(r.identity.human).toBe("alice@corp.example");
  });

  it("re-evaluation that DENIES ends the action; the tool never runs", async () => {
    const { f, s } = await setup();
    const p = s.perform({ tool: "db.migrate", args: { version: "v42" } }, f.tool());
    await deferred(f, 1);
    s.setContext("maintenance_window", false);
    expect(await p).toMatchObject({
      effect: "DENY",
      ran: false,
      stage: "deferral",
      reasons: ["migrations wait for the window"],
    });
    expect(f.calls).toHaveLength(0);
  });

  it("a DEFER without a timeout gets the default (5 minutes), then DENY", async () => {
    const { f, s } = await setup();
    const p = s.perform({ tool: "db.migrate", args: { version: "v42" } }, f.tool());
    await deferred(f, 1);
    f.timers!.advance(5 * MIN);
    const o = await p;
    expect(o).toMatchObject({ effect: "DENY", stage: "deferral" });
    expect(o.reasons[0]).toMatch(/timeout of 300000 ms/);
    expect(f.receipts().at(-1)!.deferral?.resolution).toMatchObject({ method: "timeout", result: "DENY" });
  });

  it("a resolver that supplies the context resolves by method 'resolver'", async () => {
    const { f, s } = await setup(async (req) =>
      req.action.tool === "dns.update" ? { context: { change_ticket: "CHG-7" } } : undefined,
    );
    const o = await s.perform({ tool: "dns.update", args: { record: "www", value: "10.0.0.1" } }, f.tool());
    expect(o).toMatchObject({ effect: "ALLOW", ran: true });
    expect(f.receipts().find((x) => x.kind === "deferral")!.deferral?.resolution?.method).toBe("resolver");
  });

  it("a resolver may deny, or escalate to human approvers (the approval receipt follows)", async () => {
    const { f, s, approvals } = await setup(async (req) =>
      req.action.args["record"] === "mx"
        ? { deny: "mail records change only by ticket" }
        : { escalate: { groups: ["netops"], reason: "no ticket system" } },
    );
    const denied = await s.perform({ tool: "dns.update", args: { record: "mx", value: "x" } }, f.tool());
    expect(denied).toMatchObject({
      effect: "DENY",
      reasons: ["resolver: mail records change only by ticket"],
    });
    const p = s.perform({ tool: "dns.update", args: { record: "www", value: "x" } }, f.tool());
    await until(() => approvals.list().length === 1);
    expect(approvals.list()[0]).toMatchObject({ source: "defer_escalation", groups: ["netops"] });
    await approvals.approve(approvals.list()[0]!.id, {
      assertion: await f.assertion({ sub: "nina@corp.example", kind: "human", groups: ["netops"] }),
    });
    expect(await p).toMatchObject({ effect: "ALLOW", ran: true, stage: "approval" });
    expect(
      f
        .receipts()
        .slice(-4)
        .map((r) => `${r.kind}:${r.decision.result}`),
    ).toEqual(["decision:DEFER", "deferral:STEP_UP", "approval:ALLOW", "outcome:ALLOW"]);
  });

  it("a resolver that throws is a DENY that says so", async () => {
    const { f, s } = await setup(async () => {
      throw new Error("ticket system down");
    });
    const o = await s.perform({ tool: "dns.update", args: { record: "www", value: "x" } }, f.tool());
    expect(o).toMatchObject({ effect: "DENY", reasons: ["the resolver failed (ticket system down)"] });
  });

  it("dependents are held and released in order after the deferred action ran; independent actions proceed", async () => {
    const { f, s } = await setup();
    const order: string[] = [];
    const tool = (name: string) => async (args: Record<string, unknown>, a: { tool: string }) => (
      order.push(name),
      f.tool(name)(args, a)
    );
    const d = s.perform({ tool: "db.migrate", args: { version: "v42" } }, tool("migrate"));
    await deferred(f, 1);
    const id = f.receipts()[0]!.action.id;
    const b1 = s.perform(
      { tool: "email.send", args: { to: "ops@corp.example", body: "migrated 1" } },
      tool("mail-1"),
      { dependsOn: [id] },
    );
    const b2 = s.perform(
      { tool: "email.send", args: { to: "ops@corp.example", body: "migrated 2" } },
      tool("mail-2"),
      { dependsOn: [id] },
    );
    const free = await s.perform({ tool: "crm.lookup", args: { customer: "C-1" } }, tool("lookup"));
    expect(free.effect).toBe("ALLOW");
    await deferred(f, 3);
    expect(order).toEqual(["lookup"]);
    s.setContext("maintenance_window", true);
    const outs = await Promise.all([d, b1, b2]);
    expect(outs.map((o) => o.effect)).toEqual(["ALLOW", "MODIFY", "MODIFY"]); // the lookup put PII in the session
    expect(order).toEqual(["lookup", "migrate", "mail-1", "mail-2"]);
    const holds = f.receipts().filter((r) => r.deferral?.trigger === "dependency");
    expect(holds.map((r) => [r.kind, r.deferral?.resolution?.method ?? null])).toEqual([
      ["decision", null],
      ["decision", null],
      ["deferral", "dependency"],
      ["deferral", "dependency"],
    ]);
    expect((await f.verify()).valid).toBe(true);
  });

  it("the cascade limit denies the fourth link of a chain; dependents of a denied action are denied", async () => {
    const { f, s } = await setup();
    const root = s.perform({ tool: "db.migrate", args: { version: "v1" } }, f.tool());
    await deferred(f, 1);
    const links = [];
    let previous = f.receipts()[0]!.action.id;
    for (let i = 1; i <= 2; i++) {
      const id = `link-${i}`;
      links.push(
        s.perform({ id, tool: "crm.lookup", args: { customer: `C-${i}` } }, f.tool(), {
          dependsOn: [previous],
        }),
      );
      previous = id;
      await deferred(f, i + 1);
    }
    const fourth = await s.perform(
      { id: "link-3", tool: "crm.lookup", args: { customer: "C-3" } },
      f.tool(),
      { dependsOn: [previous] },
    );
    expect(fourth).toMatchObject({ effect: "DENY", stage: "dependency" });
    expect(fourth.reasons[0]).toMatch(/cascade limit: a chain of 4 held actions exceeds the limit of 3/);
    expect(f.receipts().at(-1)!.deferral?.resolution).toMatchObject({
      method: "cascade_limit",
      result: "DENY",
    });
    const unknown = await s.perform({ tool: "crm.lookup", args: { customer: "C-9" } }, f.tool(), {
      dependsOn: ["act_never"],
    });
    expect(unknown.reasons).toEqual([
      "denied: it depends on 'act_never', which is not an action of this session",
    ]);
    s.setContext("maintenance_window", false);
    const outs = await Promise.all([root, ...links]);
    expect(outs.map((o) => [o.effect, o.stage])).toEqual([
      ["DENY", "deferral"],
      ["DENY", "dependency"],
      ["DENY", "dependency"],
    ]);
    expect(outs[1]!.reasons[0]).toMatch(/which was denied/);
    expect(f.calls).toHaveLength(0);
    expect((await f.verify()).valid).toBe(true);
  });
});
