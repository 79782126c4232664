/**
 * The receipt draft of a decision, as the enforcement layer writes one: the action with its parameters and their
 * hash, the session's context-log head, the identity, and the decision with the policy that made it.
 */
import type { DecisionRecord, Session } from "../../runtime/api.js";
import type { ReceiptDraft } from "../../runtime/receipts/index.js";
import { hashJson } from "../../runtime/session/hash.js";
import { IDENTITY } from "./session.js";

export function decisionDraft(session: Session, d: DecisionRecord): ReceiptDraft {
  const { action, policy } = d;
  return {
    kind: "decision",
    time: action.time,
    action: {
      id: action.id,
      tool: action.tool,
      parameters: action.args,
      parametersHash: hashJson(action.args),
      time: action.time,
    },
    context: { session: session.id, logHead: session.state.log.head },
    identity: { human: IDENTITY.human, agent: IDENTITY.agent, role: IDENTITY.role, status: "none" },
    decision: {
      result: d.effect,
      ruleIds: d.ruleIds,
      reasons: d.reasons,
      decidedBy: d.decidedBy,
      policy: { name: policy.name, version: policy.version, hash: policy.hash },
    },
  };
}
