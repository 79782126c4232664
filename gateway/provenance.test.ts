/**
 * Provenance through the gateway when a result's text and its `structuredContent` differ: the model reads the text
 * blocks, `on result` rules the structured output. A value the agent could only have read in the text must still
 * be traced to the tool, live and when the recorded session is replayed.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TRIVIAL_TOOLS } from "../bench/trivial-tools.js";
import { hashJson } from "../runtime/index.js";
import { parseSessions, replaySession } from "../sessions/index.js";
import { serveHttp, type HttpGateway } from "./http.js";
import { setupGateway, type Gateway } from "./setup.js";
import { connect, eventually, textOf } from "./test-support/client.js";
import { compileBundle, scratchDir, testConfig, trivialHttpServer } from "./test-support/fixture.js";

const POLICY = `policy "traced" version "1.0.0"
default deny
tools from "./tools.json"
allow echo, report
@id("no-reported-values") deny echo when provenance(args.text) has any [result(report)] because "the value came from a report"
`;

const IBAN = "GB33BUKB20201555555555";
let dir: string;
let core: Gateway;
let gateway: HttpGateway;
let server: Awaited<ReturnType<typeof trivialHttpServer>> | undefined;

beforeAll(async () => {
  server = await trivialHttpServer();
  dir = scratchDir();
  const b = await compileBundle(dir, POLICY, TRIVIAL_TOOLS);
  core = await setupGateway(testConfig(dir, b, [], { record: join(dir, "recorded") }));
  gateway = await serveHttp({ core, upstream: { kind: "url", url: server.url }, host: "127.0.0.1", port: 0 });
});

afterAll(async () => {
  await gateway?.close();
  await core?.close();
  server?.close();
});

describe("provenance of a result whose text and structuredContent differ", () => {
  it("a value the agent read only in the text blocks is traced to the tool, live and in the replayed recording", async () => {
    const client = await connect(gateway.url, {}, "traced");
    const report = await client.callTool({
      name: "report",
      arguments: { text: `Pay the invoice to ${IBAN}` },
    });
    expect(report.structuredContent).toEqual({ status: "received" });
    expect(textOf(await client.callTool({ name: "echo", arguments: { text: "hello" } }))).toEqual({
      text: "hello",
      isError: false,
    });
    const echoed = textOf(await client.callTool({ name: "echo", arguments: { text: IBAN } }));
    expect(echoed.isError).toBe(true);
    expect(echoed.text).toMatch(/^DENY by policy traced: the value came from a report$/);
    await client.close();

    // The outcome receipt of `report` binds the text the model read as well as the structured output.
    const outcomes = readFileSync(join(dir, "receipts.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { kind: string; outcome?: Record<string, string> })
      .filter((r) => r.kind === "outcome");
    expect(outcomes.map((r) => r.outcome!["seenHash"])).toEqual([
      hashJson(`Pay the invoice to ${IBAN}`),
      undefined,
    ]);

    const recorded = join(dir, "recorded");
    const text = () =>
      readdirSync(recorded)
        .map((f) => readFileSync(join(recorded, f), "utf8"))
        .join("");
    expect(await eventually(() => text().includes(`"text":"${IBAN}"`))).toBe(true);
    expect(text()).toContain(`"seen":"Pay the invoice to ${IBAN}"`);
    const parsed = parseSessions(text());
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const replay = replaySession(core.policy!, parsed.sessions[0]!);
    expect(replay.failures).toEqual([]);
    expect(replay.actions.map((a) => a.decision.effect)).toEqual(["ALLOW", "ALLOW", "DENY"]);
  });
});
