import { describe, expect, it } from "vitest";
import {
  ENFORCEMENT_POLICY,
  enforcementFixture,
  settle,
  until,
  type Fixture,
} from "../enforce/test-support/fixture.js";
import type { ActionOutcome } from "../enforce/types.js";
import { createApprovalService, type ApprovalService } from "./index.js";

const MIN = 60_000;
const alice = { sub: "alice@corp.example", kind: "human" as const };

async function setup(): Promise<{ f: Fixture; approvals: ApprovalService }> {
  let approvals!: ApprovalService;
  const f = await enforcementFixture({
    policyFile: ENFORCEMENT_POLICY,
    manual: true,
    services: ({ verifier, clock, timers }) => ({
      approvals: (approvals = createApprovalService({ verifier, clock, ...(timers ? { timers } : {}) })),
    }),
  });
  return { f, approvals };
}

/** Submit an action and let the enforcer reach the approval service. */
async function submit(
  f: Fixture,
  approvals: ApprovalService,
  args: Record<string, unknown>,
  tool = "payments.refund",
) {
  const s = await f.enforcer.openSession({
    assertions: [await f.assertion(alice)],
    request: "refund order 7731",
  });
  const before = approvals.list().length;
  const pending = s.perform({ tool, args }, f.tool({ done: true }));
  await until(() => approvals.list().length > before);
  return { s, pending };
}

const approver = (f: Fixture, sub: string, groups: string[]) => f.assertion({ sub, kind: "human", groups });

describe("approval service", () => {
  it("any: one support lead approves → the tool runs once, the receipt names the approver", async () => {
    const { f, approvals } = await setup();
    const { pending } = await submit(f, approvals, { order: "7731", amount: 900 });
    expect(f.calls).toHaveLength(0);
    const [req] = approvals.list();
    expect(req).toMatchObject({
      tool: "payments.refund",
      requester: "alice@corp.example",
      groups: ["support-leads"],
    });
    const view = approvals.show(req!.id)!;
    expect(view).toMatchObject({
      request: "refund order 7731",
      action: { args: { order: "7731", amount: 900 } },
      ruleIds: ["refund-any"],
    });
    const r = await approvals.approve(req!.id, {
      assertion: await approver(f, "bob@corp.example", ["support-leads"]),
      comment: "known customer",
    });
    expect(r.ok).toBe(true);
    const o = await pending;
    expect(o).toMatchObject({ effect: "ALLOW", ran: true, stage: "approval" });
    expect(f.calls).toEqual([{ tool: "payments.refund", args: { order: "7731", amount: 900 } }]);
    const receipt = f.receipts().find((x) => x.kind === "approval")!;
    expect(receipt.approval).toMatchObject({
      outcome: "approved",
      approvals: [{ approver: "bob@corp.example", decision: "approve", comment: "known customer" }],
    });
    expect(receipt.identity.human).toBe("alice@corp.example");
    expect((await f.verify()).valid).toBe(true);
  });

  it("a rejection DENIES; the tool never runs", async () => {
    const { f, approvals } = await setup();
    const { pending } = await submit(f, approvals, { order: "7731", amount: 900 });
    const id = approvals.list()[0]!.id;
    await approvals.reject(id, {
      assertion: await approver(f, "bob@corp.example", ["support-leads"]),
      comment: "not this one",
    });
    const o = await pending;
    expect(o).toMatchObject({
      effect: "DENY",
      ran: false,
      stage: "approval",
      reasons: ["rejected by bob@corp.example: not this one"],
    });
    expect(f.calls).toHaveLength(0);
  });

  it("2 of 3 groups: one person in two groups counts once; a second group's approver completes the quorum", async () => {
    const { f, approvals } = await setup();
    const { pending } = await submit(f, approvals, { order: "1", amount: 9000 });
    const id = approvals.list()[0]!.id;
    expect(
      (
        await approvals.approve(id, {
          assertion: await approver(f, "carol@corp.example", ["finance", "security"]),
        })
      ).ok,
    ).toBe(true);
    await settle();
    expect(approvals.list()).toHaveLength(1);
    expect(f.calls).toHaveLength(0);
    const again = await approvals.approve(id, {
      assertion: await approver(f, "carol@corp.example", ["finance", "security"]),
    });
    expect(again).toMatchObject({ ok: false, code: "already_decided" });
    await approvals.approve(id, { assertion: await approver(f, "dan@corp.example", ["security"]) });
    expect((await pending).effect).toBe("ALLOW");
  });

  it("all: both groups must approve", async () => {
    const { f, approvals } = await setup();
    const { pending } = await submit(f, approvals, { target: "prod-db" }, "credentials.rotate");
    const id = approvals.list()[0]!.id;
    await approvals.approve(id, { assertion: await approver(f, "sec@corp.example", ["security"]) });
    await settle();
    expect(f.calls).toHaveLength(0);
    await approvals.approve(id, { assertion: await approver(f, "ops@corp.example", ["platform"]) });
    expect((await pending).effect).toBe("ALLOW");
    expect(f.calls).toHaveLength(1);
  });

  it("refuses approvers outside the groups, the requester, agents and unverifiable assertions, precisely", async () => {
    const { f, approvals } = await setup();
    const { pending } = await submit(f, approvals, { order: "7731", amount: 900 });
    const id = approvals.list()[0]!.id;
    expect(
      await approvals.approve(id, { assertion: await approver(f, "eve@corp.example", ["marketing"]) }),
    ).toMatchObject({ ok: false, code: "not_an_approver" });
    expect(
      await approvals.approve(id, { assertion: await approver(f, "alice@corp.example", ["support-leads"]) }),
    ).toMatchObject({ ok: false, code: "self_approval" });
    expect(
      await approvals.approve(id, {
        assertion: await f.assertion({ sub: "bot-1", kind: "agent", groups: ["support-leads"] }),
      }),
    ).toMatchObject({ ok: false, code: "not_human" });
    expect(await approvals.approve(id, { assertion: "x.y.z" })).toMatchObject({
      ok: false,
      code: "identity",
    });
    expect(
      await approvals.approve("apr_nope", {
        assertion: await approver(f, "bob@corp.example", ["support-leads"]),
      }),
    ).toMatchObject({ ok: false, code: "not_found" });
    f.timers!.advance(10 * MIN);
    expect((await pending).effect).toBe("DENY");
    expect(f.calls).toHaveLength(0);
  });

  it("escalation: after 30 minutes the backup group may decide alone; before, it may not", async () => {
    const { f, approvals } = await setup();
    const { pending } = await submit(f, approvals, { order: "2", amount: 20000 });
    const id = approvals.list()[0]!.id;
    const cfo = await approver(f, "cfo@corp.example", ["cfo-office"]);
    expect(await approvals.approve(id, { assertion: cfo })).toMatchObject({
      ok: false,
      code: "not_an_approver",
    });
    f.timers!.advance(30 * MIN);
    expect(approvals.list()[0]).toMatchObject({
      escalated: true,
      groups: ["finance", "support-leads", "security", "cfo-office"],
    });
    expect(
      (await approvals.approve(id, { assertion: await approver(f, "cfo@corp.example", ["cfo-office"]) })).ok,
    ).toBe(true);
    const o: ActionOutcome = await pending;
    expect(o).toMatchObject({ effect: "ALLOW", approval: { outcome: "approved", escalated: true } });
  });

  it("timeout → DENY (timed_out in the receipt); nothing times out into ALLOW", async () => {
    const { f, approvals } = await setup();
    const { pending } = await submit(f, approvals, { order: "7731", amount: 900 });
    f.timers!.advance(10 * MIN - 1);
    await settle();
    expect(approvals.list()).toHaveLength(1);
    f.timers!.advance(1);
    const o = await pending;
    expect(o).toMatchObject({ effect: "DENY", ran: false, stage: "approval" });
    expect(f.receipts().at(-1)!.approval?.outcome).toBe("timed_out");
    expect(approvals.list()).toHaveLength(0);
    expect(approvals.show(approvals.show(`apr_${o.action.id}`)!.id)!.status).toBe("timed_out");
  });
});
