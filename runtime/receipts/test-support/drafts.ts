/**
 * Realistic receipt drafts for tests: one per decision effect and per receipt kind, with varied identities, so
 * tests and property tests run over the shapes the enforcement layer produces.
 */
import type { DecisionEffect } from "../../decide/decision.js";
import { hashJson } from "../../session/hash.js";
import type { ReceiptDraft } from "../draft.js";

const EFFECTS: readonly DecisionEffect[] = ["ALLOW", "DENY", "MODIFY", "STEP_UP", "DEFER"];

/** The i-th sample draft (deterministic). */
export function sampleDraft(i: number, overrides: Partial<ReceiptDraft> = {}): ReceiptDraft {
  const effect = EFFECTS[i % EFFECTS.length]!;
  const parameters = { recipient: `user${i}@example.com`, amount: i * 10, note: "rent ✓" };
  const time = 1_760_000_000_000 + i * 1000;
  return {
    kind: "decision",
    time,
    action: {
      id: `act_${i.toString(16).padStart(16, "0")}`,
      tool: i % 2 ? "send_money" : "read_file",
      operation: "tools/call",
      parameters,
      parametersHash: hashJson(parameters),
      time,
    },
    context: { session: `sess-${i % 3}`, logHead: hashJson({ i }) },
    identity: {
      human: `alice${i % 2}@corp.example`,
      agent: "banking-agent",
      role: i % 2 ? "teller" : "viewer",
      scopes: ["bank:read", ...(i % 2 ? ["bank:write"] : [])],
      delegation: [`alice${i % 2}@corp.example`, "banking-agent"],
      status: "verified",
    },
    decision: {
      result: effect,
      ruleIds: [`rule-${i % 4}`],
      reasons: [`${effect.toLowerCase()} because rule-${i % 4} matched`],
      decidedBy: "policy",
      policy: { name: "banking", version: "1.2.0", hash: hashJson("banking-1.2.0") },
    },
    ...(effect === "DEFER"
      ? {
          deferral: {
            reason: "context.approved_payees is unknown",
            trigger: "unknown_context" as const,
            waitingFor: ["context.approved_payees"],
          },
        }
      : {}),
    ...overrides,
  };
}
