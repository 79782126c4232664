/**
 * The seam between the MCP relay (relay.ts), which speaks JSON-RPC, and the enforcement behind it, which decides.
 * A Mediator opens one MediatedSession per client session; the session decides each `tools/call`, runs the
 * upstream round trip (`forward`) only when the call may run — with exactly the decided arguments — and says what
 * the client receives. Nothing here may turn an error into a pass: `call` never rejects, and any failure is a
 * tool error result with its reason.
 */
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import type { PresentedInit } from "./session-init.js";

/** One `tools/call`, as the client sent it. */
export interface ToolCall {
  /** The JSON-RPC id of the request. */
  readonly id: string | number;
  /** The JSON-RPC request (for the MCP adapter, runtime/mediation/mcp.ts). */
  readonly message: unknown;
}

/**
 * Send the call upstream with these arguments and resolve with the server's response message. Rejects when the
 * server cannot be reached, fails, or does not answer in time.
 */
export type Forward = (args: Readonly<Record<string, unknown>>) => Promise<Record<string, unknown>>;

export interface MediatedSession {
  readonly id: string;
  /** Decide and (if it may run) forward one call; resolves to the response for the client. Never rejects. */
  call(call: ToolCall, forward: Forward, signal: AbortSignal): Promise<JSONRPCMessage>;
  close(): Promise<void>;
}

export interface SessionRequest extends PresentedInit {
  /** The gateway's id for the session (the Streamable HTTP session id, or a generated one). */
  readonly id: string;
}

export type Opened =
  { readonly ok: true; readonly session: MediatedSession } | { readonly ok: false; readonly reason: string };

export interface Mediator {
  /** Open a session; `ok: false` refuses it (the client's `initialize` fails with the reason). Never rejects. */
  open(request: SessionRequest): Promise<Opened>;
  /** Whether `tools/list` shows this MCP tool (tools the policy can never allow may be hidden). */
  listed(name: string): boolean;
}
