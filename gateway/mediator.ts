/**
 * The seam between the MCP relay (relay.ts), which speaks JSON-RPC, and the enforcement behind it, which decides.
 * A Mediator opens one MediatedSession per client session (after checking who the client is); the session admits
 * or refuses each `tools/call` and is told what the tool returned. Neither ever lets an error become a pass:
 * `admit` resolves to a refusal on any failure, and `complete` reports a failure the relay turns into an error
 * result.
 */
import type { PresentedInit } from "./session-init.js";

/** One `tools/call`, as the client sent it. */
export interface ToolCall {
  /** The MCP tool name (without the policy's prefix). */
  readonly name: string;
  /** The JSON-RPC request (for the MCP adapter, runtime/mediation/mcp.ts). */
  readonly message: unknown;
}

/** Forward the call upstream with exactly `arguments` (MODIFY's modified ones), or refuse it with a reason. */
export type Admission =
  | {
      readonly kind: "forward";
      readonly arguments: Readonly<Record<string, unknown>>;
      readonly ticket: string;
    }
  | { readonly kind: "refuse"; readonly text: string };

/** What the tool returned: its output, or its error. */
export type CallOutcome = { readonly output: unknown } | { readonly error: string };

export interface MediatedSession {
  readonly id: string;
  /** Decide a call, holding it while a STEP_UP or DEFER is pending. Never rejects. */
  admit(call: ToolCall, signal: AbortSignal): Promise<Admission>;
  /** Record and receipt what the forwarded call returned. `ok: false`: the result must not reach the client. */
  complete(
    ticket: string,
    outcome: CallOutcome,
  ): Promise<{ readonly ok: true } | { readonly ok: false; readonly reason: string }>;
  close(): Promise<void>;
}

export interface SessionRequest extends PresentedInit {
  /** The gateway's id for the session (the Streamable HTTP session id, or a generated one). */
  readonly id: string;
}

export interface Mediator {
  /** Open a session; `ok: false` refuses it (the client's `initialize` fails with the reason). Never rejects. */
  open(
    request: SessionRequest,
  ): Promise<
    { readonly ok: true; readonly session: MediatedSession } | { readonly ok: false; readonly reason: string }
  >;
  /** Whether `tools/list` shows this MCP tool (tools the policy can never allow may be hidden). */
  listed(name: string): boolean;
}
