/**
 * The contract between whoever produces receipts (the enforcement layer, the gateway, the kernel event reader) and
 * the receipt writer that completes, chains, signs and stores them (AARM R5; docs/receipts.md). A draft carries
 * the content; the writer adds the sequence number, the previous receipt's hash and the signature.
 */
import type { DecisionEffect } from "../decide/decision.js";

/** What a receipt records. */
export type ReceiptKind =
  | "decision" // ALLOW, DENY, MODIFY, STEP_UP, DEFER for an action
  | "approval" // a STEP_UP was approved, rejected or timed out
  | "deferral" // a DEFER was resolved (re-evaluated, by a resolver) or timed out
  | "outcome" // the tool ran: hash of its result, or its error
  | "credential" // a just-in-time credential was issued or used
  | "kernel"; // a denial reported by the kernel target

/** Identity as bound to the action (AARM R6): who, on whose behalf, with which scope, and how it was verified. */
export interface ReceiptIdentity {
  readonly human?: string;
  readonly service?: string;
  readonly agent?: string;
  readonly role?: string;
  readonly scopes?: readonly string[];
  readonly delegation?: readonly string[];
  /** The issuer of the verified identity assertion, and the assertion's hash; absent when none was presented. */
  readonly assertion?: { readonly issuer: string; readonly hash: string; readonly expiresAt: number };
  /** Every verified assertion (human, service, agent), with the sha256 hex of each token; expiresAt in ms. */
  readonly assertions?: readonly {
    readonly kind: "human" | "service" | "agent";
    readonly issuer: string;
    readonly subject: string;
    readonly hash: string;
    readonly expiresAt: number;
  }[];
  /** "verified" (signed assertion checked), "unverified" (flag-only mode) or "none". */
  readonly status: "verified" | "unverified" | "none";
  /** Why the identity is "unverified" (flag-only mode). */
  readonly reason?: string;
}

export interface ReceiptApproval {
  readonly outcome: "approved" | "rejected" | "timed_out" | "unavailable";
  readonly approvals: readonly {
    readonly approver: string;
    readonly decision: "approve" | "reject";
    /** ms since the epoch */
    readonly time: number;
    readonly comment?: string;
  }[];
  readonly quorum?: string;
  readonly escalated?: boolean;
}

export interface ReceiptDeferral {
  /** Why the action was deferred (the DEFER decision's reason and trigger). */
  readonly reason: string;
  readonly trigger: "unknown_context" | "conflict" | "rule" | "dependency";
  readonly waitingFor: readonly string[];
  /** Absent on the DEFER receipt itself; set on the follow-up receipt. */
  readonly resolution?: {
    readonly method: "context" | "resolver" | "timeout" | "cascade_limit" | "dependency" | "unavailable";
    /** ms since the epoch */
    readonly time: number;
    /** The decision after resolution (DENY on timeout). */
    readonly result: DecisionEffect;
  };
}

/** A receipt's content before the writer chains and signs it. */
export interface ReceiptDraft {
  readonly kind: ReceiptKind;
  /** ms since the epoch. */
  readonly time: number;
  readonly action: {
    readonly id: string;
    readonly tool: string;
    readonly operation?: string;
    /** The parameters, or absent where the policy redacts them; parametersHash is always present. */
    readonly parameters?: Readonly<Record<string, unknown>>;
    readonly parametersHash: string;
    /** ms since the epoch */
    readonly time: number;
  };
  readonly context: {
    readonly session: string;
    /** Hash of the session's context-log head at decision time. */
    readonly logHead: string;
  };
  readonly identity: ReceiptIdentity;
  readonly decision: {
    readonly result: DecisionEffect;
    readonly ruleIds: readonly string[];
    readonly reasons: readonly string[];
    readonly decidedBy: string;
    readonly policy: { readonly name: string; readonly version: string | null; readonly hash: string };
    /** sha256 of the bundle manifest the policy was loaded from, when it came from a bundle. */
    readonly bundleHash?: string;
    /** MODIFY: hash of the arguments the tool received. */
    readonly modifiedParametersHash?: string;
  };
  readonly approval?: ReceiptApproval;
  readonly deferral?: ReceiptDeferral;
  /** The tool's result by its hash (and the text the agent read beside it, ToolOutcome.seen), or its error. */
  readonly outcome?: { readonly resultHash: string; readonly seenHash?: string } | { readonly error: string };
  /** Free-form, kind-specific details (credential scope, kernel hook...). Canonical-JSON-safe values only. */
  readonly details?: Readonly<Record<string, unknown>>;
}

/** Where drafts go. write() resolves once the receipt is durably stored (per the sink's policy) and rejects if it
 * could not be: the caller then DENIES the action (fail closed). */
export interface ReceiptWriter {
  write(draft: ReceiptDraft): Promise<{ readonly seq: number; readonly hash: string }>;
}
