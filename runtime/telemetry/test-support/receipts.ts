/**
 * Signed receipts for the telemetry tests: drafts from real decisions (as the enforcement layer writes them:
 * parameters kept, hashed, the deferral block for a DEFER) and their resolutions, through a real writer.
 */
import type { DecisionRecord, Session } from "../../api.js";
import { createSigner, generateKeyPair } from "../../crypto/ed25519.js";
import type { ReceiptDraft } from "../../receipts/draft.js";
import { memorySink } from "../../receipts/sink.js";
import { createReceiptWriter } from "../../receipts/writer.js";
import { hashJson } from "../../session/hash.js";

/** A decision receipt draft for a DecisionRecord, at `time`. */
export function decisionDraft(
  d: DecisionRecord,
  session: Session,
  time: number = d.action.time,
): ReceiptDraft {
  const { session: _s, ...identity } = session.state.identityRecord;
  return {
    kind: "decision",
    time,
    action: {
      id: d.action.id,
      tool: d.action.tool,
      parameters: d.action.args,
      parametersHash: hashJson(d.action.args),
      time: d.action.time,
    },
    context: { session: session.id, logHead: session.state.log.head },
    identity: { ...identity, status: "none" },
    decision: {
      result: d.effect,
      ruleIds: [...d.ruleIds],
      reasons: [...d.reasons],
      decidedBy: d.decidedBy,
      policy: { name: d.policy.name, version: d.policy.version, hash: d.policy.hash },
      ...(d.modifiedArgs ? { modifiedParametersHash: hashJson(d.modifiedArgs) } : {}),
    },
    ...(d.effect === "DEFER" && d.defer
      ? {
          deferral: {
            reason: d.reasons.join("; "),
            trigger: d.defer.trigger,
            waitingFor: [...d.defer.waitingFor],
          },
        }
      : {}),
  };
}

/** The follow-up receipt of a DEFER that timed out (DENY). */
export function deferralTimeout(draft: ReceiptDraft, time: number): ReceiptDraft {
  return {
    ...draft,
    kind: "deferral",
    time,
    decision: { ...draft.decision, result: "DENY", reasons: ["the deferral timed out"] },
    deferral: { ...draft.deferral!, resolution: { method: "timeout", time, result: "DENY" } },
  };
}

/** The follow-up receipt of a STEP_UP that an approver approved. */
export function approved(draft: ReceiptDraft, approver: string, time: number): ReceiptDraft {
  return {
    ...draft,
    kind: "approval",
    time,
    decision: { ...draft.decision, result: "ALLOW" },
    approval: {
      outcome: "approved",
      approvals: [{ approver, decision: "approve", time, comment: "ok | fine = yes" }],
    },
  };
}

/** A writer over a memory sink, and its key. */
export async function receiptChain() {
  const keys = generateKeyPair();
  const sink = memorySink();
  const writer = createReceiptWriter({ signer: await createSigner(keys), sink });
  return { keys, sink, writer };
}
