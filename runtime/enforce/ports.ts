/**
 * The seams between the enforcement layer (runtime/enforce) and the services that resolve STEP_UP and DEFER
 * (runtime/approvals, runtime/deferral; docs/enforcement.md). The enforcer owns the session and the receipts; a
 * service only decides when and how a held action is released. Every promise here must settle: a service that
 * cannot answer resolves with "unavailable" (or rejects), and the enforcer then DENIES. The enforcer also keeps
 * its own deadline (the timeout plus a grace period), so a service that never answers cannot hold an action
 * forever, and nothing ever times out into ALLOW.
 */
import type { CanonicalAction, DecisionRecord } from "../api.js";
import type { ApprovalRequirement } from "../decide/decision.js";
import type { Identity } from "../session/state.js";
import type { ReceiptApproval } from "../receipts/draft.js";

/** An earlier action of the session, as approvers see it. */
export interface PriorAction {
  readonly id: string;
  readonly tool: string;
  /** The decision it got (ALLOW, DENY, ...). */
  readonly decision: string;
  /** ms since the epoch. */
  readonly time: number;
}

/** Everything an approver must see to decide (AARM R4: "full action context available to approvers"). */
export interface ApprovalRequest {
  readonly id: string;
  readonly session: string;
  readonly action: CanonicalAction;
  /** The decision that asked for approval: rules, reasons, policy. */
  readonly decision: DecisionRecord;
  /** The requester's identity, as verified when the action was submitted. */
  readonly identity: Identity;
  /** The user's original request, or null if the session has none. */
  readonly request: string | null;
  readonly priorActions: readonly PriorAction[];
  /** Data classifications the session has gathered, and its highest sensitivity level (by name). */
  readonly labels: readonly string[];
  readonly level: string | null;
  /** Who must approve: one requirement per step_up rule, all of which must be met. */
  readonly requirements: readonly ApprovalRequirement[];
  /** A policy STEP_UP, or a deferred action that its resolver escalated to humans. */
  readonly source: "step_up" | "defer_escalation";
  /** ms; after it the action is DENIED. */
  readonly timeoutMs: number;
  /** ms since the epoch. */
  readonly createdAt: number;
}

/** An approver whose signed identity assertion was verified, as the receipt's details record it. */
export interface ApproverRecord {
  readonly subject: string;
  readonly issuer: string;
  /** sha256 hex of the assertion presented. */
  readonly assertionHash: string;
  /** The groups the approval counted for. */
  readonly groups: readonly string[];
}

/** How an approval request ended. */
export interface ApprovalAnswer {
  readonly approval: ReceiptApproval;
  /** The verified approvers (for approved and rejected requests). */
  readonly approvers?: readonly ApproverRecord[];
  /** One line saying why (e.g. "rejected by bob@corp.example: not this customer"). */
  readonly reason: string;
}

export interface ApprovalPort {
  /** Resolves when quorum is reached, on rejection, on timeout, or with "unavailable". */
  request(req: ApprovalRequest, signal?: AbortSignal): Promise<ApprovalAnswer>;
}

/** A deferred action, and how to re-evaluate it. */
export interface DeferRequest {
  readonly id: string;
  readonly session: string;
  readonly action: CanonicalAction;
  readonly decision: DecisionRecord;
  readonly waitingFor: readonly string[];
  readonly timeoutMs: number;
  /** ms since the epoch. */
  readonly createdAt: number;
  /** Re-decide the action against the session's current context (the same action: id, arguments, time). */
  reevaluate(): DecisionRecord;
  /** Subscribe to context changes of the session (returns an unsubscribe function). */
  onContextChange(listener: (field: string) => void): () => void;
  /** Supply a context field of the session (a resolver that fetched what the action waits for). */
  setContext(field: string, value: unknown): void;
}

export type DeferResolution =
  | {
      /** "context": re-evaluation after context arrived; "resolver": the resolver's answer. */
      readonly method: "context" | "resolver";
      readonly time: number;
      /** The decision after resolution: ALLOW or MODIFY runs, DENY does not, STEP_UP goes to the approvers. */
      readonly decision: DecisionRecord;
    }
  | {
      readonly method: "timeout" | "cascade_limit" | "unavailable";
      readonly time: number;
      readonly reason: string;
    };

export interface DeferralPort {
  defer(req: DeferRequest, signal?: AbortSignal): Promise<DeferResolution>;
}
