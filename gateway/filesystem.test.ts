/**
 * The gateway in front of a real MCP server nobody here wrote — `@modelcontextprotocol/server-filesystem` — driven
 * by the MCP SDK's own client over Streamable HTTP, under the company-assistant example policy (its paths moved
 * into a scratch folder). Whether a call reached the server is read from the server's side of the filesystem:
 * files it would have created, and named pipes it would have opened.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aarmProgram, guarded, memoryIo } from "../cli/index.js";
import { parseSessions, replaySession } from "../sessions/index.js";
import { serveHttp, type HttpGateway } from "./http.js";
import { setupGateway, type Gateway } from "./setup.js";
import { connect, eventually, fifoHasReader, textOf } from "./test-support/client.js";
import { filesystemServer, scratchAssistant, testConfig, type Scratch } from "./test-support/fixture.js";

let s: Scratch;
let gateway: HttpGateway;
let policy: Awaited<ReturnType<typeof setupGateway>>["policy"];
let client: Client;
let core: Gateway;
const logs: string[] = [];

beforeAll(async () => {
  s = await scratchAssistant();
  writeFileSync(join(s.srv, "public/hello.txt"), "hello world");
  core = await setupGateway(testConfig(s.dir, s, logs, { list: "allowed", record: join(s.dir, "recorded") }));
  policy = core.policy;
  gateway = await serveHttp({
    core,
    upstream: filesystemServer(s.srv, join(s.dir, "etc")),
    host: "127.0.0.1",
    port: 0,
  });
  client = await connect(gateway.url, {
    "aarm-request": encodeURIComponent("Tidy up the notes in the workspace"),
  });
});

afterAll(async () => {
  await client?.close();
  await gateway?.close();
  await core?.close();
});

describe("aarm gateway in front of @modelcontextprotocol/server-filesystem", () => {
  it("tools/list passes through, filtered to the tools the policy can ever allow", async () => {
    const names = (await client.listTools()).tools.map((t) => t.name);
    expect(names).toContain("read_text_file");
    expect(names).toContain("write_file");
    // The server's tools the policy does not know are denied whatever the arguments: not listed.
    for (const hidden of ["read_file", "read_media_file", "directory_tree", "list_directory_with_sizes"])
      expect(names).not.toContain(hidden);
  });

  it("[C20] R1 an allowed read reaches the server and returns the file", async () => {
    const r = textOf(
      await client.callTool({ name: "read_text_file", arguments: { path: join(s.srv, "public/hello.txt") } }),
    );
    expect(r).toEqual({ text: "hello world", isError: false });
  });

  it("[T6] [C1] R1 reading a forbidden path is denied and the server never opens it (a named pipe nobody reads)", async () => {
    const shadow = join(s.dir, "etc/shadow");
    execFileSync("mkfifo", [shadow]);
    const r = textOf(await client.callTool({ name: "read_text_file", arguments: { path: shadow } }));
    expect(r.isError).toBe(true);
    expect(r.text).toBe(
      "DENY by policy company-assistant: password hashes are never read by the assistant (argument path is a file.open target)",
    );
    expect(fifoHasReader(shadow)).toBe(false);
    // The control: an allowed read of a pipe does reach the server, which opens it and waits for a writer.
    const pipe = join(s.srv, "public/pipe");
    execFileSync("mkfifo", [pipe]);
    const pending = client.callTool({ name: "read_text_file", arguments: { path: pipe } });
    expect(await eventually(() => fifoHasReader(pipe, "through the pipe"))).toBe(true);
    expect(textOf(await pending)).toEqual({ text: "through the pipe", isError: false });
  });

  it("[C1] R1 a write outside the workspace is denied and the file is never created; inside, it is written", async () => {
    const outside = join(s.srv, "public/evil.txt");
    const denied = textOf(
      await client.callTool({ name: "write_file", arguments: { path: outside, content: "x" } }),
    );
    expect(denied).toEqual({
      text: "DENY by policy company-assistant: no rule decided; the policy's default posture is deny",
      isError: true,
    });
    expect(existsSync(outside)).toBe(false);
    const inside = join(s.srv, "workspace/notes.md");
    const ok = textOf(
      await client.callTool({ name: "write_file", arguments: { path: inside, content: "tidy" } }),
    );
    expect(ok.isError).toBe(false);
    expect(readFileSync(inside, "utf8")).toBe("tidy");
  });

  it("R1 a tool the policy does not know is denied even when called without being listed", async () => {
    const r = textOf(
      await client.callTool({ name: "create_directory", arguments: { path: join(s.srv, "public/new") } }),
    );
    expect(r.isError).toBe(true);
    expect(existsSync(join(s.srv, "public/new"))).toBe(false);
    const tree = textOf(await client.callTool({ name: "directory_tree", arguments: { path: s.srv } }));
    expect(tree.text).toBe(
      "DENY by policy company-assistant: tool 'directory_tree' is not among the policy's tools; unknown tools are denied",
    );
  });

  it("[C4] R1 requests that reach data outside tools/call (resources/read) are refused, not relayed", async () => {
    await expect(
      client.request(
        { method: "resources/read", params: { uri: `file://${join(s.srv, "public/hello.txt")}` } },
        {
          parse: (v: unknown) => v,
        } as never,
      ),
    ).rejects.toThrow(/resources\/read is not mediated by the gateway's policy/);
  });

  it("records the session in the recorded-session format; the recordings replay with the same decisions (aarm test)", async () => {
    const c = await connect(
      gateway.url,
      { "aarm-request": encodeURIComponent("Read the hello file") },
      "recorder",
    );
    await c.callTool({ name: "read_text_file", arguments: { path: join(s.srv, "public/hello.txt") } });
    await c.callTool({
      name: "write_file",
      arguments: { path: join(s.srv, "public/nope.txt"), content: "x" },
    });
    await c.close();
    const dir = join(s.dir, "recorded");
    const recording = () =>
      readdirSync(dir)
        .map((f) => readFileSync(join(dir, f), "utf8"))
        .find((t) => t.includes('"recorder"')) ?? "";
    // A session is recorded as it goes, by a write stream: wait until its last call's line is complete.
    expect(await eventually(() => /"write_file".*\n$/.test(recording()))).toBe(true);
    const mine = recording();
    const parsed = parseSessions(mine);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const [session] = parsed.sessions;
    expect(session!.request).toBe("Read the hello file");
    expect(session!.events.map((e) => (e.kind === "action" ? `${e.tool}:${e.expect}` : e.kind))).toEqual([
      "read_text_file:ALLOW",
      "result",
      "write_file:DENY",
    ]);
    const replay = replaySession(policy!, session!);
    expect(replay.checks).toBe(2);
    expect(replay.failures).toEqual([]);
    // ... and `aarm test` replays the recordings as regression tests.
    const io = memoryIo(s.dir);
    expect(await guarded(aarmProgram(), ["test", join(s.dir, "policy/policy.aarm"), dir], io)).toBe(0);
    expect(io.stdout()).toMatch(/passed, 0 failed/);
  });
});
