/**
 * Quorum (docs/enforcement.md, "Approvals"). A requirement names approver groups and a quorum: `any` — one
 * approval from any of the groups; `all` — one from every group; `K of` — from K distinct groups. Approvals
 * count per distinct approver and distinct group: one person in two groups covers one of them, never both (the
 * best assignment is found by bipartite matching). After escalation, one approval from a member of an escalation
 * (backup) group meets the requirement on its own: the backup group decides for the approvers who did not answer.
 */
import type { ApprovalRequirement } from "../decide/decision.js";

/** An approval as quorum sees it: who, and the approver's groups. */
export interface Approver {
  readonly subject: string;
  readonly groups: readonly string[];
}

/** How many approvals from distinct groups the requirement needs. */
export function needed(r: ApprovalRequirement): number {
  switch (r.quorum.kind) {
    case "any":
      return 1;
    case "all":
      return r.groups.length;
    case "k":
      return r.quorum.k;
  }
}

/** The groups whose members may decide on the requirement now. */
export function eligibleGroups(r: ApprovalRequirement, escalated: boolean): readonly string[] {
  return escalated && r.escalation ? [...r.groups, ...r.escalation.groups] : r.groups;
}

/** The most groups that distinct approvers can cover, one group each (augmenting paths; the inputs are small). */
export function coverage(groups: readonly string[], approvers: readonly Approver[]): number {
  const owner = new Map<string, number>();
  const tryAssign = (i: number, seen: Set<string>): boolean => {
    for (const g of approvers[i]!.groups) {
      if (!groups.includes(g) || seen.has(g)) continue;
      seen.add(g);
      const o = owner.get(g);
      if (o === undefined || tryAssign(o, seen)) {
        owner.set(g, i);
        return true;
      }
    }
    return false;
  };
  let n = 0;
  for (let i = 0; i < approvers.length; i++) if (tryAssign(i, new Set())) n++;
  return n;
}

/** Whether the approvals meet the requirement. */
export function met(r: ApprovalRequirement, approvers: readonly Approver[], escalated: boolean): boolean {
  if (
    escalated &&
    r.escalation &&
    approvers.some((a) => a.groups.some((g) => r.escalation!.groups.includes(g)))
  )
    return true;
  return coverage(r.groups, approvers) >= needed(r);
}

/** The quorum in words: `2 of [dba, security-oncall]`, `any of [support-leads] (escalates to [cto] after 30m)`. */
export function describe(r: ApprovalRequirement): string {
  const q = r.quorum.kind === "k" ? `${r.quorum.k} of` : `${r.quorum.kind} of`;
  const esc = r.escalation
    ? ` (escalates to [${r.escalation.groups.join(", ")}] after ${r.escalation.afterMs} ms)`
    : "";
  return `${r.ruleId}: ${q} [${r.groups.join(", ")}]${esc}`;
}
