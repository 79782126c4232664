/**
 * STEP_UP through the approval port: the request approvers see (the full context of AARM R4), and the wait for
 * their answer under the enforcer's own deadline — a service that fails, throws or never answers is a DENY.
 */
import type { DecisionRecord } from "../api.js";
import { withDeadline } from "./deadline.js";
import type { EnforcerCore } from "./enforcer.js";
import type { ApprovalAnswer, ApprovalPort, ApprovalRequest, PriorAction } from "./ports.js";
import type { Ctx, EnforcedSession } from "./session.js";
import type { ActionOutcome } from "./types.js";

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The session's earlier actions, from its context log (every decision, in order). */
export function priorActions(s: EnforcedSession, exclude: string): PriorAction[] {
  const out: PriorAction[] = [];
  for (const e of s.session.state.log.entries) {
    if (e.kind !== "action") continue;
    const d = e.data as { id?: unknown; tool?: unknown; decision?: unknown };
    if (typeof d.id !== "string" || d.id === exclude) continue;
    out.push({ id: d.id, tool: String(d.tool), decision: String(d.decision), time: e.time });
  }
  return out;
}

/** What the approvers see. */
export function approvalRequest(
  s: EnforcedSession,
  d: DecisionRecord,
  source: ApprovalRequest["source"],
  timeoutMs: number,
): ApprovalRequest {
  const state = s.session.state;
  const request = state.request;
  return {
    id: `apr_${d.action.id}`,
    session: s.id,
    action: d.action,
    decision: d,
    identity: state.identityRecord,
    request: typeof request === "string" ? request : null,
    priorActions: priorActions(s, d.action.id),
    labels: [...state.labels].sort(),
    level: s.session.policy.ir.levels[state.level] ?? null,
    requirements: d.stepUp?.approvals ?? [],
    source,
    timeoutMs,
    createdAt: s.core.clock(),
  };
}

/** Ask the approvers; whatever happens, an answer (never a throw), by the deadline at the latest. */
export function askApprovers(
  core: EnforcerCore,
  port: ApprovalPort,
  req: ApprovalRequest,
  signal: AbortSignal | undefined,
): Promise<ApprovalAnswer> {
  const none = (outcome: "timed_out" | "unavailable", reason: string): ApprovalAnswer => ({
    approval: { outcome, approvals: [] },
    reason,
  });
  return withDeadline(
    core.timers,
    req.timeoutMs + core.defaults.serviceGraceMs,
    signal,
    (sig) => port.request(req, sig),
    {
      timeout: () => none("timed_out", `no answer from the approval service within ${req.timeoutMs} ms`),
      aborted: () => none("unavailable", "the host stopped waiting for approval"),
      failed: (e) => none("unavailable", `the approval service failed (${message(e)})`),
    },
  ).then((a) => (isAnswer(a) ? a : none("unavailable", "the approval service gave no valid answer")));
}

function isAnswer(a: unknown): a is ApprovalAnswer {
  const x = a as ApprovalAnswer | null;
  return (
    typeof x === "object" &&
    x !== null &&
    typeof x.reason === "string" &&
    typeof x.approval?.outcome === "string" &&
    Array.isArray(x.approval.approvals)
  );
}

/** STEP_UP: wait for the approvers. */
export async function approveAction(
  s: EnforcedSession,
  ctx: Ctx,
  d: DecisionRecord,
  source: "step_up" | "defer_escalation",
): Promise<ActionOutcome> {
  const approvals = s.core.approvals;
  if (!approvals)
    return s.closeDenied(ctx, "approval", d, ["no approval service is configured"], {
      approval: { outcome: "unavailable", approvals: [] },
    });
  const limit = s.holdLimit(ctx, d);
  if (limit) return limit;
  const timeoutMs = d.stepUp?.timeoutMs ?? s.core.defaults.approvalTimeoutMs;
  s.hold(ctx.key, Math.max(1, s.deps.depth(ctx.key)));
  const answer = await askApprovers(
    s.core,
    approvals,
    approvalRequest(s, d, source, timeoutMs),
    ctx.signal,
  ).finally(() => s.unhold());
  const details = answer.approvers ? { approvers: answer.approvers } : undefined;
  const block = { approval: answer.approval, ...(details ? { details } : {}) };
  if (answer.approval.outcome !== "approved")
    return s.closeDenied(ctx, "approval", d, [answer.reason], block);
  const again = await s.currentIdentity(s.core.clock());
  if (!again.ok)
    return s.closeDenied(
      ctx,
      "approval",
      d,
      [`approved, but the requester's identity no longer verifies: ${again.reason}`],
      block,
    );
  const run: DecisionRecord = { ...d, effect: "ALLOW", reasons: [answer.reason] };
  const w = await s.write(ctx, {
    kind: "approval",
    decision: run,
    result: "ALLOW",
    decidedBy: "approval",
    ...block,
  });
  if (!w.ok) return s.fault(ctx, d, w.reason);
  s.session.markExecuted(d.action);
  const out = await s.execute(ctx, run, "approval");
  return {
    ...out,
    approval: answer.approval,
    ...(answer.approvers ? { approvers: answer.approvers } : {}),
  };
}
