/**
 * The gateway's Mediator: one runtime session per client session, with the identity the client's assertions
 * prove (AARM R6) and the user's request it sent at initialization; every `tools/call` decided through the MCP
 * adapter (runtime/mediation/mcp.ts); each forwarded call's result recorded into the session (labels,
 * provenance) and, with `--record`, into a recorded-session file.
 */
import type { Policy, Session } from "../runtime/index.js";
import { fromMcp, type DecisionRecord } from "../runtime/index.js";
import type { IdentityVerifier } from "../runtime/identity/index.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import type { Forward, MediatedSession, Mediator, SessionRequest, ToolCall } from "./mediator.js";
import { callOutcome, errorResult, type CallOutcome } from "./results.js";
import type { SessionRecorder, SessionRecording } from "./recorder.js";

export interface PolicyMediatorOptions {
  readonly policy: Policy;
  /** The prefix of the upstream's tools in the policy (`tools from "..." as prefix`). */
  readonly prefix?: string;
  /** Trusted issuers; null: no assertions are accepted and identity stays unknown to the policy. */
  readonly verifier: IdentityVerifier | null;
  /** Show in `tools/list` only the tools the policy can ever allow. */
  readonly listed: (name: string) => boolean;
  readonly recorder?: SessionRecorder;
}

/** The text of a refusal, as the model reads it. */
export function refusalText(d: DecisionRecord): string {
  return `${d.effect} by policy ${d.policy.name}: ${d.reasons.join("; ")}`;
}

class PolicySession implements MediatedSession {
  constructor(
    readonly session: Session,
    readonly prefix: string | undefined,
    readonly recording: SessionRecording | undefined,
  ) {}

  get id(): string {
    return this.session.id;
  }

  async call(call: ToolCall, forward: Forward, _signal: AbortSignal): Promise<JSONRPCMessage> {
    const adapted = fromMcp(call.message, this.prefix !== undefined ? { prefix: this.prefix } : {});
    const d = this.session.decideRequest(adapted);
    this.#record(call, d);
    if (d.effect !== "ALLOW" && d.effect !== "MODIFY") return errorResult(call.id, refusalText(d));
    const args = d.effect === "MODIFY" && d.modifiedArgs ? d.modifiedArgs : d.action.args;
    let outcome: CallOutcome;
    let reply: JSONRPCMessage;
    try {
      ({ outcome, reply } = callOutcome(await forward(args)));
    } catch (e) {
      outcome = { error: e instanceof Error ? e.message : String(e) };
      reply = errorResult(call.id, outcome.error);
    }
    this.session.record(d.action.id, outcome);
    this.recording?.result(d.action.id, outcome);
    return reply;
  }

  #record(call: ToolCall, d: DecisionRecord): void {
    if (!this.recording || d.mediationError) return;
    this.recording.action({
      id: d.action.id,
      tool: d.action.tool,
      args: d.action.args,
      time: d.action.time,
      expect: d.effect,
      meta: { jsonrpcId: call.id, ...(d.modifiedArgs ? { modifiedArgs: d.modifiedArgs } : {}) },
    });
  }

  async close(): Promise<void> {
    await this.recording?.close();
  }
}

export function policyMediator(o: PolicyMediatorOptions): Mediator {
  return {
    listed: o.listed,
    async open(req: SessionRequest) {
      let identity = {};
      if (req.tokens.length > 0 || o.verifier) {
        if (!o.verifier)
          return {
            ok: false,
            reason: "identity assertions were presented, but the gateway trusts no issuer",
          };
        const v = await o.verifier.verify(req.tokens, o.policy.clock());
        if (!v.ok) return { ok: false, reason: `identity rejected (${v.code}): ${v.reason}` };
        identity = v.identity;
      }
      let session: Session;
      try {
        session = o.policy.openSession({
          id: req.id,
          identity,
          ...(req.request !== undefined ? { request: req.request } : {}),
        });
      } catch (e) {
        return { ok: false, reason: e instanceof Error ? e.message : String(e) };
      }
      const recording = o.recorder?.open({
        id: req.id,
        identity,
        ...(req.request !== undefined ? { request: req.request } : {}),
        time: session.state.log.entries[0]?.time ?? o.policy.clock(),
        ...(req.client ? { meta: { client: req.client } } : {}),
      });
      return { ok: true, session: new PolicySession(session, o.prefix, recording) };
    },
  };
}
