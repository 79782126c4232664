/**
 * The importers: real AgentDojo sessions from the data set (benign and attacked) and an MCP message log.
 */
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { importMcpLog } from "./mcp-log.js";
import { readAgentDojo } from "./node.js";
import { parseSessions } from "./parse.js";
import { formatSessions } from "./write.js";

const DATA = new URL("../../shared/data/agentdojo/gpt-4o-2024-05-13.sessions.jsonl.gz", import.meta.url).pathname;

describe.skipIf(!existsSync(DATA))("importAgentDojo", () => {
  const wanted = new Set([
    "gpt-4o-2024-05-13/banking/user_task_0/none/none",
    "gpt-4o-2024-05-13/banking/user_task_0/important_instructions/injection_task_0",
  ]);
  const sessions = readAgentDojo(DATA, { expectations: true, filter: (r) => wanted.has(r["id"] as string) });

  it("keeps the request, every call with its result, and the labels", () => {
    expect(sessions.map((s) => s.id).sort()).toEqual([...wanted].sort());
    const benign = sessions.find((s) => s.meta?.["kind"] === "benign")!;
    expect(benign.request).toMatch(/bill/i);
    expect(benign.meta).toMatchObject({ source: "agentdojo", suite: "banking", user_task: "user_task_0", attack: null });
    expect(benign.events.filter((e) => e.kind === "action").length).toBeGreaterThan(0);
    expect(benign.events.filter((e) => e.kind === "result").length).toBe(benign.events.filter((e) => e.kind === "action").length);
    expect(benign.expectations).toEqual([{ description: "a benign session runs uninterrupted", none: ["DENY", "STEP_UP", "DEFER"], line: 0 }]);
  });

  it("marks attacker-goal calls and expects a successful attack to be stopped before its goal", () => {
    const attacked = sessions.find((s) => s.meta?.["kind"] === "injection")!;
    const goals = attacked.events.filter((e) => e.kind === "action" && e.meta?.["attacker_goal"] === true);
    if (attacked.meta?.["security"] === true) {
      expect(goals.length).toBeGreaterThan(0);
      expect(attacked.expectations[0]).toMatchObject({ some: ["DENY", "STEP_UP", "DEFER"], upTo: (goals[0] as { id: string }).id });
    }
    const r = parseSessions(formatSessions(sessions));
    expect(r.ok).toBe(true);
  });
});

describe("importMcpLog", () => {
  const log = [
    { direction: "client_to_server", message: { jsonrpc: "2.0", id: 0, method: "initialize", params: { clientInfo: { name: "claude-desktop" } } } },
    { direction: "client_to_server", time: 1000, message: { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "read_file", arguments: { path: "/a" } } } },
    { direction: "client_to_server", message: { jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "write_file", arguments: { path: "/b", content: "x" } } } },
    { direction: "server_to_client", message: { jsonrpc: "2.0", id: 2, result: { content: [{ type: "text", text: "denied" }], isError: true } } },
    { direction: "server→client", jsonrpc: "2.0", id: 1, result: { content: [{ type: "text", text: "hello" }] } },
    { direction: "client_to_server", message: { jsonrpc: "2.0", id: 3, method: "tools/call", params: { name: "x", arguments: {} } } },
    { direction: "server_to_client", message: { jsonrpc: "2.0", id: 3, error: { code: -32000, message: "boom" } } },
    { direction: "client_to_server", message: { jsonrpc: "2.0", id: 4, method: "tools/call", params: { name: "report", arguments: {} } } },
    { direction: "server_to_client", message: { jsonrpc: "2.0", id: 4, result: { content: [{ type: "text", text: "pay GB33" }], structuredContent: { status: "ok" } } } },
  ];

  it("pairs tools/call requests with their responses", () => {
    const r = importMcpLog(log.map((l) => JSON.stringify(l)).join("\n"), { prefix: "fs" });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const [s] = r.sessions;
    expect(s!.identity).toEqual({ agent: "claude-desktop" });
    expect(s!.events.map((e) => (e.kind === "action" ? [e.id, e.tool, e.time] : e.kind === "result" ? [e.action, e.outcome] : []))).toEqual([
      ["call-1", "fs.read_file", 1000],
      ["call-2", "fs.write_file", undefined],
      ["call-2", { error: "denied" }],
      ["call-1", { output: "hello" }],
      ["call-3", "fs.x", undefined],
      ["call-3", { error: "boom" }],
      ["call-4", "fs.report", undefined],
      ["call-4", { output: { status: "ok" }, seen: "pay GB33" }],
    ]);
    const again = parseSessions(formatSessions(r.sessions));
    if (!again.ok) throw new Error(JSON.stringify(again.errors));
    expect(again.sessions[0]!.events.at(-1)).toMatchObject({ outcome: { output: { status: "ok" }, seen: "pay GB33" } });
  });

  it("reports malformed lines by number", () => {
    const r = importMcpLog(`${JSON.stringify(log[0])}\n{"direction":"sideways"}\n`);
    expect(r.ok ? [] : r.errors.map((e) => e.line)).toEqual([2]);
    const bad = importMcpLog(JSON.stringify({ direction: "client_to_server", message: { jsonrpc: "2.0", id: 9, method: "tools/call", params: {} } }));
    expect(bad.ok ? "" : bad.errors[0]!.message).toMatch(/^tools\/call: params\.name/);
  });
});
