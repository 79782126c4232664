/**
 * `aarm approvals` in-process against a real approval endpoint on loopback, with an enforcer whose STEP_UP
 * actions wait on it.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApprovalServer, type ApprovalServer } from "../host/approvals-http.js";
import { createApprovalService, type ApprovalService } from "../runtime/approvals/index.js";
import {
  ENFORCEMENT_POLICY,
  enforcementFixture,
  until,
  type Fixture,
} from "../runtime/enforce/test-support/fixture.js";
import { memoryIo } from "./io.js";
import { aarmProgram, guarded } from "./main.js";

let dir = "";
let f: Fixture;
let service: ApprovalService;
let server: ApprovalServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "aarm-cli-approvals-"));
  f = await enforcementFixture({
    policyFile: ENFORCEMENT_POLICY,
    services: ({ verifier }) => ({ approvals: (service = createApprovalService({ verifier })) }),
  });
  server = await startApprovalServer({ service, port: 0 });
  writeFileSync(
    join(dir, "lee.jwt"),
    `${await f.assertion({ sub: "lee@corp.example", kind: "human", groups: ["support-leads"] })}\n`,
  );
  writeFileSync(
    join(dir, "ola.jwt"),
    await f.assertion({ sub: "ola@corp.example", kind: "human", groups: ["marketing"] }),
  );
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

async function aarm(...args: string[]) {
  const io = memoryIo(dir, { AARM_APPROVALS_URL: server.url });
  const status = await guarded(aarmProgram(), ["approvals", ...args], io);
  return { status, stdout: io.stdout(), stderr: io.stderr() };
}

async function refund(amount: number) {
  const s = await f.enforcer.openSession({
    assertions: [await f.assertion({ sub: "alice@corp.example", kind: "human", role: "support" })],
    request: "refund order 7731, the parcel never arrived",
  });
  const before = service.list().length;
  const pending = s.perform(
    { tool: "payments.refund", args: { order: "7731", amount } },
    f.tool({ refunded: amount }),
  );
  await until(() => service.list().length > before);
  return { pending, id: service.list().at(-1)!.id };
}

describe("aarm approvals", () => {
  it("list and show print what an approver needs; approve releases the action", async () => {
    const { pending, id } = await refund(800);
    const list = await aarm("list", "-i", "lee.jwt");
    expect(list.status).toBe(0);
    expect(list.stdout).toMatch(/^ID +TOOL +REQUESTER +RULES +MAY DECIDE +APPROVALS +TIMEOUT\n/);
    expect(list.stdout).toContain(`${id}  payments.refund  alice@corp.example  refund-any  support-leads`);
    const show = await aarm("show", id, "-i", "lee.jwt");
    expect(show.status).toBe(0);
    expect(show.stdout).toContain('arguments:  {"order":"7731","amount":800}');
    expect(show.stdout).toContain('requested:  "refund order 7731, the parcel never arrived"');
    expect(show.stdout).toContain("reason:     refunds above 500 need a support lead");
    expect(show.stdout).toContain("approvers:  any [support-leads]");
    const json = await aarm("show", id, "-i", "lee.jwt", "--format", "json");
    expect(JSON.parse(json.stdout)).toMatchObject({
      id,
      status: "pending",
      identity: { human: "alice@corp.example", role: "support" },
    });
    const ok = await aarm("approve", id, "-i", "lee.jwt", "-m", "parcel lost in transit");
    expect([ok.status, ok.stdout]).toEqual([0, `approved ${id}: the request is now approved\n`]);
    expect(await pending).toMatchObject({ effect: "ALLOW", output: { refunded: 800 } });
    expect(
      f.receipts().find((r) => r.kind === "approval" && r.action.id === id.slice(4))?.approval?.approvals[0],
    ).toMatchObject({
      approver: "lee@corp.example",
      comment: "parcel lost in transit",
    });
  });

  it("reject denies; refusals exit 1 with the service's reason", async () => {
    const { pending, id } = await refund(900);
    const outsider = await aarm("approve", id, "-i", "ola.jwt");
    expect(outsider.status).toBe(1);
    expect(outsider.stderr).toBe(
      `aarm approvals: ola@corp.example is in none of the groups that may decide on '${id}' (support-leads) (not_an_approver)\n`,
    );
    expect((await aarm("reject", id, "-i", "lee.jwt", "-m", "duplicate")).status).toBe(0);
    expect(await pending).toMatchObject({
      effect: "DENY",
      reasons: ["rejected by lee@corp.example: duplicate"],
    });
    const late = await aarm("approve", id, "-i", "lee.jwt");
    expect([late.status, late.stderr]).toEqual([
      1,
      `aarm approvals: approval request '${id}' is already rejected (not_pending)\n`,
    ]);
    expect((await aarm("show", "apr_nope", "-i", "lee.jwt")).stderr).toBe(
      "aarm approvals: no approval request 'apr_nope' (not_found)\n",
    );
  });

  it("usage errors and unreachable or non-loopback endpoints exit 2 with a precise message", async () => {
    expect((await aarm()).stderr).toMatch(/^aarm approvals: expected list, show, approve or reject\n/);
    expect((await aarm("approve")).stderr).toMatch(/^aarm approvals: approve needs the request id/);
    expect((await aarm("list", "extra", "-i", "lee.jwt")).stderr).toMatch(
      /^aarm approvals: unexpected operand 'extra'/,
    );
    expect((await aarm("list")).stderr).toMatch(
      /^aarm approvals: an identity assertion is required: --identity FILE or AARM_IDENTITY\n/,
    );
    const missing = await aarm("list", "-i", "nope.jwt");
    expect([missing.status, missing.stderr]).toEqual([
      2,
      "aarm approvals: nope.jwt: cannot read the identity file (ENOENT)\n",
    ]);
    const remote = await aarm("list", "-i", "lee.jwt", "--url", "http://approvals.corp.example:7420");
    expect([remote.status, remote.stderr.split("\n")[0]]).toEqual([
      2,
      "aarm approvals: refusing --url 'http://approvals.corp.example:7420': the approval endpoint is on loopback only, and identity assertions are not sent elsewhere",
    ]);
    const closed = await startApprovalServer({ service, port: 0 });
    await closed.close();
    const down = await aarm("list", "-i", "lee.jwt", "--url", closed.url);
    expect([down.status, down.stderr]).toEqual([
      2,
      `aarm approvals: cannot reach the approval endpoint at ${closed.url} (ECONNREFUSED)\n`,
    ]);
  });
});
