/**
 * Verifying just-in-time credentials where the tool runs (AARM R9; docs/credentials.md). A tool server calls
 * `verifyCredential(token, {tool, operation, now, args?})` before it acts; the answer is ok only if the token is a
 * credential signed by a trusted key of the expected issuer, it is within its validity window, it names this tool,
 * it permits this operation (a read-only credential cannot write), the arguments (when given) are the ones the
 * policy allowed, it is not revoked, and it has uses left (a replay beyond its uses is refused). Every attempt with
 * a valid signature — accepted or refused — is written as a "credential" receipt; if that receipt cannot be
 * written the use is refused ("unrecorded"), since an unlogged use would break R9's audit trail.
 */
import type { PublicKey } from "../crypto/jwk.js";
import { parseJws, verifyJws } from "../identity/jws.js";
import type { ReceiptWriter } from "../receipts/draft.js";
import { hashJson } from "../session/hash.js";
import {
  CREDENTIAL_TYP,
  CredentialClaimsSchema,
  type CredentialClaims,
  type CredentialOperation,
} from "./claims.js";
import { credentialDraft, credentialIdentity } from "./receipts.js";
import { memoryUseStore, type UseStore } from "./uses.js";

export type CredentialFailure =
  | "invalid_request"
  | "malformed"
  | "unknown_key"
  | "bad_signature"
  | "invalid_claims"
  | "wrong_issuer"
  | "not_yet_valid"
  | "expired"
  | "wrong_tool"
  | "wrong_operation"
  | "wrong_arguments"
  | "revoked"
  | "replayed"
  | "unrecorded";

export interface CredentialUse {
  readonly tool: string;
  readonly operation: CredentialOperation;
  /** ms since the epoch (default: the verifier's clock). */
  readonly now?: number;
  /** The arguments the tool is about to act on; when given, they must be the ones the policy allowed. */
  readonly args?: Readonly<Record<string, unknown>>;
}

export type CredentialResult =
  | {
      readonly ok: true;
      readonly claims: CredentialClaims;
      /** This use's number (1 for the first). */
      readonly use: number;
      readonly receipt: { readonly seq: number; readonly hash: string };
    }
  | {
      readonly ok: false;
      readonly code: CredentialFailure;
      readonly reason: string;
      /** The claims, when the signature verified. */
      readonly claims?: CredentialClaims;
    };

export interface CredentialVerifierOptions {
  /** The issuer's public keys (several during a rotation). */
  readonly keys: readonly PublicKey[];
  /** Where use receipts go. */
  readonly receipts: ReceiptWriter;
  /** The expected `iss` (default "aarm"). */
  readonly issuer?: string;
  /** Allowance for clocks that disagree (default 5 s). */
  readonly clockSkewMs?: number;
  readonly store?: UseStore;
  readonly revoked?: readonly string[];
  readonly clock?: () => number;
}

export interface CredentialVerifier {
  verifyCredential(token: string, use: CredentialUse): Promise<CredentialResult>;
  /** Refuse a credential from now on. */
  revoke(jti: string): void;
}

class Refusal extends Error {
  constructor(
    readonly code: CredentialFailure,
    message: string,
  ) {
    super(message);
  }
}

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

export function createCredentialVerifier(options: CredentialVerifierOptions): CredentialVerifier {
  const iss = options.issuer ?? "aarm";
  const skew = options.clockSkewMs ?? 5_000;
  const store = options.store ?? memoryUseStore();
  const revoked = new Set(options.revoked ?? []);
  const clock = options.clock ?? (() => Date.now());

  /** Signature and claims: who may be told anything about a token. */
  async function authentic(token: string): Promise<{ claims: CredentialClaims; keyId: string }> {
    let jws;
    try {
      jws = parseJws(token, CREDENTIAL_TYP);
    } catch (e) {
      throw new Refusal("malformed", (e as Error).message);
    }
    const key = options.keys.find((k) => k.keyId === jws.header.kid);
    if (!key) throw new Refusal("unknown_key", `key ${jws.header.kid} is not a trusted credential key`);
    if (!(await verifyJws(jws, key.publicKey)))
      throw new Refusal("bad_signature", "the signature does not verify");
    const parsed = CredentialClaimsSchema.safeParse(jws.payload);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Refusal(
        "invalid_claims",
        `${issue?.path.join(".") || "claims"}: ${issue?.message ?? "invalid"}`,
      );
    }
    return { claims: parsed.data, keyId: key.keyId };
  }

  /** Scope, time and revocation: whether this use is within what the credential permits. */
  function permitted(c: CredentialClaims, use: CredentialUse, now: number): void {
    if (c.iss !== iss)
      throw new Refusal("wrong_issuer", `issued by ${JSON.stringify(c.iss)}, not ${JSON.stringify(iss)}`);
    if (now + skew < c.iat * 1000) throw new Refusal("not_yet_valid", `not valid before ${iso(c.iat)}`);
    if (now > c.exp * 1000 + skew) throw new Refusal("expired", `expired at ${iso(c.exp)}`);
    if (use.tool !== c.tool)
      throw new Refusal("wrong_tool", `issued for tool '${c.tool}', not '${use.tool}'`);
    if (!c.ops.includes(use.operation))
      throw new Refusal("wrong_operation", `permits ${c.ops.join(" and ")} only, not ${use.operation}`);
    if (use.args !== undefined && hashJson(use.args) !== c.arg)
      throw new Refusal("wrong_arguments", "the arguments are not the ones the policy allowed");
    if (revoked.has(c.jti)) throw new Refusal("revoked", `credential ${c.jti} is revoked`);
  }

  function checkRequest(use: CredentialUse): number {
    if (typeof use !== "object" || use === null)
      throw new Refusal("invalid_request", "the use must be an object");
    if (typeof use.tool !== "string" || use.tool === "")
      throw new Refusal("invalid_request", "tool: expected a non-empty string");
    if (use.operation !== "read" && use.operation !== "write")
      throw new Refusal(
        "invalid_request",
        `operation: expected "read" or "write", got ${JSON.stringify(use.operation)}`,
      );
    const now = use.now ?? clock();
    if (typeof now !== "number" || !Number.isFinite(now))
      throw new Refusal("invalid_request", "now: expected ms since the epoch");
    return now;
  }

  async function record(
    claims: CredentialClaims,
    keyId: string,
    now: number,
    e: Parameters<typeof credentialDraft>[1],
  ) {
    return options.receipts.write(
      credentialDraft(claims, e, credentialIdentity(claims, claims.knd), now, now, keyId),
    );
  }

  return {
    revoke: (jti) => void revoked.add(jti),
    async verifyCredential(token, use) {
      let now: number;
      let auth: { claims: CredentialClaims; keyId: string };
      try {
        now = checkRequest(use);
        auth = await authentic(token);
      } catch (e) {
        const r = e instanceof Refusal ? e : new Refusal("malformed", String(e));
        return { ok: false, code: r.code, reason: r.message };
      }
      const { claims, keyId } = auth;
      try {
        permitted(claims, use, now);
        const n = store.consume(claims.jti, claims.uses, claims.exp * 1000 + skew, now);
        if (n === null)
          throw new Refusal(
            "replayed",
            `all ${claims.uses} use${claims.uses === 1 ? "" : "s"} of credential ${claims.jti} are spent`,
          );
        let receipt;
        try {
          receipt = await record(claims, keyId, now, { event: "used", operation: use.operation, use: n });
        } catch (e) {
          return {
            ok: false,
            code: "unrecorded",
            reason: `the use was not receipted, so it is refused: ${e instanceof Error ? e.message : String(e)}`,
            claims,
          };
        }
        return { ok: true, claims, use: n, receipt };
      } catch (e) {
        const r = e instanceof Refusal ? e : new Refusal("invalid_claims", String(e));
        // The refusal is logged too; if even that fails, the answer is still a refusal.
        await record(claims, keyId, now, {
          event: "rejected",
          operation: use.operation,
          code: r.code,
          reason: r.message,
        }).catch(() => undefined);
        return { ok: false, code: r.code, reason: r.message, claims };
      }
    },
  };
}
