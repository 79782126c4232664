/**
 * Importing an MCP JSON-RPC message log as recorded sessions. The log is JSONL; each line is one message with its
 * direction: `{"direction": "client_to_server" | "server_to_client", "time"?, "session"?, "message": {JSON-RPC}}`
 * (`client→server` / `server→client` are accepted too, and the JSON-RPC fields may stand inline instead of under
 * `message`). Every `tools/call` request becomes an action; the response with the same id becomes its result
 * (as the gateway reads it, runtime/mediation/mcp-result.ts: `structuredContent`, else the text content, with what
 * else the model can read as `seen`; `isError` results and JSON-RPC errors become errors). Lines with a
 * `session` field are grouped by it; an `initialize` request names the client, which becomes the agent identity.
 */
import { z } from "zod";
import type { ToolOutcome } from "../runtime/api.js";
import { fromMcp, mcpResultOutcome } from "../runtime/mediation/index.js";
import type { RecordedEvent, RecordedSession } from "./format.js";
import type { FormatIssue, ParseResult } from "./parse.js";

const Direction = z.enum(["client_to_server", "server_to_client", "client→server", "server→client"]);
const LogLine = z
  .object({
    direction: Direction,
    time: z.union([z.number().finite(), z.string()]).optional(),
    session: z.string().min(1).optional(),
    message: z.record(z.string(), z.unknown()).optional(),
  })
  .passthrough();

export interface McpLogOptions {
  /** Prefix of the tool names, as the policy's `tools from ... as prefix` names them. */
  readonly prefix?: string;
  /** The sessions' identity (default: the client named by `initialize`, as the agent). */
  readonly identity?: RecordedSession["identity"];
  /** The user's request, when the host knows it (MCP does not carry it). */
  readonly request?: string;
}

interface Partial {
  readonly id: string;
  readonly line: number;
  readonly events: RecordedEvent[];
  readonly pending: Map<string, string>;
  agent?: string;
  actions: number;
}

function outcomeOf(msg: Record<string, unknown>): ToolOutcome {
  const err = msg["error"] as { message?: unknown } | undefined;
  if (err !== undefined) return { error: typeof err?.message === "string" ? err.message : JSON.stringify(err) };
  return mcpResultOutcome(msg["result"]);
}

function toTime(t: number | string | undefined): number | undefined {
  if (t === undefined) return undefined;
  const ms = typeof t === "number" ? t : Date.parse(t);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Import an MCP message log (JSONL text). */
export function importMcpLog(text: string, options: McpLogOptions = {}): ParseResult {
  const errors: FormatIssue[] = [];
  const sessions = new Map<string, Partial>();
  text.split("\n").forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === "") return;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      errors.push({ line, message: "not valid JSON" });
      return;
    }
    const l = LogLine.safeParse(json);
    if (!l.success) {
      const issue = l.error.issues[0];
      errors.push({ line, message: `${issue?.path.join(".") || "(root)"}: ${issue?.message ?? "invalid"}` });
      return;
    }
    const { direction, time, session = "mcp-session", message, ...inline } = l.data;
    const msg = (message ?? inline) as Record<string, unknown>;
    let s = sessions.get(session);
    if (!s) sessions.set(session, (s = { id: session, line, events: [], pending: new Map(), actions: 0 }));
    const rpcId = msg["id"] === undefined ? undefined : JSON.stringify(msg["id"]);
    if (direction.startsWith("client")) {
      if (msg["method"] === "initialize") {
        const name = ((msg["params"] as { clientInfo?: { name?: unknown } } | undefined)?.clientInfo?.name);
        if (typeof name === "string" && name !== "") s.agent = name;
      }
      if (msg["method"] !== "tools/call") return;
      const r = fromMcp(msg, options.prefix !== undefined ? { prefix: options.prefix } : {});
      if (!r.ok) {
        errors.push({ line, message: `tools/call: ${r.error.message}` });
        return;
      }
      if (s.pending.has(rpcId!)) {
        errors.push({ line, message: `id: request id ${rpcId} is already waiting for a response` });
        return;
      }
      const id = `call-${++s.actions}`;
      s.pending.set(rpcId!, id);
      const ms = toTime(time);
      s.events.push({ kind: "action", id, tool: r.request.tool, args: r.request.args, ...(ms !== undefined ? { time: ms } : {}), meta: { jsonrpcId: msg["id"] }, line });
    } else if (rpcId !== undefined && s.pending.has(rpcId)) {
      const action = s.pending.get(rpcId)!;
      s.pending.delete(rpcId);
      s.events.push({ kind: "result", action, outcome: outcomeOf(msg), line });
    }
  });
  if (errors.length > 0) return { ok: false, errors };
  if (sessions.size === 0) return { ok: false, errors: [{ line: 1, message: "the log holds no messages" }] };
  return {
    ok: true,
    sessions: [...sessions.values()].map((s) => ({
      id: s.id,
      identity: options.identity ?? { agent: s.agent ?? "mcp-client" },
      ...(options.request !== undefined ? { request: options.request } : {}),
      events: s.events,
      expectations: [],
      line: s.line,
    })),
  };
}
