/**
 * AARM R4, STEP_UP: "Approval requests routed to configured approvers" and "Full action context available to
 * approvers". Through the real Enforcer and approval service, with a mock tool that records whether it ran.
 */
import { describe, expect, it } from "vitest";
/* eslint-disable no-restricted-imports -- the approval service and the enforcement test fixture are not exported from the
   package entry point (index.ts) */
import {
  createApprovalService,
  type ApprovalEvent,
  type ApprovalService,
} from "../../runtime/approvals/index.js";
import {
  ENFORCEMENT_POLICY,
  enforcementFixture,
  until,
  type Fixture,
} from "../../runtime/enforce/test-support/fixture.js";

const MIN = 60_000;

async function setup(): Promise<{ f: Fixture; approvals: ApprovalService; events: ApprovalEvent[] }> {
  let approvals!: ApprovalService;
  const events: ApprovalEvent[] = [];
  const f = await enforcementFixture({
    policyFile: ENFORCEMENT_POLICY,
    manual: true,
    services: ({ verifier, clock, timers }) => ({
      approvals: (approvals = createApprovalService({
        verifier,
        clock,
        onEvent: (e) => events.push(e),
        ...(timers ? { timers } : {}),
      })),
    }),
  });
  return { f, approvals, events };
}

describe("R4 STEP_UP approvers", () => {
  it("[R4.3] R4 a request goes to the groups the rule names, after escalation also to the backup group, and to nobody else", async () => {
    const { f, approvals, events } = await setup();
    const s = await f.enforcer.openSession({
      assertions: [await f.assertion({ sub: "alice@corp.example", kind: "human" })],
      request: "refund order 1",
    });
    const pending = s.perform(
      { tool: "payments.refund", args: { order: "1", amount: 9000 } },
      f.tool({ ok: true }),
    );
    await until(() => approvals.list().length === 1);
    const [req] = approvals.list();
    expect(req!.groups).toEqual(["finance", "support-leads", "security"]);
    expect(events.map((e) => e.type)).toEqual(["requested"]);
    const outsider = await f.assertion({ sub: "eve@corp.example", kind: "human", groups: ["cfo-office"] });
    expect(await approvals.approve(req!.id, { assertion: outsider })).toMatchObject({
      ok: false,
      code: "not_an_approver",
    });
    f.timers!.advance(31 * MIN); // escalate to ["cfo-office"] after 30m
    await until(() => events.some((e) => e.type === "escalated"));
    expect(approvals.list()[0]!.groups).toContain("cfo-office");
    expect(await approvals.approve(req!.id, { assertion: outsider })).toMatchObject({ ok: true });
    const o = await pending;
    expect(o).toMatchObject({ effect: "ALLOW", ran: true });
    expect(f.calls).toHaveLength(1);
  });

  it("[R4.5] R4 approvers see the user's request, the action, prior actions, labels, the rule and its reason", async () => {
    const { f, approvals } = await setup();
    const s = await f.enforcer.openSession({
      assertions: [await f.assertion({ sub: "alice@corp.example", kind: "human" })],
      request: "refund order 7731 for the customer I just looked up",
    });
    expect(
      (await s.perform({ tool: "crm.lookup", args: { customer: "c-17" } }, f.tool({ name: "Ann" }))).ran,
    ).toBe(true);
    const pending = s.perform({ tool: "payments.refund", args: { order: "7731", amount: 900 } }, f.tool({}));
    await until(() => approvals.list().length === 1);
    const view = approvals.show(approvals.list()[0]!.id)!;
    expect(view.request).toBe("refund order 7731 for the customer I just looked up");
    expect(view.action).toMatchObject({ tool: "payments.refund", args: { order: "7731", amount: 900 } });
    expect(view.priorActions.map((p) => p.tool)).toEqual(["crm.lookup"]);
    expect(view.labels).toContain("PII");
    expect(view.ruleIds).toEqual(["refund-any"]);
    expect(view.reasons).toEqual(["refunds above 500 need a support lead"]);
    expect(view.identity).toMatchObject({ human: "alice@corp.example" });
    expect(view.policy.name).toBe("enforcement-fixture");
    expect(f.calls.map((c) => c.tool)).toEqual(["crm.lookup"]); // the refund waits
    f.timers!.advance(11 * MIN);
    expect((await pending).effect).toBe("DENY");
    expect(f.calls.map((c) => c.tool)).toEqual(["crm.lookup"]);
  });
});
