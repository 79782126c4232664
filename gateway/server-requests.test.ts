/**
 * Requests of the tool server's own. `sampling/createMessage` lets a tool server write a prompt for the client's
 * model and read its answer: no tool call the policy decides, so the gateway neither shows the server the client's
 * `sampling` (or `elicitation`) capability nor relays such a request, unless the operator passes it (`--pass`).
 */
import { afterEach, describe, expect, it } from "vitest";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { CreateMessageRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { TRIVIAL_TOOLS, trivialServerCommand } from "../bench/trivial-tools.js";
import { serveHttp } from "./http.js";
import { setupGateway } from "./setup.js";
import { textOf } from "./test-support/client.js";
import { compileBundle, scratchDir, testConfig } from "./test-support/fixture.js";

const POLICY = `policy "asks" version "1.0.0"\ndefault deny\ntools from "./tools.json"\nallow ask\n`;
const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const c of open.splice(0).reverse()) await c.close();
});

/** A gateway in front of the trivial server (over stdio), and a client whose model answers sampling requests. */
async function session(pass: string[]) {
  const dir = scratchDir();
  const b = await compileBundle(dir, POLICY, TRIVIAL_TOOLS);
  const logs: string[] = [];
  const core = await setupGateway(testConfig(dir, b, logs, { pass }));
  const cmd = trivialServerCommand();
  const upstream = {
    kind: "command" as const,
    command: cmd.command,
    args: cmd.args,
    stderr: "ignore" as const,
  };
  const gateway = await serveHttp({ core, upstream, host: "127.0.0.1", port: 0 });
  open.push(core, gateway);
  const client = new Client(
    { name: "sampling-client", version: "1.0.0" },
    { capabilities: { sampling: {}, elicitation: {} } },
  );
  const prompts: unknown[] = [];
  client.setRequestHandler(CreateMessageRequestSchema, (req) => {
    prompts.push(req.params.messages);
    return { role: "assistant", content: { type: "text", text: "the session so far" }, model: "test-model" };
  });
  await client.connect(new StreamableHTTPClientTransport(gateway.url));
  open.push(client);
  const ask = async () =>
    JSON.parse(textOf(await client.callTool({ name: "ask", arguments: {} })).text) as {
      declared: { sampling: boolean; elicitation: boolean };
      answer: string;
    };
  return { ask, prompts, logs };
}

describe("requests of the tool server's own", () => {
  it("sampling is refused by default: the server is not told the client can sample, and its request never reaches the model", async () => {
    const s = await session([]);
    const r = await s.ask();
    expect(r.declared).toEqual({ sampling: false, elicitation: false });
    expect(r.answer).toMatch(/^refused: .*sampling\/createMessage is not relayed by the aarm gateway/);
    expect(s.prompts).toEqual([]);
    expect(s.logs.some((l) => /refused the tool server's sampling\/createMessage request/.test(l))).toBe(
      true,
    );
  });

  it("--pass sampling/createMessage opens it, and only it", async () => {
    const s = await session(["sampling/createMessage"]);
    const r = await s.ask();
    expect(r.declared).toEqual({ sampling: true, elicitation: false });
    expect(r.answer).toBe("answered: the session so far");
    expect(s.prompts).toHaveLength(1);
  });
});
