/**
 * Fail closed: a bundle that does not load or verify, and a tool server that crashes, answers garbage or does not
 * answer, all end in calls denied (or failed) with the reason — never in a call passed through unmediated.
 */
import { writeFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { TRIVIAL_TOOLS, trivialServerCommand } from "../bench/trivial-tools.js";
import { serveHttp } from "./http.js";
import { setupGateway, type GatewayConfig } from "./setup.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { connect, eventually, textOf } from "./test-support/client.js";
import { compileBundle, scratchDir, testConfig } from "./test-support/fixture.js";
import type { UpstreamSpec } from "./upstream.js";

const POLICY = `policy "trivial" version "1.0.0"
default deny
tools from "./tools.json"
allow echo, crash, garbage, silent
`;

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const g of open.splice(0)) await g.close();
});

async function gatewayFor(
  patch: (b: { bundle: string; keys: string }) => Partial<GatewayConfig> = () => ({}),
  idleMs?: number,
) {
  const dir = scratchDir();
  const b = await compileBundle(dir, POLICY, TRIVIAL_TOOLS);
  const logs: string[] = [];
  const core = await setupGateway(testConfig(dir, b, logs, { upstreamTimeoutMs: 1000, ...patch(b) }));
  const upstream: UpstreamSpec = { kind: "command", ...trivialServerCommand(), stderr: "ignore" };
  const gateway = await serveHttp({
    core,
    upstream,
    host: "127.0.0.1",
    port: 0,
    ...(idleMs ? { idleMs } : {}),
  });
  open.push(gateway, core);
  return { gateway, logs, client: await connect(gateway.url) };
}

describe("aarm gateway fails closed", () => {
  it("[T3] [C3] R1 a bundle changed after signing: every call is denied with the reason, no tool is listed", async () => {
    const { client, logs } = await gatewayFor((b) => {
      const ir = join(b.bundle, "ir.json");
      writeFileSync(ir, readFileSync(ir, "utf8").replace('"trivial"', '"trivia1"'));
      return {};
    });
    expect((await client.listTools()).tools).toEqual([]);
    const r = textOf(await client.callTool({ name: "echo", arguments: { text: "hi" } }));
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(
      /^DENY: the gateway cannot enforce its policy, so no tool runs \(policy bundle .*: ir\.json: its sha256 does not match manifest\.json/,
    );
    expect(logs.join("\n")).toMatch(/every tool call is refused/);
    await client.close();
  });

  it("[T3] [C3] R1 a bundle signed by a key the gateway does not trust: every call is denied", async () => {
    const { client } = await gatewayFor(() => ({ keys: join(scratchDir()) }));
    const r = textOf(await client.callTool({ name: "echo", arguments: { text: "hi" } }));
    expect(r.text).toMatch(/manifest\.json: signed by key .*, which is not a trusted key/);
    await client.close();
  });

  it.each(["group", "off"] as const)(
    "[T3] [C3] R1 a receipt sink that cannot store receipts (a full disk), fsync %s: calls are denied, nothing runs",
    async (fsync) => {
      const { client } = await gatewayFor(() => ({ receipts: "/dev/full", fsync }));
      const r = textOf(await client.callTool({ name: "crash", arguments: {} }));
      expect(r.isError).toBe(true);
      expect(r.text).toMatch(
        /: denied: the receipt for this ALLOW could not be written \(receipt 1 was not stored: ENOSPC/,
      );
      // `crash` would have ended the server: it did not run, so the server still answers.
      expect((await client.listTools()).tools.map((t) => t.name)).toContain("echo");
      await client.close();
    },
  );

  it("[T3] R1 a server answering with a malformed result: the client gets an error, not the garbage", async () => {
    const { client } = await gatewayFor();
    const r = textOf(await client.callTool({ name: "garbage", arguments: {} }));
    expect(r).toEqual({ text: "the tool server's answer is not a valid tools/call result", isError: true });
    expect(textOf(await client.callTool({ name: "echo", arguments: { text: "still here" } })).text).toBe(
      "still here",
    );
    await client.close();
  });

  it("[T3] R1 a server that does not answer: the call fails after the upstream timeout", async () => {
    const { client } = await gatewayFor();
    const r = textOf(await client.callTool({ name: "silent", arguments: {} }));
    expect(r).toEqual({ text: "the tool server did not answer within 1000 ms", isError: true });
    await client.close();
  });

  it("[T3] R1 a call the server leaves unanswered: the client has the response's headers long before the failure", async () => {
    const { gateway, client: unused } = await gatewayFor(() => ({ upstreamTimeoutMs: 2000 }));
    await unused.close();
    let headersAt = 0;
    const recording = async (url: string | URL, init?: RequestInit) => {
      const r = await fetch(url, init);
      if (typeof init?.body === "string" && init.body.includes('"tools/call"')) headersAt = performance.now();
      return r;
    };
    const client = new Client({ name: "headers", version: "1.0.0" });
    await client.connect(new StreamableHTTPClientTransport(gateway.url, { fetch: recording }));
    const r = textOf(await client.callTool({ name: "silent", arguments: {} }));
    const answeredAt = performance.now();
    expect(r).toEqual({ text: "the tool server did not answer within 2000 ms", isError: true });
    // Deferred to go out with the answer, the headers were sent on their own once the call went unanswered.
    expect(headersAt).toBeGreaterThan(0);
    expect(answeredAt - headersAt).toBeGreaterThan(1000);
    await client.close();
  });

  it("[T3] [C3] R1 a server that crashes: the call and every later one fail with the reason", async () => {
    const { client, logs } = await gatewayFor();
    const crash = textOf(await client.callTool({ name: "crash", arguments: {} }));
    expect(crash).toEqual({
      text: "the tool server is unavailable: the tool server closed the connection",
      isError: true,
    });
    const later = textOf(await client.callTool({ name: "echo", arguments: { text: "hi" } }));
    expect(later).toEqual({
      text: "the tool server is unavailable: the tool server closed the connection",
      isError: true,
    });
    expect(logs.join("\n")).toMatch(
      /the tool server closed the connection; every tool call fails from now on/,
    );
    await client.close();
  });

  it("a session its client ends (DELETE) or abandons (idle) is closed, with its server", async () => {
    const { client, gateway } = await gatewayFor(() => ({}), 300);
    expect(gateway.sessions.size).toBe(1);
    await (client.transport as StreamableHTTPClientTransport).terminateSession();
    expect(await eventually(() => gateway.sessions.size === 0)).toBe(true);
    const abandoned = await connect(gateway.url);
    await abandoned.callTool({ name: "echo", arguments: { text: "hi" } });
    expect(gateway.sessions.size).toBe(1);
    expect(await eventually(() => gateway.sessions.size === 0, 10_000)).toBe(true);
  });
});
