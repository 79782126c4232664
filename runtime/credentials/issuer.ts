/**
 * Minting just-in-time credentials (AARM R9; docs/credentials.md). For an action the policy allowed (ALLOW or
 * MODIFY), `mint(decision, session)` signs a credential scoped to that tool and its operations (read-only for a
 * read-only tool), bound to the action, the session and the exact arguments, valid for a short time (default 60 s)
 * and a set number of uses (default 1), and writes a "credential" receipt. Anything else — a decision that does
 * not allow the action, a decision from another session or policy, a tool the policy does not know, a signer or
 * receipt store that fails — rejects with a CredentialError, and the caller must not run the action (fail closed).
 */
import type { DecisionRecord, Session } from "../api.js";
import type { Signer } from "../crypto/ed25519.js";
import { signJws } from "../identity/jws.js";
import type { ReceiptIdentity, ReceiptWriter } from "../receipts/draft.js";
import { hashJson } from "../session/hash.js";
import {
  CREDENTIAL_TYP,
  CredentialClaimsSchema,
  DEFAULT_CREDENTIAL_TTL_MS,
  DEFAULT_CREDENTIAL_USES,
  type CredentialClaims,
  type CredentialOperation,
} from "./claims.js";
import { credentialDraft } from "./receipts.js";
import { checkOperationMap, operationsFor, type OperationMap } from "./scope.js";

/** Why a credential was not minted. */
export class CredentialError extends Error {
  constructor(
    readonly code: "not_allowed" | "wrong_session" | "unknown_tool" | "invalid_request" | "sign" | "receipt",
    message: string,
  ) {
    super(message);
  }
}

export interface CredentialIssuerOptions {
  readonly signer: Signer;
  /** Where the issuance receipts go (the same writer as the decisions'). */
  readonly receipts: ReceiptWriter;
  /** The issuer name verifiers expect (`iss`; default "aarm"). */
  readonly issuer?: string;
  /** Validity in ms (default 60,000; at least 1 s, since `exp` counts seconds). */
  readonly ttlMs?: number;
  /** How many times a credential may be used (default 1). */
  readonly maxUses?: number;
  /** Explicit read/write per tool, over the tools' readOnlyHint (see scope.ts). */
  readonly operations?: OperationMap;
  /** ms since the epoch (default: the session's policy clock). */
  readonly clock?: () => number;
}

export interface MintOptions {
  /** The verified identity the decision's receipt recorded (default: the session's, status "none"). */
  readonly identity?: ReceiptIdentity;
  /** Narrow the operations further (must be a subset of what the tool's scope permits). */
  readonly operations?: readonly CredentialOperation[];
  readonly ttlMs?: number;
  readonly maxUses?: number;
}

/** A minted credential: the token to hand the tool server, and what it permits. */
export interface IssuedCredential {
  readonly token: string;
  readonly jti: string;
  readonly tool: string;
  readonly operations: readonly CredentialOperation[];
  /** ms since the epoch. */
  readonly expiresAt: number;
  readonly maxUses: number;
  /** The issuance receipt. */
  readonly receipt: { readonly seq: number; readonly hash: string };
}

export interface CredentialIssuer {
  readonly keyId: string;
  readonly issuer: string;
  mint(decision: DecisionRecord, session: Session, options?: MintOptions): Promise<IssuedCredential>;
}

function randomId(): string {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  return `cred_${Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("")}`;
}

function positive(v: number | undefined, fallback: number, what: string, min: number, max: number): number {
  const n = v ?? fallback;
  if (!Number.isInteger(n) || n < min || n > max)
    throw new CredentialError(
      "invalid_request",
      `${what}: expected an integer from ${min} to ${max}, got ${n}`,
    );
  return n;
}

function principal(session: Session): { sub: string; knd: "human" | "service" | "agent" } {
  const id = session.state.identityRecord;
  for (const knd of ["human", "service", "agent"] as const) {
    const sub = id[knd];
    if (sub !== undefined) return { sub, knd };
  }
  throw new CredentialError(
    "not_allowed",
    `session '${session.id}' has no principal (human, service or agent)`,
  );
}

export function createCredentialIssuer(options: CredentialIssuerOptions): CredentialIssuer {
  const iss = options.issuer ?? "aarm";
  const map = options.operations ?? {};
  const problem = checkOperationMap(map);
  if (problem) throw new CredentialError("invalid_request", problem);
  const defaultTtl = positive(options.ttlMs, DEFAULT_CREDENTIAL_TTL_MS, "ttlMs", 1000, 86_400_000);
  const defaultUses = positive(options.maxUses, DEFAULT_CREDENTIAL_USES, "maxUses", 1, 1000);

  function scope(decision: DecisionRecord, session: Session, o: MintOptions): CredentialOperation[] {
    if (decision.effect !== "ALLOW" && decision.effect !== "MODIFY")
      throw new CredentialError("not_allowed", `a ${decision.effect} decision gets no credential`);
    if (decision.action.session !== session.id || decision.policy.hash !== session.policy.hash)
      throw new CredentialError(
        "wrong_session",
        `action ${decision.action.id} was not decided in session '${session.id}' by its policy`,
      );
    const ops = operationsFor(decision.action.tool, session.policy.ir, map);
    if (!ops)
      throw new CredentialError(
        "unknown_tool",
        `tool '${decision.action.tool}' is not among the policy's tools`,
      );
    if (o.operations === undefined) return ops;
    const narrowed = ops.filter((op) => o.operations!.includes(op));
    if (narrowed.length === 0 || o.operations.some((op) => !ops.includes(op)))
      throw new CredentialError(
        "invalid_request",
        `operations ${JSON.stringify(o.operations)} are not within ${JSON.stringify(ops)} for '${decision.action.tool}'`,
      );
    return narrowed;
  }

  return {
    keyId: options.signer.keyId,
    issuer: iss,
    async mint(decision, session, o = {}) {
      const ops = scope(decision, session, o);
      const now = (options.clock ?? session.policy.clock)();
      const ttl = positive(o.ttlMs, defaultTtl, "ttlMs", 1000, 86_400_000);
      const iat = Math.floor(now / 1000);
      const args =
        decision.effect === "MODIFY" ? (decision.modifiedArgs ?? decision.action.args) : decision.action.args;
      const who = principal(session);
      const agent = session.state.identityRecord.agent;
      const claims: CredentialClaims = {
        iss,
        ...who,
        ...(agent !== undefined && who.knd !== "agent" ? { agt: agent } : {}),
        sid: session.id,
        act: decision.action.id,
        tool: decision.action.tool,
        ops,
        arg: hashJson(args),
        eff: decision.effect === "MODIFY" ? "MODIFY" : "ALLOW",
        pol: { name: decision.policy.name, version: decision.policy.version, hash: decision.policy.hash },
        lh: session.state.log.head,
        uses: positive(o.maxUses, defaultUses, "maxUses", 1, 1000),
        iat,
        exp: Math.floor((now + ttl) / 1000),
        jti: randomId(),
      };
      const checked = CredentialClaimsSchema.safeParse(claims);
      if (!checked.success) {
        const issue = checked.error.issues[0];
        throw new CredentialError(
          "invalid_request",
          `invalid credential claims: ${issue?.path.join(".") ?? ""}: ${issue?.message ?? ""}`,
        );
      }
      let token: string;
      try {
        token = await signJws(options.signer, CREDENTIAL_TYP, claims);
      } catch (e) {
        throw new CredentialError(
          "sign",
          `the credential was not signed: ${e instanceof Error ? e.message : String(e)}`,
        );
      }
      const identity = o.identity ?? { ...session.state.identityRecord, status: "none" as const };
      const { session: _s, ...receiptIdentity } = identity as ReceiptIdentity & { session?: string };
      const draft = credentialDraft(
        claims,
        { event: "issued", ruleIds: decision.ruleIds, decidedBy: decision.decidedBy },
        receiptIdentity,
        now,
        decision.action.time,
        options.signer.keyId,
      );
      let receipt;
      try {
        receipt = await options.receipts.write(draft);
      } catch (e) {
        throw new CredentialError(
          "receipt",
          `the credential's receipt was not written, so it was not issued: ${e instanceof Error ? e.message : String(e)}`,
        );
      }
      return {
        token,
        jti: claims.jti,
        tool: claims.tool,
        operations: ops,
        expiresAt: claims.exp * 1000,
        maxUses: claims.uses,
        receipt,
      };
    },
  };
}
