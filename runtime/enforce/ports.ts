/**
 * The seams between the enforcement layer (runtime/enforce) and the services that resolve STEP_UP and DEFER
 * (runtime/approvals, runtime/deferral). The enforcer owns the session and the receipts; a service only decides
 * when and how a held action is released. Every promise here must settle: a service that cannot answer resolves
 * with "unavailable" (or rejects), and the enforcer then DENIES.
 */
import type { CanonicalAction, DecisionRecord } from "../api.js";
import type { ApprovalRequirement } from "../decide/decision.js";
import type { Identity } from "../session/state.js";
import type { ReceiptApproval } from "../receipts/draft.js";

/** Everything an approver must see to decide (AARM R4: "full action context available to approvers"). */
export interface ApprovalRequest {
  readonly id: string;
  readonly session: string;
  readonly action: CanonicalAction;
  readonly decision: DecisionRecord;
  readonly identity: Identity;
  readonly request: string | null;
  readonly priorActions: readonly { readonly id: string; readonly tool: string; readonly decision: string }[];
  readonly labels: readonly string[];
  readonly requirements: readonly ApprovalRequirement[];
  /** ms; after it the action is DENIED. */
  readonly timeoutMs: number;
  /** ms since the epoch. */
  readonly createdAt: number;
}

export interface ApprovalPort {
  /** Resolves when quorum is reached, on rejection, on timeout, or with "unavailable". */
  request(req: ApprovalRequest, signal?: AbortSignal): Promise<ReceiptApproval>;
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
  /** Re-decide the action against the session's current context. */
  reevaluate(): DecisionRecord;
  /** Subscribe to context changes of the session (returns an unsubscribe function). */
  onContextChange(listener: (field: string) => void): () => void;
}

export type DeferResolution =
  | { readonly method: "context" | "resolver"; readonly time: number; readonly decision: DecisionRecord }
  | {
      readonly method: "timeout" | "cascade_limit" | "unavailable";
      readonly time: number;
      readonly reason: string;
    };

export interface DeferralPort {
  defer(req: DeferRequest, signal?: AbortSignal): Promise<DeferResolution>;
}
