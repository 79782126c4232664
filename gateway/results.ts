/**
 * MCP results the gateway builds or reads: the tool error result that carries a refusal's reason (the model can
 * read it; MCP reserves JSON-RPC errors for protocol faults), and the outcome of an upstream `tools/call` response
 * — a result that is not a CallToolResult is the server misbehaving, and the client gets an error instead.
 */
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { CallToolResultSchema } from "@modelcontextprotocol/sdk/types.js";
import { mcpResultOutcome, type ToolOutcome } from "../runtime/index.js";
import { isRecord } from "./records.js";

type Id = string | number;

/** A `tools/call` answer with `isError: true` and one text block. */
export function errorResult(id: Id, text: string): JSONRPCMessage {
  return { jsonrpc: "2.0", id, result: { content: [{ type: "text", text }], isError: true } };
}

/**
 * The answer most tools give — text blocks with nothing else in them, `isError` absent or a boolean, no
 * `structuredContent` and no `_meta` — recognised by hand. Any other shape goes to CallToolResultSchema, which
 * accepts every one of these (a differential test holds the two together).
 */
function isPlainText(result: unknown): boolean {
  if (!isRecord(result)) return false;
  const { content, isError } = result;
  if (result["structuredContent"] !== undefined || result["_meta"] !== undefined) return false;
  if (isError !== undefined && typeof isError !== "boolean") return false;
  if (!Array.isArray(content)) return false;
  for (const block of content as unknown[]) {
    if (!isRecord(block) || block["type"] !== "text" || typeof block["text"] !== "string") return false;
    for (const k in block) if (k !== "type" && k !== "text") return false;
  }
  return true;
}

/**
 * What an upstream `tools/call` response means for the session (the output to record, or the error) and what the
 * client receives: the response itself, or an error result when the server's answer is malformed.
 */
export function callOutcome(message: Record<string, unknown>): {
  outcome: ToolOutcome;
  reply: JSONRPCMessage;
} {
  if (!("error" in message) && isPlainText(message["result"]))
    return { outcome: mcpResultOutcome(message["result"]), reply: message as JSONRPCMessage };
  return callOutcomeBySchema(message);
}

/** callOutcome with every result judged by the SDK's CallToolResultSchema. */
export function callOutcomeBySchema(message: Record<string, unknown>): {
  outcome: ToolOutcome;
  reply: JSONRPCMessage;
} {
  const id = message["id"] as Id;
  if ("error" in message) {
    const e = message["error"] as { message?: unknown } | null;
    const text = typeof e?.message === "string" ? e.message : "the tool server answered with an error";
    return { outcome: { error: text }, reply: message as JSONRPCMessage };
  }
  const parsed = CallToolResultSchema.safeParse(message["result"]);
  if (!parsed.success) {
    const error = "the tool server's answer is not a valid tools/call result";
    return { outcome: { error }, reply: errorResult(id, error) };
  }
  return { outcome: mcpResultOutcome(parsed.data), reply: message as JSONRPCMessage };
}
