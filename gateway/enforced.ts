/**
 * The gateway's Mediator on the enforcement layer (runtime/enforce, docs/enforcement.md): one EnforcedSession per
 * client session, bound to the identity its assertions prove (AARM R6) and to the user's request sent at
 * initialization. Each `tools/call` goes through `perform` with the MCP adapter's action (runtime/mediation/mcp.ts)
 * and the upstream round trip as the tool: decided, receipted, held for approval or deferral, run on exactly the
 * decided arguments, recorded (labels, provenance) and receipted again. With `--record`, each session is also
 * written as a recorded session.
 */
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { fromMcp, ToolOutput, type ActionOutcome, type Enforcer } from "../runtime/index.js";
import type { Forward, MediatedSession, Mediator, Opened, SessionRequest, ToolCall } from "./mediator.js";
import type { IdentityInput } from "../sessions/index.js";
import type { SessionRecorder, SessionRecording } from "./recorder.js";
import { callOutcome, errorResult } from "./results.js";

export interface EnforcedMediatorOptions {
  readonly enforcer: Enforcer;
  /** The prefix of the upstream's tools in the policy (`tools from "..." as prefix`). */
  readonly prefix?: string;
  /** Whether `tools/list` shows an MCP tool. */
  readonly listed: (name: string) => boolean;
  readonly recorder?: SessionRecorder;
}

type EnforcedSession = Awaited<ReturnType<Enforcer["openSession"]>>;

/** What the model reads when a call did not run (or its result is withheld). */
export function refusalText(out: ActionOutcome, policyName: string): string {
  const d = out.decision;
  const first = d && d.effect !== "DENY" ? ` (${d.effect}: ${d.reasons.join("; ")})` : "";
  return `DENY by policy ${policyName}${first}: ${out.reasons.join("; ")}`;
}

class GatewaySession implements MediatedSession {
  constructor(
    readonly enforced: EnforcedSession,
    readonly prefix: string | undefined,
    readonly recording: SessionRecording | undefined,
  ) {}

  get id(): string {
    return this.enforced.id;
  }

  async call(call: ToolCall, forward: Forward, signal: AbortSignal): Promise<JSONRPCMessage> {
    const adapted = fromMcp(call.message, this.prefix !== undefined ? { prefix: this.prefix } : {});
    let reply: JSONRPCMessage | undefined;
    let seen: string | undefined;
    const out = await this.enforced.perform(
      adapted,
      async (args) => {
        const r = callOutcome(await forward(args));
        reply = r.reply;
        if ("error" in r.outcome) throw new Error(r.outcome.error);
        seen = r.outcome.seen;
        return seen !== undefined ? new ToolOutput(r.outcome.output, seen) : r.outcome.output;
      },
      { signal },
    );
    this.#record(call, out, seen);
    if (out.ran && out.effect !== "DENY")
      return reply ?? errorResult(call.id, out.error ?? "the tool failed");
    return errorResult(call.id, refusalText(out, this.enforced.session.policy.ir.name));
  }

  #record(call: ToolCall, out: ActionOutcome, seen: string | undefined): void {
    const d = out.decision;
    if (!this.recording || !d || d.mediationError) return;
    this.recording.action({
      id: d.action.id,
      tool: d.action.tool,
      args: d.action.args,
      time: d.action.time,
      expect: d.effect,
      meta: {
        jsonrpcId: call.id,
        final: out.effect,
        stage: out.stage,
        ...(d.modifiedArgs ? { modifiedArgs: d.modifiedArgs } : {}),
        ...(out.approval ? { approval: out.approval.outcome } : {}),
      },
    });
    // A replay records results only for actions the policy let run at once (ALLOW, MODIFY).
    if (out.ran && (d.effect === "ALLOW" || d.effect === "MODIFY"))
      this.recording.result(
        d.action.id,
        out.error !== undefined
          ? { error: out.error }
          : { output: out.output, ...(seen !== undefined ? { seen } : {}) },
      );
  }

  async close(): Promise<void> {
    await this.recording?.close();
  }
}

export function enforcedMediator(o: EnforcedMediatorOptions): Mediator {
  return {
    listed: o.listed,
    async open(req: SessionRequest): Promise<Opened> {
      let enforced: EnforcedSession;
      try {
        enforced = await o.enforcer.openSession({
          id: req.id,
          assertions: req.tokens,
          ...(req.request !== undefined ? { request: req.request } : {}),
          ...(req.context !== undefined ? { context: req.context } : {}),
        });
      } catch (e) {
        return { ok: false, reason: e instanceof Error ? e.message : String(e) };
      }
      const identity = (enforced.identity.ok ? enforced.identity.identity : {}) as IdentityInput;
      const recording = o.recorder?.open({
        id: req.id,
        identity,
        ...(req.request !== undefined ? { request: req.request } : {}),
        ...(req.context !== undefined ? { context: req.context } : {}),
        time: enforced.session.state.log.entries[0]?.time ?? o.enforcer.core.clock(),
        meta: {
          ...(req.client ? { client: req.client } : {}),
          identity: enforced.identity.ok ? enforced.identity.status : `rejected: ${enforced.identity.reason}`,
        },
      });
      return { ok: true, session: new GatewaySession(enforced, o.prefix, recording) };
    },
  };
}
