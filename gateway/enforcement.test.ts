/**
 * The gateway on the enforcement layer, in front of `@modelcontextprotocol/server-filesystem`: identity assertions
 * sent at session initialization (HTTP headers) are verified and bound to every receipt; a write the example
 * policy steps up is held until a data owner approves it (or rejects it, or the policy's timeout passes);
 * concurrent sessions each keep their own context; every decision is receipted, and a receipt sink that fails
 * denies the call. Time for holds is driven by hand (ManualTimers): no test waits for a timeout.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aarmProgram, guarded, memoryIo } from "../cli/index.js";
import { startApprovalServer } from "../host/approvals-http.js";
import { readKeyDir, readSecretKey, writeNewKeyPair } from "../host/keys.js";
import { createSigner } from "../runtime/crypto/ed25519.js";
import { issueAssertion, type AssertionInput } from "../runtime/identity/index.js";
import { ManualTimers } from "../runtime/index.js";
import { verifyReceiptText } from "../runtime/receipts/index.js";
import { serveHttp, type HttpGateway } from "./http.js";
import { setupGateway, type Gateway } from "./setup.js";
import { connect, eventually, textOf } from "./test-support/client.js";
import { filesystemServer, scratchAssistant, testConfig, type Scratch } from "./test-support/fixture.js";

let s: Scratch;
let core: Gateway;
let gateway: HttpGateway;
const timers = new ManualTimers(Date.now());
const logs: string[] = [];
let assert: (claims: Omit<AssertionInput, "iss">) => Promise<string>;

beforeAll(async () => {
  s = await scratchAssistant();
  writeFileSync(join(s.srv, "hr/salaries.csv"), "name,salary\nDana,1");
  const idp = writeNewKeyPair(join(s.dir, "idp"), "corp-idp");
  const signer = await createSigner(readSecretKey(idp.secretPath));
  assert = (claims) => issueAssertion(signer, { iss: "corp-idp", ...claims });
  core = await setupGateway(
    testConfig(s.dir, s, logs, {
      issuers: [{ name: "corp-idp", path: idp.publicPath }],
      approvals: true,
      timers,
      heartbeatMs: 20,
    }),
  );
  gateway = await serveHttp({ core, upstream: filesystemServer(s.srv), host: "127.0.0.1", port: 0 });
});

afterAll(async () => {
  await gateway?.close();
  await core?.close();
});

const alice = () =>
  assert({ sub: "alice@corp.example", kind: "human", role: "analyst", scopes: ["files:write"] });
const dora = () => assert({ sub: "dora@corp.example", kind: "human", groups: ["data-owners"] });
const headers = async (request: string, token?: string) => ({
  "aarm-request": encodeURIComponent(request),
  ...(token ? { "aarm-identity": token } : {}),
});
const receipts = () => readFileSync(join(s.dir, "receipts.jsonl"), "utf8");
const pendingFor = (session: string) => core.approvals!.list().find((a) => a.session === session);

describe("aarm gateway: identity, approvals, receipts", () => {
  it("[T17] [C33] R6 the identity asserted at initialization is verified and attributed in every receipt", async () => {
    const client = await connect(gateway.url, await headers("Read the notes", await alice()));
    writeFileSync(join(s.srv, "workspace/notes.md"), "n");
    const r = textOf(
      await client.callTool({
        name: "read_text_file",
        arguments: { path: join(s.srv, "workspace/notes.md") },
      }),
    );
    expect(r).toEqual({ text: "n", isError: false });
    await client.close();
    const last = receipts()
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { kind: string; identity: Record<string, unknown> });
    const mine = last.filter((x) => x.identity["human"] === "alice@corp.example");
    expect(mine.map((x) => x.kind)).toEqual(["decision", "outcome"]);
    expect(mine[0]!.identity).toMatchObject({ role: "analyst", scopes: ["files:write"], status: "verified" });
  });

  it("[C35] R6 a session without an identity assertion: every call is denied, nothing reaches the server", async () => {
    const client = await connect(gateway.url, await headers("Write a note"));
    const path = join(s.srv, "workspace/anonymous.md");
    const r = textOf(await client.callTool({ name: "write_file", arguments: { path, content: "x" } }));
    expect(r).toEqual({
      text: "DENY by policy company-assistant: identity: no identity assertion was presented",
      isError: true,
    });
    expect(existsSync(path)).toBe(false);
    await client.close();
  });

  it("[C35] R6 an assertion from an issuer the gateway does not trust is denied the same way", async () => {
    const other = writeNewKeyPair(join(s.dir, "other"), "other");
    const forged = await issueAssertion(await createSigner(readSecretKey(other.secretPath)), {
      iss: "corp-idp",
      sub: "mallory@corp.example",
      kind: "human",
    });
    const client = await connect(gateway.url, await headers("Write a note", forged));
    const r = textOf(
      await client.callTool({
        name: "write_file",
        arguments: { path: join(s.srv, "workspace/m.md"), content: "x" },
      }),
    );
    expect(r.text).toMatch(
      /^DENY by policy company-assistant: identity: assertion 1 \(human mallory@corp\.example\): key .* is not a key of issuer corp-idp$/,
    );
    expect(existsSync(join(s.srv, "workspace/m.md"))).toBe(false);
    await client.close();
  });

  it("[C22] R4 a STEP_UP write is held (the file keeps its content) until a data owner approves; then it runs", async () => {
    const client = await connect(gateway.url, await headers("Update the salary sheet", await alice()));
    const path = join(s.srv, "hr/salaries.csv");
    const progress: { message?: string | undefined }[] = [];
    const call = client.callTool(
      { name: "write_file", arguments: { path, content: "name,salary\nDana,2" } },
      undefined,
      {
        onprogress: (p) => void progress.push(p),
        resetTimeoutOnProgress: true,
      },
    );
    // While held, the client hears progress (its request timeout restarts on each).
    expect(await eventually(() => progress.length > 0)).toBe(true);
    expect(progress[0]!.message).toBe("held by the gateway: waiting for a decision");
    expect(await eventually(() => pendingFor(gatewaySessionOf(client)) !== undefined)).toBe(true);
    const pending = pendingFor(gatewaySessionOf(client))!;
    expect(pending).toMatchObject({
      tool: "write_file",
      ruleIds: ["sensitive-writes"],
      requester: "alice@corp.example",
    });
    expect(readFileSync(path, "utf8")).toBe("name,salary\nDana,1");
    const vote = await core.approvals!.approve(pending.id, {
      assertion: await dora(),
      comment: "yearly raise",
    });
    expect(vote.ok).toBe(true);
    expect(textOf(await call).isError).toBe(false);
    expect(readFileSync(path, "utf8")).toBe("name,salary\nDana,2");
    await client.close();
    expect(receipts()).toContain('"kind":"approval"');
  });

  it("[C22] R4 approving through `aarm approvals approve` (the loopback endpoint) releases the held write", async () => {
    const endpoint = await startApprovalServer({ service: core.approvals!, port: 0 });
    try {
      const doraFile = join(s.dir, "dora.jwt");
      writeFileSync(doraFile, await dora());
      const aarm = async (...argv: string[]) => {
        const io = memoryIo(s.dir);
        const status = await guarded(
          aarmProgram(),
          ["approvals", ...argv, "--url", endpoint.url, "--identity", doraFile],
          io,
        );
        return { status, out: io.stdout(), err: io.stderr() };
      };
      const client = await connect(gateway.url, await headers("Add Erin to the salary sheet", await alice()));
      const path = join(s.srv, "hr/erin.csv");
      const call = client.callTool({ name: "write_file", arguments: { path, content: "Erin,3" } });
      expect(await eventually(() => pendingFor(gatewaySessionOf(client)) !== undefined)).toBe(true);
      const id = pendingFor(gatewaySessionOf(client))!.id;
      const listed = await aarm("list");
      expect(listed.status).toBe(0);
      expect(listed.out).toContain(id);
      expect(existsSync(path)).toBe(false);
      const approved = await aarm("approve", id, "--comment", "new hire");
      expect(approved).toMatchObject({ status: 0, out: `approved ${id}: the request is now approved\n` });
      expect(textOf(await call).isError).toBe(false);
      expect(readFileSync(path, "utf8")).toBe("Erin,3");
      await client.close();
    } finally {
      await endpoint.close();
    }
  });

  it("[C22] R4 a rejected STEP_UP is denied and never reaches the server", async () => {
    const client = await connect(gateway.url, await headers("Update the salary sheet", await alice()));
    const path = join(s.srv, "hr/rejected.csv");
    const call = client.callTool({ name: "write_file", arguments: { path, content: "x" } });
    expect(await eventually(() => pendingFor(gatewaySessionOf(client)) !== undefined)).toBe(true);
    await core.approvals!.reject(pendingFor(gatewaySessionOf(client))!.id, {
      assertion: await dora(),
      comment: "no",
    });
    const r = textOf(await call);
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(
      /^DENY by policy company-assistant \(STEP_UP: changes to HR, finance and legal files need a data owner's approval\): rejected by dora@corp\.example/,
    );
    expect(existsSync(path)).toBe(false);
    await client.close();
  });

  it("[T11] [C23] R4 a STEP_UP nobody answers is denied when the policy's timeout (15 minutes) passes", async () => {
    const client = await connect(gateway.url, await headers("Update the salary sheet", await alice()));
    const path = join(s.srv, "hr/late.csv");
    const call = client.callTool({ name: "write_file", arguments: { path, content: "x" } });
    expect(await eventually(() => pendingFor(gatewaySessionOf(client)) !== undefined)).toBe(true);
    timers.advance(14 * 60_000);
    expect(pendingFor(gatewaySessionOf(client))).toBeDefined();
    timers.advance(60_000);
    const r = textOf(await call);
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(
      /: no approval within the timeout of 900000 ms \(0 of the required approvals given\); a timeout is a DENY$/,
    );
    expect(existsSync(path)).toBe(false);
    await client.close();
  });

  it("[T4] [C5] [C7] R2 concurrent sessions each keep their own context, as the approvers see it", async () => {
    const [a, b] = await Promise.all([
      connect(gateway.url, await headers("Review the salary sheet", await alice())),
      connect(gateway.url, await headers("Start a new HR file", await alice())),
    ]);
    await a.callTool({ name: "read_text_file", arguments: { path: join(s.srv, "hr/salaries.csv") } });
    const calls = [
      a.callTool({ name: "write_file", arguments: { path: join(s.srv, "hr/a.csv"), content: "a" } }),
      b.callTool({ name: "write_file", arguments: { path: join(s.srv, "hr/b.csv"), content: "b" } }),
    ];
    expect(
      await eventually(() => !!pendingFor(gatewaySessionOf(a)) && !!pendingFor(gatewaySessionOf(b))),
    ).toBe(true);
    const viewA = core.approvals!.show(pendingFor(gatewaySessionOf(a))!.id)!;
    const viewB = core.approvals!.show(pendingFor(gatewaySessionOf(b))!.id)!;
    expect(viewA.request).toBe("Review the salary sheet");
    expect(viewA.priorActions.map((p) => p.tool)).toEqual(["read_text_file"]);
    expect([viewA.labels, viewA.level]).toEqual([["PII"], "CONFIDENTIAL"]);
    expect(viewB.request).toBe("Start a new HR file");
    expect(viewB.priorActions).toEqual([]);
    expect(viewB.labels).toEqual([]);
    for (const v of [viewA, viewB]) await core.approvals!.reject(v.id, { assertion: await dora() });
    await Promise.all(calls);
    await Promise.all([a.close(), b.close()]);
  });

  it("[C31] R5 the receipt file verifies offline: every decision and outcome, chained and signed", async () => {
    const r = await verifyReceiptText(receipts(), { keys: readKeyDir(s.keys) });
    expect(r.firstError).toBeNull();
    expect(r.valid).toBe(true);
    expect(r.receipts).toBeGreaterThanOrEqual(10);
  });
});

/** The gateway's session id of a connected client (the Streamable HTTP session id). */
function gatewaySessionOf(client: Awaited<ReturnType<typeof connect>>): string {
  const id = (client.transport as { sessionId?: string } | undefined)?.sessionId;
  if (!id) throw new Error("the client has no session id");
  return id;
}
