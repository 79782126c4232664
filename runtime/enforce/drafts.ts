/**
 * Receipt drafts for the enforcement layer (AARM R5): one per decision, per resolution (approval, deferral) and
 * per outcome. Every draft binds the action (tool, operation, parameters and their hash), the session and its
 * context-log head, the identity captured when the action was submitted, and the policy (name, version, hash,
 * bundle hash). Where a MODIFY redacted an argument, the original parameters are left out (only their hash stays)
 * and the receipt's details carry the modified parameters the tool received.
 */
import type { CanonicalAction, DecisionRecord, ToolOutcome } from "../api.js";
import type { DecisionEffect } from "../decide/decision.js";
import type {
  ReceiptApproval,
  ReceiptDeferral,
  ReceiptDraft,
  ReceiptIdentity,
  ReceiptKind,
} from "../receipts/draft.js";
import { hashJson } from "../session/hash.js";

/** The string a `redact` modification writes (docs/semantics.md, "Modifications"). */
const REDACTED = "[REDACTED]";

/** A receipt time: whole, non-negative milliseconds. */
export function receiptTime(ms: number): number {
  return Number.isFinite(ms) ? Math.max(0, Math.floor(ms)) : 0;
}

function safeHash(value: unknown): string {
  try {
    return hashJson(value);
  } catch {
    return "unhashable";
  }
}

/** Whether a MODIFY replaced an argument by "[REDACTED]". */
function redacted(d: DecisionRecord): boolean {
  const m = d.modifiedArgs;
  if (d.effect !== "MODIFY" || !m) return false;
  return deepRedact(m, d.action.args);
}

function deepRedact(m: unknown, o: unknown): boolean {
  if (m === REDACTED) return o !== REDACTED;
  if (typeof m !== "object" || m === null) return false;
  const orig = (typeof o === "object" && o !== null ? o : {}) as Record<string, unknown>;
  return Object.entries(m as Record<string, unknown>).some(([k, v]) => deepRedact(v, orig[k]));
}

/** What every receipt of one action shares. */
export interface DraftBase {
  readonly session: string;
  readonly identity: ReceiptIdentity;
}

/** The action block; `parameters` left out when a MODIFY redacted something. */
function actionBlock(action: CanonicalAction, hideParameters: boolean): ReceiptDraft["action"] {
  const parametersHash = safeHash(action.args);
  return {
    id: action.id,
    tool: action.tool,
    ...(action.operation !== undefined ? { operation: action.operation } : {}),
    ...(!hideParameters && parametersHash !== "unhashable" ? { parameters: action.args } : {}),
    parametersHash,
    time: receiptTime(action.time),
  };
}

export interface DraftInput {
  readonly kind: ReceiptKind;
  readonly time: number;
  /** The decision the receipt is about (for a resolution: the decision after it). */
  readonly decision: DecisionRecord;
  /** Overrides of the decision block (a fault's DENY, an approval's result). */
  readonly result?: DecisionEffect;
  readonly reasons?: readonly string[];
  readonly decidedBy?: string;
  /** The session's context-log head at the time of the receipt. */
  readonly logHead: string;
  readonly approval?: ReceiptApproval;
  readonly deferral?: ReceiptDeferral;
  readonly outcome?: ReceiptDraft["outcome"];
  readonly details?: Readonly<Record<string, unknown>>;
}

/** Build a receipt draft. */
export function draftFor(base: DraftBase, input: DraftInput): ReceiptDraft {
  const d = input.decision;
  const hide = redacted(d);
  const details = {
    ...(hide && d.modifiedArgs ? { modifiedParameters: d.modifiedArgs } : {}),
    ...(d.action.wrapper ? { wrapper: { tool: d.action.wrapper.tool, chain: d.action.wrapper.chain } } : {}),
    ...input.details,
  };
  return {
    kind: input.kind,
    time: receiptTime(input.time),
    action: actionBlock(d.action, hide),
    context: { session: base.session, logHead: input.logHead },
    identity: base.identity,
    decision: {
      result: input.result ?? d.effect,
      ruleIds: [...d.ruleIds],
      reasons: [...(input.reasons ?? d.reasons)],
      decidedBy: input.decidedBy ?? d.decidedBy,
      policy: { name: d.policy.name, version: d.policy.version, hash: d.policy.hash },
      ...(d.policy.bundleHash !== undefined ? { bundleHash: d.policy.bundleHash } : {}),
      ...(d.effect === "MODIFY" && d.modifiedArgs
        ? { modifiedParametersHash: safeHash(d.modifiedArgs) }
        : {}),
    },
    ...(input.approval ? { approval: input.approval } : {}),
    ...(input.deferral ? { deferral: input.deferral } : {}),
    ...(input.outcome ? { outcome: input.outcome } : {}),
    ...(Object.keys(details).length > 0 ? { details } : {}),
  };
}

/** The outcome block of a tool run: the hash of its result, or its error. */
export function outcomeBlock(r: ToolOutcome): ReceiptDraft["outcome"] {
  if ("error" in r) return { error: r.error };
  const resultHash = safeHash(r.output ?? null);
  return r.seen !== undefined ? { resultHash, seenHash: safeHash(r.seen) } : { resultHash };
}
