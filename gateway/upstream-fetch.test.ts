/**
 * The gateway's own fetch under the SDK's Streamable HTTP client transport (upstream-fetch.ts), against real
 * servers: the trivial MCP server over HTTP (JSON answers), and the gateway itself (SSE answers).
 */
import { getEventListeners } from "node:events";
import { afterEach, describe, expect, it } from "vitest";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { TRIVIAL_TOOLS } from "../bench/trivial-tools.js";
import { serveHttp } from "./http.js";
import { setupGateway } from "./setup.js";
import { connect, textOf } from "./test-support/client.js";
import { compileBundle, scratchDir, testConfig, trivialHttpServer } from "./test-support/fixture.js";
import { upstreamFetch } from "./upstream-fetch.js";

const POLICY = `policy "t" version "1.0.0"\ndefault deny\ntools from "./tools.json"\nallow echo, silent\n`;
const open: { close(): Promise<void> | void }[] = [];
afterEach(async () => {
  for (const c of open.splice(0).reverse()) await c.close();
});

/** The trivial server over Streamable HTTP, stopped after the test; resolves with its URL. */
async function trivialHttp(): Promise<URL> {
  const server = await trivialHttpServer();
  open.push(server);
  return server.url;
}

async function gatewayTo(url: URL) {
  const dir = scratchDir();
  const b = await compileBundle(dir, POLICY, TRIVIAL_TOOLS);
  const core = await setupGateway(testConfig(dir, b, [], { upstreamTimeoutMs: 1000 }));
  const gateway = await serveHttp({ core, upstream: { kind: "url", url }, host: "127.0.0.1", port: 0 });
  open.push(core, gateway);
  return gateway;
}

describe("the upstream fetch", () => {
  it("carries a session to a Streamable HTTP server: list, calls, a call that never answers, and the end", async () => {
    const gateway = await gatewayTo(await trivialHttp());
    const client = await connect(gateway.url);
    expect((await client.listTools()).tools.map((t) => t.name)).toContain("echo");
    for (let i = 0; i < 5; i++)
      expect(textOf(await client.callTool({ name: "echo", arguments: { text: `hi ${i}` } }))).toEqual({
        text: `hi ${i}`,
        isError: false,
      });
    // The server never answers: the relay gives up after its timeout, and the session's end aborts the request.
    expect(textOf(await client.callTool({ name: "silent", arguments: {} })).text).toMatch(
      /did not answer within 1000 ms/,
    );
    await (client.transport as StreamableHTTPClientTransport).terminateSession();
    await client.close();
  });

  it("a server that is not there: the session is refused with the connection's error, nothing passes", async () => {
    const gateway = await gatewayTo(new URL("http://127.0.0.1:9/mcp"));
    await expect(connect(gateway.url)).rejects.toThrow(
      /the tool server cannot be reached \(fetch failed: connect ECONNREFUSED 127\.0\.0\.1:9\)/,
    );
  });

  it("streams SSE answers (the gateway's own), and an aborted request rejects", async () => {
    const gateway = await gatewayTo(await trivialHttp());
    const fetch = upstreamFetch();
    open.push(fetch);
    const client = new Client({ name: "t", version: "1" });
    await client.connect(new StreamableHTTPClientTransport(gateway.url, { fetch }));
    expect(textOf(await client.callTool({ name: "echo", arguments: { text: "sse" } })).text).toBe("sse");
    await client.close();
    const aborted = new AbortController();
    const pending = fetch(gateway.url, { method: "GET", signal: aborted.signal });
    aborted.abort();
    await expect(pending).rejects.toThrow(/aborted/);
  });

  it("leaves no abort listener behind on the transport's shared signal, call after call (JSON and SSE answers)", async () => {
    // The SDK's transport passes one AbortSignal to every request of a session; a fetch that keeps a listener on it
    // per request (Node's own does, until the signal is collected) grows a session's memory with every call.
    const trivial = await trivialHttp();
    for (const url of [trivial, (await gatewayTo(trivial)).url]) {
      const fetch = upstreamFetch();
      open.push(fetch);
      const signals = new Set<AbortSignal>();
      const watched = (input: string | URL, init?: RequestInit) => {
        if (init?.signal) signals.add(init.signal);
        return fetch(input, init);
      };
      const client = new Client({ name: "t", version: "1" });
      await client.connect(new StreamableHTTPClientTransport(url, { fetch: watched }));
      const listeners = () => [...signals].reduce((n, s) => n + getEventListeners(s, "abort").length, 0);
      const call = async (i: number) =>
        expect(textOf(await client.callTool({ name: "echo", arguments: { text: `n${i}` } })).text).toBe(
          `n${i}`,
        );
      for (let i = 0; i < 5; i++) await call(i);
      const settled = listeners();
      for (let i = 0; i < 200; i++) await call(i);
      expect(signals.size).toBeGreaterThan(0);
      expect(listeners()).toBe(settled);
      expect(settled).toBeLessThanOrEqual(1); // at most the session's standalone SSE stream, while it is open
      await client.close();
    }
  });
});
