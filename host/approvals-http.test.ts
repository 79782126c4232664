import { request as httpRequest } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { createApprovalService } from "../runtime/approvals/index.js";
import { ENFORCEMENT_POLICY, enforcementFixture, until } from "../runtime/enforce/test-support/fixture.js";
import { isLoopback, startApprovalServer, type ApprovalServer } from "./approvals-http.js";

let server: ApprovalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setup() {
  let service!: ReturnType<typeof createApprovalService>;
  const f = await enforcementFixture({
    policyFile: ENFORCEMENT_POLICY,
    services: ({ verifier }) => ({ approvals: (service = createApprovalService({ verifier })) }),
  });
  server = await startApprovalServer({ service, port: 0 });
  const s = await f.enforcer.openSession({
    assertions: [await f.assertion({ sub: "alice@corp.example", kind: "human" })],
  });
  const pending = s.perform({ tool: "payments.refund", args: { order: "9", amount: 700 } }, f.tool());
  await until(() => service.list().length === 1);
  const lead = await f.assertion({ sub: "lee@corp.example", kind: "human", groups: ["support-leads"] });
  return { f, service, pending, lead, id: service.list()[0]!.id, url: server.url };
}

function raw(
  url: string,
  init: { method?: string; path: string; headers?: Record<string, string>; body?: string },
) {
  const u = new URL(url);
  return new Promise<{ status: number; body: { error?: { code: string } } }>((resolve, reject) => {
    const req = httpRequest(
      {
        host: u.hostname,
        port: u.port,
        method: init.method ?? "GET",
        path: init.path,
        headers: init.headers,
      },
      (res) => {
        let text = "";
        res.on("data", (c: Buffer) => (text += c.toString()));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as { error?: { code: string } } }),
        );
      },
    );
    req.on("error", reject);
    req.end(init.body);
  });
}

describe("approval HTTP endpoint", () => {
  it("refuses to bind anything but loopback", async () => {
    const service = createApprovalService({ verifier: (await enforcementFixture()).verifier });
    await expect(startApprovalServer({ service, host: "0.0.0.0", port: 0 })).rejects.toThrow(
      "refusing to listen on 0.0.0.0: the approval endpoint binds to loopback only (127.0.0.1, ::1, localhost)",
    );
    await expect(startApprovalServer({ service, host: "192.168.1.10", port: 0 })).rejects.toThrow(
      /loopback only/,
    );
    expect(["127.0.0.1", "127.8.9.1", "::1", "[::1]", "localhost"].every(isLoopback)).toBe(true);
    expect(["0.0.0.0", "::", "10.0.0.1", "localhost.evil.example", "127.0.0.1.nip.io"].some(isLoopback)).toBe(
      false,
    );
  });

  it("lists and shows with a verified identity; approves only for a member of the rule's groups", async () => {
    const { f, lead, id, url, pending } = await setup();
    const auth = { authorization: `Bearer ${lead}` };
    const list = await fetch(`${url}/v1/approvals`, { headers: auth });
    expect(list.status).toBe(200);
    expect(((await list.json()) as { approvals: { id: string }[] }).approvals.map((a) => a.id)).toEqual([id]);
    const show = (await (await fetch(`${url}/v1/approvals/${id}`, { headers: auth })).json()) as {
      approval: { action: { args: unknown } };
    };
    expect(show.approval.action.args).toEqual({ order: "9", amount: 700 });
    const outsider = await f.assertion({ sub: "ola@corp.example", kind: "human", groups: ["marketing"] });
    const refused = await fetch(`${url}/v1/approvals/${id}/approve`, {
      method: "POST",
      headers: { authorization: `Bearer ${outsider}` },
    });
    expect([refused.status, ((await refused.json()) as { error: { code: string } }).error.code]).toEqual([
      403,
      "not_an_approver",
    ]);
    const ok = await fetch(`${url}/v1/approvals/${id}/approve`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify({ comment: "fine" }),
    });
    expect(ok.status).toBe(200);
    expect((await pending).effect).toBe("ALLOW");
    const again = await fetch(`${url}/v1/approvals/${id}/approve`, { method: "POST", headers: auth });
    expect([again.status, ((await again.json()) as { error: { code: string } }).error.code]).toEqual([
      409,
      "not_pending",
    ]);
  });

  it("refuses requests without an identity, with a foreign Host header, from web pages, and wrong methods", async () => {
    const { url, id, lead } = await setup();
    const path = `/v1/approvals/${id}`;
    expect((await raw(url, { path })).body.error?.code).toBe("unauthenticated");
    expect((await raw(url, { path, headers: { authorization: "Bearer x.y.z" } })).status).toBe(401);
    const auth = { authorization: `Bearer ${lead}` };
    expect((await raw(url, { path, headers: { ...auth, host: "attacker.example:80" } })).status).toBe(403);
    expect((await raw(url, { path, headers: { ...auth, origin: "https://attacker.example" } })).status).toBe(
      403,
    );
    expect((await raw(url, { path, method: "DELETE", headers: auth })).status).toBe(405);
    expect((await raw(url, { path: "/v2/whatever", headers: auth })).status).toBe(404);
    const form = await raw(url, {
      path: `${path}/reject`,
      method: "POST",
      headers: { ...auth, "content-type": "text/plain" },
      body: "no",
    });
    expect(form.status).toBe(415);
  });
});
