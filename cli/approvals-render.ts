/**
 * How `aarm approvals` prints requests: a table for `list`, the full context for `show` (what an approver must
 * see before deciding: the user's request, the action and its arguments, prior actions, labels, the rule, its
 * reason and who may decide).
 */
import type { ApprovalSummary, ApprovalView } from "../runtime/approvals/index.js";

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function left(deadline: number, now: number): string {
  const s = Math.max(0, Math.round((deadline - now) / 1000));
  return s >= 3600
    ? `${Math.floor(s / 3600)}h${Math.floor((s % 3600) / 60)}m`
    : s >= 60
      ? `${Math.floor(s / 60)}m${s % 60}s`
      : `${s}s`;
}

/** The `list` table. */
export function renderList(items: readonly ApprovalSummary[], now: number): string {
  if (items.length === 0) return "no pending approval requests\n";
  const rows = items.map((a) => [
    a.id,
    a.tool,
    a.requester ?? "-",
    a.ruleIds.join(",") || "-",
    `${a.groups.join(",")}${a.escalated ? " (escalated)" : ""}`,
    `${a.approvals}`,
    `${left(a.deadline, now)} left`,
  ]);
  const head = ["ID", "TOOL", "REQUESTER", "RULES", "MAY DECIDE", "APPROVALS", "TIMEOUT"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: readonly string[]) =>
    r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join("  ");
  return [line(head), ...rows.map(line)].join("\n") + "\n";
}

/** The `show` text. */
export function renderView(v: ApprovalView, now: number): string {
  const who = v.identity;
  const identity = [
    who.human && `human ${who.human}`,
    who.service && `service ${who.service}`,
    who.agent && `agent ${who.agent}`,
    who.role && `role ${who.role}`,
    who.scopes?.length && `scopes ${who.scopes.join(",")}`,
    who.delegation?.length && `via ${who.delegation.join(" → ")}`,
  ].filter(Boolean);
  const out = [
    `${v.id}  ${v.status}${v.source === "defer_escalation" ? "  (a deferred action, escalated)" : ""}`,
    `  tool:       ${v.action.tool}${v.action.operation ? ` (${v.action.operation})` : ""}`,
    `  arguments:  ${JSON.stringify(v.action.args)}`,
    `  requested:  ${v.request === null ? "(no request given)" : JSON.stringify(v.request)}`,
    `  identity:   ${identity.join(", ") || "(none)"}`,
    `  session:    ${v.session}, labels ${v.labels.join(",") || "none"}, level ${v.level ?? "-"}`,
    `  policy:     ${v.policy.name}${v.policy.version ? ` ${v.policy.version}` : ""} (${v.policy.hash.slice(0, 19)}…)`,
    `  rules:      ${v.ruleIds.join(", ") || "-"}`,
    ...v.reasons.map((r) => `  reason:     ${r}`),
    ...v.requirements.map(
      (r) =>
        `  approvers:  ${r.quorum.kind === "k" ? `${r.quorum.k} of` : r.quorum.kind} [${r.groups.join(", ")}]` +
        (r.escalation
          ? `, escalates to [${r.escalation.groups.join(", ")}] after ${Math.round(r.escalation.afterMs / 1000)}s`
          : ""),
    ),
    `  timeout:    ${iso(v.deadline)}${v.status === "pending" ? ` (${left(v.deadline, now)} left)` : ""}`,
    `  prior actions (${v.priorActions.length}):`,
    ...v.priorActions.map((p) => `    ${iso(p.time)}  ${p.tool}  ${p.decision}`),
    `  decisions (${v.votes.length}):`,
    ...v.votes.map(
      (x) =>
        `    ${iso(x.time)}  ${x.approver} ${x.decision}s${x.comment ? `: ${JSON.stringify(x.comment)}` : ""}`,
    ),
  ];
  return out.join("\n") + "\n";
}
