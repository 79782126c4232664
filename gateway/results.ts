/**
 * MCP results the gateway builds or reads: the tool error result that carries a refusal's reason (the model can
 * read it; MCP reserves JSON-RPC errors for protocol faults), and the outcome of an upstream `tools/call` response
 * — a result that is not a CallToolResult is the server misbehaving, and the client gets an error instead.
 */
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { CallToolResultSchema } from "@modelcontextprotocol/sdk/types.js";
import type { ToolOutcome } from "../runtime/index.js";
import { isRecord } from "./records.js";

type Id = string | number;

/**
 * What a tool returned: its output, or its error. With `structuredContent`, the output is that, and the result's
 * text blocks (what most clients show the model) are `seen`, so provenance still indexes them.
 */
export type CallOutcome = ToolOutcome;

/** A `tools/call` answer with `isError: true` and one text block. */
export function errorResult(id: Id, text: string): JSONRPCMessage {
  return { jsonrpc: "2.0", id, result: { content: [{ type: "text", text }], isError: true } };
}

function textOf(content: readonly { type: string; text?: string }[]): string | undefined {
  const texts = content.flatMap((c) => (c.type === "text" && typeof c.text === "string" ? [c.text] : []));
  return texts.length > 0 ? texts.join("\n") : undefined;
}

/**
 * The answer most tools give — text blocks with nothing else in them, `isError` absent or a boolean, no
 * `structuredContent` and no `_meta` — checked by hand: its text (undefined when `content` is empty) and whether it
 * is an error. Null for any other shape, which CallToolResultSchema then judges (for these, it accepts exactly what
 * this accepts, and reads the same text; a differential test holds the two together).
 */
function plainText(result: unknown): { readonly text: string | undefined; readonly isError: boolean } | null {
  if (!isRecord(result)) return null;
  const { content, isError } = result;
  if (result["structuredContent"] !== undefined || result["_meta"] !== undefined) return null;
  if (isError !== undefined && typeof isError !== "boolean") return null;
  if (!Array.isArray(content)) return null;
  for (const block of content as unknown[]) {
    if (!isRecord(block) || block["type"] !== "text" || typeof block["text"] !== "string") return null;
    for (const k in block) if (k !== "type" && k !== "text") return null;
  }
  return { text: textOf(content as { type: string; text: string }[]), isError: isError === true };
}

/** The outcome of a valid `tools/call` result: its text as the error when it is one, else its output. */
function resultOutcome(
  isError: boolean,
  text: string | undefined,
  output: unknown,
  seen?: string,
): CallOutcome {
  if (isError) return { error: text ?? "the tool reported an error" };
  return seen !== undefined ? { output, seen } : { output };
}

/**
 * What an upstream `tools/call` response means for the session (the output to record, or the error) and what the
 * client receives: the response itself, or an error result when the server's answer is malformed.
 */
export function callOutcome(message: Record<string, unknown>): {
  outcome: CallOutcome;
  reply: JSONRPCMessage;
} {
  if (!("error" in message)) {
    const plain = plainText(message["result"]);
    if (plain)
      return {
        outcome: resultOutcome(plain.isError, plain.text, plain.text ?? []),
        reply: message as JSONRPCMessage,
      };
  }
  return callOutcomeBySchema(message);
}

/** callOutcome with every result judged by the SDK's CallToolResultSchema. */
export function callOutcomeBySchema(message: Record<string, unknown>): {
  outcome: CallOutcome;
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
  const r = parsed.data;
  const text = textOf(r.content as { type: string; text?: string }[]);
  const output = r.structuredContent ?? text ?? r.content;
  const seen = r.structuredContent !== undefined ? text : undefined;
  return { outcome: resultOutcome(r.isError === true, text, output, seen), reply: message as JSONRPCMessage };
}
