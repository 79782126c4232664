/**
 * End to end over stdio, the way a desktop MCP client runs a server: the SDK's client starts
 * `node bin/aarm.js gateway --bundle ... -- <server command>` and speaks MCP on its stdin/stdout. The user's
 * request arrives in the `initialize` request's `_meta` (what stdio offers instead of HTTP headers).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { beforeAll, describe, expect, it } from "vitest";
import { build, root } from "../cli/test-support/run.js";
import { TRIVIAL_TOOLS, trivialServerCommand } from "../bench/trivial-tools.js";
import { META_REQUEST } from "./session-init.js";
import { textOf } from "./test-support/client.js";
import { compileBundle, scratchDir } from "./test-support/fixture.js";

const POLICY = `policy "echo-on-request" version "1.0.0"
default deny
tools from "./tools.json"
@id("echo-when-asked") allow echo when request matches /echo/i
`;

/** A client transport that adds `_meta` to the `initialize` request, as an agent runtime embedding aarm would. */
function withInitMeta(inner: Transport, meta: Record<string, unknown>): Transport {
  const send = inner.send.bind(inner);
  inner.send = (message: JSONRPCMessage, options) => {
    const m = message as { method?: string; params?: Record<string, unknown> };
    if (m.method !== "initialize") return send(message, options);
    return send({ ...message, params: { ...m.params, _meta: meta } } as JSONRPCMessage, options);
  };
  return inner;
}

let dir: string;
let bundle: { bundle: string; keys: string; secretKey: string };

beforeAll(async () => {
  build();
  dir = scratchDir();
  bundle = await compileBundle(dir, POLICY, TRIVIAL_TOOLS);
}, 180_000);

async function start(request?: string): Promise<{ client: Client; stderr: () => string }> {
  const server = trivialServerCommand();
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [
      join(root, "bin/aarm.js"),
      "gateway",
      "--bundle",
      bundle.bundle,
      "--keys",
      bundle.keys,
      "--receipts",
      join(dir, "receipts.jsonl"),
      "--key",
      bundle.secretKey,
      "--defer-timeout",
      "1s",
      "--record",
      join(dir, "recorded"),
      "--",
      server.command,
      ...server.args,
    ],
    stderr: "pipe",
  });
  let err = "";
  transport.stderr?.on("data", (d: Buffer) => (err += d.toString()));
  const client = new Client({ name: "desktop-client", version: "1.0.0" });
  await client.connect(
    request === undefined ? transport : withInitMeta(transport, { [META_REQUEST]: request }),
  );
  return { client, stderr: () => err };
}

describe("aarm gateway over stdio (node bin/aarm.js gateway -- <server>)", () => {
  it("[C7] R2 the request given in initialize _meta reaches the policy; calls are decided before they run", async () => {
    const { client } = await start("Please echo my greeting");
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual([
      "echo",
      "crash",
      "garbage",
      "silent",
      "ask",
      "report",
    ]);
    expect(textOf(await client.callTool({ name: "echo", arguments: { text: "hello" } }))).toEqual({
      text: "hello",
      isError: false,
    });
    // The server would exit on `crash`; the policy does not allow it, so the server is still there.
    const crash = textOf(await client.callTool({ name: "crash", arguments: {} }));
    expect(crash).toEqual({
      text: "DENY by policy echo-on-request: no rule decided; the policy's default posture is deny",
      isError: true,
    });
    expect(textOf(await client.callTool({ name: "echo", arguments: { text: "again" } })).text).toBe("again");
    await client.close();
    const recorded = readdirSync(join(dir, "recorded")).map((f) =>
      readFileSync(join(dir, "recorded", f), "utf8"),
    );
    expect(recorded.some((t) => t.includes('"request":"Please echo my greeting"'))).toBe(true);
  });

  it("R1 without the request, the rule that needs it cannot allow: the call is deferred, then denied", async () => {
    const { client } = await start();
    const r = textOf(await client.callTool({ name: "echo", arguments: { text: "hello" } }));
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(
      /^DENY by policy echo-on-request \(DEFER: rule 'echo-when-asked' needs request that is not known yet\): /,
    );
    await client.close();
  });

  it("a usage error exits 2 with a precise message, before anything is started", async () => {
    const { spawnSync } = await import("node:child_process");
    const r = spawnSync(process.execPath, [join(root, "bin/aarm.js"), "gateway", "--bundle", bundle.bundle], {
      encoding: "utf8",
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /^aarm gateway: --keys DIR is required \(or --dev to accept an unsigned bundle\)/,
    );
  });
});
