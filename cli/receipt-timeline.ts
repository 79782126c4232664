/**
 * The `--timeline` view of `aarm verify`: each session's story, in chain order — time, kind, tool, decision,
 * rules and reason, and the approval, deferral, outcome and identity details a receipt carries.
 */
import type { Receipt } from "../runtime/receipts/index.js";

function identityLine(r: Receipt): string {
  const id = r.identity;
  const parts = [
    id.human && `human ${id.human}`,
    id.service && `service ${id.service}`,
    id.agent && `agent ${id.agent}`,
    id.role && `role ${id.role}`,
    id.scopes && id.scopes.length > 0 && `scopes ${id.scopes.join(",")}`,
    id.delegation && id.delegation.length > 0 && `via ${id.delegation.join(" → ")}`,
    `identity ${id.status}`,
  ];
  return parts.filter(Boolean).join(", ");
}

function details(r: Receipt): string[] {
  const out: string[] = [];
  if (r.approval) {
    const who = r.approval.approvals.map(
      (a) => `${a.approver} ${a.decision}${a.comment ? ` "${a.comment}"` : ""}`,
    );
    out.push(`approval ${r.approval.outcome}${who.length ? `: ${who.join("; ")}` : ""}`);
  }
  if (r.deferral) {
    const res = r.deferral.resolution;
    out.push(
      res
        ? `deferral resolved by ${res.method} at ${new Date(res.time).toISOString()} → ${res.result}`
        : `deferred (${r.deferral.trigger}): waiting for ${r.deferral.waitingFor.join(", ") || "a resolver"}`,
    );
  }
  if (r.outcome)
    out.push(
      "error" in r.outcome
        ? `outcome error: ${r.outcome.error}`
        : `outcome ${r.outcome.resultHash.slice(0, 16)}…`,
    );
  if (r.kind === "credential" && r.details) out.push(`credential ${JSON.stringify(r.details)}`);
  return out;
}

/** The timeline text of verified receipts, one block per session in order of first appearance. */
export function renderTimeline(receipts: readonly Receipt[]): string {
  const sessions = new Map<string, Receipt[]>();
  for (const r of receipts) {
    const list = sessions.get(r.context.session) ?? [];
    list.push(r);
    sessions.set(r.context.session, list);
  }
  const out: string[] = [];
  for (const [session, list] of sessions) {
    out.push(`session ${session} — ${identityLine(list[0]!)}`);
    let lastIdentity = identityLine(list[0]!);
    for (const r of list) {
      const rules = r.decision.ruleIds.length ? ` [${r.decision.ruleIds.join(", ")}]` : "";
      const reason = r.decision.reasons[0] ? `: ${r.decision.reasons[0]}` : "";
      const op = r.action.operation ? ` (${r.action.operation})` : "";
      out.push(
        `  ${new Date(r.time).toISOString()}  #${r.seq}  ${r.kind.padEnd(10)} ${r.action.tool}${op}  ${r.decision.result}${rules}${reason}`,
      );
      const who = identityLine(r);
      if (who !== lastIdentity) out.push(`      identity: ${who}`);
      lastIdentity = who;
      for (const d of details(r)) out.push(`      ${d}`);
    }
    out.push("");
  }
  return out.join("\n");
}
