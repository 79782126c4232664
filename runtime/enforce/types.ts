/**
 * The enforcer's public types (docs/enforcement.md): its options, what a host passes for each action, and what it
 * gets back.
 */
import type { CanonicalAction, DecisionRecord, Policy } from "../api.js";
import type { CredentialIssuer, IssuedCredential } from "../credentials/issuer.js";
import type { IdentityVerifier } from "../identity/verifier.js";
import type { ReceiptApproval, ReceiptWriter } from "../receipts/draft.js";
import type { ApprovalPort, ApproverRecord, DeferralPort } from "./ports.js";
import type { Timers } from "./timers.js";

/** Defaults the policy does not set (docs/enforcement.md, "Defaults"). */
export interface EnforcementDefaults {
  /** A STEP_UP without `timeout`: ms to wait for approvers (default 1 h, the AARM approval service's default). */
  readonly approvalTimeoutMs: number;
  /** A DEFER without `timeout` (and an action held on a dependency): ms to wait (default 5 min). */
  readonly deferTimeoutMs: number;
  /** Cascade limit: the deepest chain of held actions (default 3); deeper → DENY. */
  readonly maxDeferralDepth: number;
  /** At most this many actions of one session held at once (default 64); more → DENY. */
  readonly maxHeld: number;
  /** How long past a timeout the enforcer waits for a service's own answer before it DENIES (default 5 s). */
  readonly serviceGraceMs: number;
}

export const DEFAULT_ENFORCEMENT: EnforcementDefaults = {
  approvalTimeoutMs: 3_600_000,
  deferTimeoutMs: 300_000,
  maxDeferralDepth: 3,
  maxHeld: 64,
  serviceGraceMs: 5_000,
};

export interface EnforcerOptions {
  /** The loaded policy that decides. */
  readonly policy: Policy;
  /** Where receipts go (createReceiptWriter over a sink). A receipt that cannot be stored DENIES its action. */
  readonly receipts: ReceiptWriter;
  /** Verifies the identity assertions sessions are opened with, and re-validates them. */
  readonly identity: IdentityVerifier;
  /** Resolves STEP_UP. Without one, every STEP_UP is DENIED ("no approval service"). */
  readonly approvals?: ApprovalPort;
  /** Resolves DEFER. Without one, every DEFER is DENIED ("no deferral service"). */
  readonly deferrals?: DeferralPort;
  /**
   * Mints a just-in-time credential for every action that runs, handed to the tool (AARM R9). If minting fails,
   * the action is DENIED and the tool does not run.
   */
  readonly credentials?: CredentialIssuer;
  /** ms since the epoch (default: the policy's clock). */
  readonly clock?: () => number;
  readonly timers?: Timers;
  readonly defaults?: Partial<EnforcementDefaults>;
}

/** Opening a session: who (signed identity assertions) and what for (the user's request). */
export interface OpenOptions {
  /** Signed identity assertions (human, service, agent): compact JWS tokens, see docs/identity.md. */
  readonly assertions: readonly string[];
  readonly request?: string;
  readonly context?: Readonly<Record<string, unknown>>;
  /** The session id (default: the identity's session, else generated). */
  readonly id?: string;
}

/**
 * The tool: receives exactly the arguments that were decided (a fresh copy) and the canonical action, and returns
 * its output — or a ToolOutput, when the agent also reads text from the result that the output does not hold.
 */
export type ToolFunction = (
  args: Record<string, unknown>,
  action: CanonicalAction,
  grant: ToolGrant,
) => unknown;

/** What the tool is handed besides its arguments. */
export interface ToolGrant {
  /**
   * With a credential issuer configured: the just-in-time credential minted for exactly this action (AARM R9),
   * to present to the tool server, which checks it with verifyCredential (docs/credentials.md).
   */
  readonly credential?: IssuedCredential;
}

export interface PerformOptions {
  /** Ids of earlier actions of the session whose output this action uses (docs/enforcement.md, "Dependencies"). */
  readonly dependsOn?: readonly string[];
  /** For adapter results: the action id, time and nonce (as Session.decideRequest takes them). */
  readonly id?: string;
  readonly time?: number;
  readonly nonce?: string | number;
  /** Abort waiting for approval or deferral: the action is DENIED. */
  readonly signal?: AbortSignal;
}

/** Why an action ended where it did. */
export type Stage =
  | "policy" // the policy decided (ALLOW, MODIFY, DENY)
  | "identity" // the identity could not be verified, or no longer can
  | "receipts" // a receipt could not be written
  | "approval" // approved, rejected, timed out, or the approval service failed
  | "deferral" // resolved, timed out, or the deferral service failed
  | "dependency" // an action it depends on was denied, or the cascade limit
  | "credential" // the just-in-time credential for the action could not be minted
  | "tool"; // the tool ran (output or error)

/** A receipt the action produced. */
export interface ReceiptRef {
  readonly kind: string;
  readonly seq: number;
  readonly hash: string;
}

/** What happened to one action. */
export interface ActionOutcome {
  /** "ALLOW" or "MODIFY": the tool ran. "DENY": it did not (or its result is withheld, see `ran`). */
  readonly effect: "ALLOW" | "MODIFY" | "DENY";
  /** Whether the tool was called. */
  readonly ran: boolean;
  /** The tool's result (absent when it did not run, threw, or its outcome receipt failed). */
  readonly output?: unknown;
  /** The tool's error, when it threw. */
  readonly error?: string;
  /** The canonical action. */
  readonly action: CanonicalAction;
  /** The policy's decision on submission (absent if the action was refused before the policy saw it). */
  readonly decision?: DecisionRecord;
  /** The decision after a deferral was resolved. */
  readonly resolved?: DecisionRecord;
  readonly stage: Stage;
  /** Why; never empty. */
  readonly reasons: readonly string[];
  readonly approval?: ReceiptApproval;
  readonly approvers?: readonly ApproverRecord[];
  /** The receipts written for the action, in order. */
  readonly receipts: readonly ReceiptRef[];
}
