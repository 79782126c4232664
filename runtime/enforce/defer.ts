/**
 * DEFER through the deferral port: the request (with re-evaluation and the session's context changes), and the
 * wait for its resolution under the enforcer's own deadline — a service that fails, throws or never answers is a
 * DENY, and so is a resolution that is not a decision.
 */
import type { DecisionRecord } from "../api.js";
import { withDeadline } from "./deadline.js";
import type { EnforcerCore } from "./enforcer.js";
import type { DeferralPort, DeferRequest, DeferResolution } from "./ports.js";
import type { ReceiptDeferral } from "../receipts/draft.js";
import { approveAction } from "./approve.js";
import type { Ctx, EnforcedSession } from "./session.js";
import type { ActionOutcome } from "./types.js";

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The deferred action, and how to re-evaluate it. */
export function deferRequest(s: EnforcedSession, d: DecisionRecord, timeoutMs: number): DeferRequest {
  return {
    id: `dfr_${d.action.id}`,
    session: s.id,
    action: d.action,
    decision: d,
    waitingFor: d.defer?.waitingFor ?? [],
    timeoutMs,
    createdAt: s.core.clock(),
    reevaluate: () => s.reevaluate(d.action),
    onContextChange: (listener) => s.onContextChange(listener),
    setContext: (field, value) => s.setContext(field, value),
  };
}

/** Wait for the resolution; whatever happens, a resolution (never a throw), by the deadline at the latest. */
export function askDeferral(
  core: EnforcerCore,
  port: DeferralPort,
  req: DeferRequest,
  signal: AbortSignal | undefined,
): Promise<DeferResolution> {
  const fail = (method: "timeout" | "unavailable", reason: string): DeferResolution => ({
    method,
    time: core.clock(),
    reason,
  });
  return withDeadline(
    core.timers,
    req.timeoutMs + core.defaults.serviceGraceMs,
    signal,
    (sig) => port.defer(req, sig),
    {
      timeout: () =>
        fail("timeout", `not resolved within ${req.timeoutMs} ms (the deferral service did not answer)`),
      aborted: () => fail("unavailable", "the host stopped waiting for the deferral"),
      failed: (e) => fail("unavailable", `the deferral service failed (${message(e)})`),
    },
  ).then((r) => (valid(r) ? r : fail("unavailable", "the deferral service gave no valid resolution")));
}

function valid(r: unknown): r is DeferResolution {
  const x = r as Record<string, unknown> | null;
  if (typeof x !== "object" || x === null || typeof x["time"] !== "number") return false;
  if (x["method"] === "context" || x["method"] === "resolver")
    return typeof x["decision"] === "object" && x["decision"] !== null;
  return (
    ["timeout", "cascade_limit", "unavailable"].includes(String(x["method"])) &&
    typeof x["reason"] === "string"
  );
}

/** DEFER: wait for the deferral service. */
export async function deferAction(s: EnforcedSession, ctx: Ctx, d: DecisionRecord): Promise<ActionOutcome> {
  const deferrals = s.core.deferrals;
  const block = s.deferralBlock(d);
  const deny = (method: NonNullable<ReceiptDeferral["resolution"]>["method"], reason: string) =>
    s.closeDenied(ctx, "deferral", d, [reason], {
      deferral: { ...block, resolution: { method, time: s.core.clock(), result: "DENY" } },
    });
  if (!deferrals) return deny("unavailable", "no deferral service is configured");
  if (s.held >= s.core.defaults.maxHeld)
    return deny("cascade_limit", `cascade limit: ${s.held} actions of this session are already held`);
  const timeoutMs = d.defer?.timeoutMs ?? s.core.defaults.deferTimeoutMs;
  s.hold(ctx.key, Math.max(1, s.deps.depth(ctx.key)));
  const res = await askDeferral(s.core, deferrals, deferRequest(s, d, timeoutMs), ctx.signal).finally(() =>
    s.unhold(),
  );
  if (!("decision" in res)) return deny(res.method, res.reason);
  const next = res.decision;
  ctx.resolved = next;
  const resolution = { method: res.method, time: res.time, result: next.effect } as const;
  if (next.effect === "ALLOW" || next.effect === "MODIFY") {
    const again = await s.currentIdentity(s.core.clock());
    if (!again.ok)
      return deny(res.method, `resolved, but the requester's identity no longer verifies: ${again.reason}`);
  }
  const w = await s.write(ctx, {
    kind: "deferral",
    decision: next,
    decidedBy: next.decidedBy,
    deferral: { ...block, resolution },
  });
  if (!w.ok) return s.fault(ctx, next, w.reason);
  if (next.effect === "STEP_UP")
    return approveAction(s, ctx, next, res.method === "resolver" ? "defer_escalation" : "step_up");
  return s.dispatch(ctx, next, "deferral");
}
