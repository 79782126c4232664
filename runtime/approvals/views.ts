/**
 * What approvers see of a request (AARM R4: "full action context available to approvers"): JSON-safe views for
 * the in-process API, the HTTP endpoint and `aarm approvals`.
 */
import type { ApprovalRequirement } from "../decide/decision.js";
import type { Identity } from "../session/state.js";
import type { ApprovalRequest, PriorAction } from "../enforce/ports.js";

export type ApprovalStatus = "pending" | "approved" | "rejected" | "timed_out" | "cancelled";

/** One approver's decision. */
export interface Vote {
  readonly approver: string;
  readonly issuer: string;
  readonly assertionHash: string;
  /** The approver's groups among those of the request. */
  readonly groups: readonly string[];
  readonly decision: "approve" | "reject";
  /** ms since the epoch */
  readonly time: number;
  readonly comment?: string;
}

/** A line of `aarm approvals list`. */
export interface ApprovalSummary {
  readonly id: string;
  readonly status: ApprovalStatus;
  readonly session: string;
  readonly tool: string;
  readonly requester: string | null;
  readonly ruleIds: readonly string[];
  readonly reason: string;
  readonly source: ApprovalRequest["source"];
  /** The groups whose members may decide now (escalation groups included once escalated). */
  readonly groups: readonly string[];
  readonly approvals: number;
  readonly escalated: boolean;
  /** ms since the epoch */
  readonly createdAt: number;
  readonly deadline: number;
}

/** Everything about one request: `aarm approvals show`. */
export interface ApprovalView extends ApprovalSummary {
  readonly action: {
    readonly id: string;
    readonly tool: string;
    readonly operation: string | null;
    readonly args: Readonly<Record<string, unknown>>;
    readonly time: number;
  };
  readonly identity: Identity;
  readonly request: string | null;
  readonly priorActions: readonly PriorAction[];
  readonly labels: readonly string[];
  readonly level: string | null;
  readonly reasons: readonly string[];
  readonly policy: { readonly name: string; readonly version: string | null; readonly hash: string };
  readonly requirements: readonly ApprovalRequirement[];
  readonly votes: readonly Vote[];
}

export interface ViewState {
  readonly req: ApprovalRequest;
  readonly status: ApprovalStatus;
  readonly votes: readonly Vote[];
  readonly escalated: ReadonlySet<string>;
  readonly deadline: number;
}

function groupsNow(s: ViewState): string[] {
  const out = new Set<string>();
  for (const r of s.req.requirements) {
    for (const g of r.groups) out.add(g);
    if (r.escalation && s.escalated.has(r.ruleId)) for (const g of r.escalation.groups) out.add(g);
  }
  return [...out];
}

export function summaryOf(s: ViewState): ApprovalSummary {
  const { req } = s;
  const who = req.identity.human ?? req.identity.service ?? req.identity.agent ?? null;
  return {
    id: req.id,
    status: s.status,
    session: req.session,
    tool: req.action.tool,
    requester: who,
    ruleIds: [...req.decision.ruleIds],
    reason: req.decision.reasons.join("; "),
    source: req.source,
    groups: groupsNow(s),
    approvals: s.votes.filter((v) => v.decision === "approve").length,
    escalated: s.escalated.size > 0,
    createdAt: req.createdAt,
    deadline: s.deadline,
  };
}

export function viewOf(s: ViewState): ApprovalView {
  const { req } = s;
  const p = req.decision.policy;
  return {
    ...summaryOf(s),
    action: {
      id: req.action.id,
      tool: req.action.tool,
      operation: req.action.operation ?? null,
      args: req.action.args,
      time: req.action.time,
    },
    identity: req.identity,
    request: req.request,
    priorActions: req.priorActions,
    labels: req.labels,
    level: req.level,
    reasons: req.decision.reasons,
    policy: { name: p.name, version: p.version, hash: p.hash },
    requirements: req.requirements,
    votes: s.votes,
  };
}
