/**
 * Holding an action on its dependencies (docs/enforcement.md, "Dependencies"; the rules are in
 * runtime/deferral/dependencies.ts): a DEFER receipt with the trigger "dependency", the wait for what it depends
 * on (bounded by the default deferral timeout), and then the policy's decision once it is released.
 */
import type { ReceiptDeferral } from "../receipts/draft.js";
import { withDeadline } from "./deadline.js";
import type { Prepared } from "./prepare.js";
import type { Ctx, EnforcedSession } from "./session.js";
import type { ActionOutcome } from "./types.js";

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** An action that depends on held actions: deferred (trigger "dependency") until they settle. */
export async function holdOnDependencies(
  s: EnforcedSession,
  ctx: Ctx,
  prepared: Prepared,
  on: readonly string[],
  depth: number,
): Promise<ActionOutcome> {
  const names = on.map((id) => `'${id}'`).join(", ");
  const block: ReceiptDeferral = {
    reason: `it uses the output of ${names}, which ${on.length === 1 ? "is" : "are"} held`,
    trigger: "dependency",
    waitingFor: on.map((id) => `action:${id}`),
  };
  const deferred = s.synthetic(ctx.action, "DEFER", [`deferred: ${block.reason}`]);
  const max = s.core.defaults.maxDeferralDepth;
  const over =
    depth > max
      ? `cascade limit: a chain of ${depth} held actions exceeds the limit of ${max}`
      : s.held >= s.core.defaults.maxHeld
        ? `cascade limit: ${s.held} actions of this session are already held`
        : null;
  if (over) {
    const resolution = { method: "cascade_limit", time: s.core.clock(), result: "DENY" } as const;
    return s.deny(ctx, "dependency", [`denied: ${over}`], { deferral: { ...block, resolution } });
  }
  s.hold(ctx.key, depth);
  const release = s.deps.release(on);
  try {
    const w = await s.write(ctx, {
      kind: "decision",
      decision: deferred,
      decidedBy: "dependency",
      deferral: block,
    });
    if (!w.ok) {
      s.unhold();
      return await s.deny(ctx, "receipts", [
        `denied: the deferral receipt could not be written (${w.reason})`,
      ]);
    }
    const timeoutMs = s.core.defaults.deferTimeoutMs;
    type Gate = { ok: true } | { ok: false; method: "timeout" | "dependency"; reason: string };
    const gate = await withDeadline<Gate>(
      s.core.timers,
      timeoutMs,
      ctx.signal,
      async () => {
        const g = await release.gate;
        return g.ok
          ? g
          : {
              ok: false,
              method: "dependency",
              reason: `denied: it uses the output of '${g.denied}', which was denied`,
            };
      },
      {
        timeout: () => ({
          ok: false,
          method: "timeout",
          reason: `timed out after ${timeoutMs} ms waiting for ${names}`,
        }),
        aborted: () => ({ ok: false, method: "timeout", reason: "the host stopped waiting" }),
        failed: (e) => ({ ok: false, method: "dependency", reason: message(e) }),
      },
    ).finally(() => s.unhold());
    const resolutionDeny = (method: "timeout" | "dependency", reason: string) =>
      s.closeDenied(ctx, "dependency", deferred, [reason], {
        deferral: { ...block, resolution: { method, time: s.core.clock(), result: "DENY" } },
      });
    if (!gate.ok) return await resolutionDeny(gate.method, gate.reason);
    const again = await s.currentIdentity(s.core.clock());
    if (!again.ok)
      return await resolutionDeny(
        "dependency",
        `released, but the requester's identity no longer verifies: ${again.reason}`,
      );
    const d = prepared.decide();
    ctx.action = d.action;
    ctx.decision = d;
    const resolution = { method: "dependency", time: s.core.clock(), result: d.effect } as const;
    const w2 = await s.write(ctx, { kind: "deferral", decision: d, deferral: { ...block, resolution } });
    if (!w2.ok) return await s.fault(ctx, d, w2.reason);
    release.started();
    return await s.dispatch(ctx, d, "dependency");
  } finally {
    release.started();
  }
}
