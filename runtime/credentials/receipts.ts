/**
 * The receipts of credentials (AARM R9, "credential usage logged for audit"): one "credential" receipt when a
 * credential is issued and one for every attempt to use it that carries a valid signature, accepted or refused.
 * Parameters never appear, only their hash (`action.parametersHash` is the credential's `arg`).
 */
import type { ReceiptDraft, ReceiptIdentity } from "../receipts/draft.js";
import type { CredentialClaims, CredentialOperation } from "./claims.js";

/** What happened to the credential. */
export type CredentialEvent =
  | { readonly event: "issued"; readonly ruleIds: readonly string[]; readonly decidedBy: string }
  | { readonly event: "used"; readonly operation: CredentialOperation; readonly use: number }
  | {
      readonly event: "rejected";
      readonly operation: string;
      readonly code: string;
      readonly reason: string;
    };

function reasonOf(claims: CredentialClaims, e: CredentialEvent): string {
  const what = `credential ${claims.jti} for ${claims.tool}`;
  switch (e.event) {
    case "issued":
      return `${what} issued: ${claims.ops.join("+")}, ${claims.uses} use${claims.uses === 1 ? "" : "s"}, until ${new Date(claims.exp * 1000).toISOString()}`;
    case "used":
      return `${what} used to ${e.operation} (use ${e.use} of ${claims.uses})`;
    case "rejected":
      return `${what} refused: ${e.reason}`;
  }
}

/** The identity a credential's receipts record: the principal and agent it was minted for. */
export function credentialIdentity(
  claims: CredentialClaims,
  principal: "human" | "service" | "agent",
): ReceiptIdentity {
  return {
    [principal]: claims.sub,
    ...(claims.agt !== undefined && principal !== "agent" ? { agent: claims.agt } : {}),
    status: "none",
  };
}

/** A "credential" receipt draft. `time` in ms; `actionTime` is the action's time (the use's time for uses). */
export function credentialDraft(
  claims: CredentialClaims,
  e: CredentialEvent,
  identity: ReceiptIdentity,
  time: number,
  actionTime: number,
  keyId: string,
): ReceiptDraft {
  const operation = e.event === "issued" ? undefined : e.operation;
  return {
    kind: "credential",
    time,
    action: {
      id: claims.act,
      tool: claims.tool,
      ...(operation !== undefined ? { operation } : {}),
      parametersHash: claims.arg,
      time: actionTime,
    },
    context: { session: claims.sid, logHead: claims.lh },
    identity,
    decision: {
      result: e.event === "rejected" ? "DENY" : claims.eff,
      ruleIds: e.event === "issued" ? [...e.ruleIds] : [],
      reasons: [reasonOf(claims, e)],
      decidedBy: e.event === "issued" ? e.decidedBy : "credential",
      policy: { ...claims.pol },
    },
    details: {
      credential: {
        event: e.event,
        jti: claims.jti,
        keyId,
        operations: [...claims.ops],
        expiresAt: claims.exp * 1000,
        maxUses: claims.uses,
        ...(e.event === "used" ? { use: e.use } : {}),
        ...(e.event === "rejected" ? { code: e.code } : {}),
      },
    },
  };
}
