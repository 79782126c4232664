/**
 * Verifying identity assertions (AARM R6; docs/identity.md) against configured trusted issuers: signature by one
 * of the issuer's keys, validity window (with a clock-skew allowance), revocation (by assertion id or subject),
 * consistency (one assertion per kind; a delegation chain must start with the human presented). The result is
 * the runtime Identity the policy sees and the ReceiptIdentity receipts record. In "enforce" mode (the default)
 * any failure is { ok: false, code, reason } and the caller DENIES; "flag" mode returns the claims anyway, marked
 * "unverified" with the reason. `revalidate` repeats the check at a later time, for deferred and approved actions.
 */
import type { PublicKey } from "../crypto/jwk.js";
import type { ReceiptIdentity } from "../receipts/draft.js";
import { sha256Hex } from "../session/hash.js";
import type { Identity } from "../session/state.js";
import { IDENTITY_TYP, IdentityClaimsSchema, type IdentityClaims, type PrincipalKind } from "./claims.js";
import { parseJws, verifyJws } from "./jws.js";

export type IdentityFailure =
  | "missing"
  | "malformed"
  | "invalid_claims"
  | "unknown_issuer"
  | "unknown_key"
  | "bad_signature"
  | "expired"
  | "not_yet_valid"
  | "revoked"
  | "conflict";

export interface IdentityVerifierOptions {
  /** Trusted issuers by name (`iss`), each with its public keys (several during a rotation). */
  readonly issuers: Readonly<Record<string, readonly PublicKey[]>>;
  readonly revoked?: { readonly jti?: readonly string[]; readonly sub?: readonly string[] };
  /** Allowance for clocks that disagree (default 30 s). */
  readonly clockSkewMs?: number;
  /** "enforce" (default): unverifiable identity is not ok. "flag": ok, marked unverified with the reason. */
  readonly mode?: "enforce" | "flag";
}

export interface VerifiedIdentity {
  readonly ok: true;
  readonly status: "verified" | "unverified" | "none";
  readonly identity: Identity;
  readonly receiptIdentity: ReceiptIdentity;
  /** The tokens checked, kept so a delayed action can be revalidated. */
  readonly tokens: readonly string[];
  /** When the first assertion expires (ms), or null if none was verified. */
  readonly expiresAt: number | null;
  /** Flag mode: why the identity is not verified. */
  readonly reason?: string;
  readonly code?: IdentityFailure;
}

export interface RejectedIdentity {
  readonly ok: false;
  readonly code: IdentityFailure;
  readonly reason: string;
}

export type IdentityResult = VerifiedIdentity | RejectedIdentity;

export interface IdentityVerifier {
  verify(tokens: readonly string[], now: number): Promise<IdentityResult>;
  /** Check a previously verified identity again at `now` (expiry and revocation may have changed). */
  revalidate(previous: { readonly tokens: readonly string[] }, now: number): Promise<IdentityResult>;
  /** Add to the revocation list. */
  revoke(entry: { readonly jti?: string; readonly sub?: string }): void;
}

class Failure extends Error {
  constructor(
    readonly code: IdentityFailure,
    message: string,
  ) {
    super(message);
  }
}

interface Checked {
  readonly claims: IdentityClaims;
  readonly hash: string;
}

const KIND_ORDER: readonly PrincipalKind[] = ["agent", "service", "human"];

function decode(token: string, index: number): { claims: IdentityClaims; jws: ReturnType<typeof parseJws> } {
  const at = `assertion ${index + 1}`;
  let jws;
  try {
    jws = parseJws(token, IDENTITY_TYP);
  } catch (e) {
    throw new Failure("malformed", `${at}: ${(e as Error).message}`);
  }
  const parsed = IdentityClaimsSchema.safeParse(jws.payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Failure(
      "invalid_claims",
      `${at}: ${issue?.path.join(".") || "claims"}: ${issue?.message ?? "invalid"}`,
    );
  }
  return { claims: parsed.data, jws };
}

/** The runtime and receipt views of a set of (verified or flagged) claims. */
function build(checked: readonly Checked[], status: "verified" | "unverified", reason?: string) {
  const by = new Map(checked.map((c) => [c.claims.kind, c]));
  const effective = KIND_ORDER.map((k) => by.get(k)?.claims);
  const pick = <K extends "role" | "scopes" | "delegation">(key: K) =>
    effective.find((c) => c?.[key] !== undefined)?.[key];
  const subjects = (["human", "service", "agent"] as const).map((k) => [k, by.get(k)?.claims.sub] as const);
  const delegation =
    pick("delegation") ?? (checked.length > 1 ? subjects.flatMap(([, s]) => (s ? [s] : [])) : undefined);
  const identity: Identity = {
    ...Object.fromEntries(subjects.filter(([, s]) => s !== undefined)),
    ...(pick("role") !== undefined ? { role: pick("role")! } : {}),
    ...(pick("scopes") !== undefined ? { scopes: pick("scopes")! } : {}),
    ...(delegation !== undefined ? { delegation } : {}),
  };
  const main = KIND_ORDER.map((k) => by.get(k)).find((c) => c !== undefined);
  const expiresAt = checked.length ? Math.min(...checked.map((c) => c.claims.exp * 1000)) : null;
  const receiptIdentity: ReceiptIdentity = {
    ...identity,
    ...(main && expiresAt !== null
      ? { assertion: { issuer: main.claims.iss, hash: main.hash, expiresAt } }
      : {}),
    ...(checked.length
      ? {
          assertions: checked.map((c) => ({
            kind: c.claims.kind,
            issuer: c.claims.iss,
            subject: c.claims.sub,
            hash: c.hash,
            expiresAt: c.claims.exp * 1000,
          })),
        }
      : {}),
    status: checked.length ? status : "none",
    ...(reason !== undefined ? { reason } : {}),
  };
  return { identity, receiptIdentity, expiresAt };
}

export function createIdentityVerifier(options: IdentityVerifierOptions): IdentityVerifier {
  const skew = options.clockSkewMs ?? 30_000;
  const mode = options.mode ?? "enforce";
  const revokedJti = new Set(options.revoked?.jti ?? []);
  const revokedSub = new Set(options.revoked?.sub ?? []);

  // Tokens whose signature verified, by key: a signature does not change, so revalidating a session's identity for
  // every action re-checks expiry and revocation without verifying Ed25519 again. Bounded (oldest dropped first).
  const verified = new Map<string, true>();
  async function signatureHolds(token: string, jws: ReturnType<typeof parseJws>, key: PublicKey): Promise<boolean> {
    const id = `${key.keyId} ${token}`;
    if (verified.has(id)) return true;
    if (!(await verifyJws(jws, key.publicKey))) return false;
    if (verified.size >= 4096) verified.delete(verified.keys().next().value!);
    verified.set(id, true);
    return true;
  }

  async function check(tokens: readonly string[], now: number): Promise<Checked[]> {
    if (tokens.length === 0) throw new Failure("missing", "no identity assertion was presented");
    const out: Checked[] = [];
    for (const [i, token] of tokens.entries()) {
      const { claims, jws } = decode(token, i);
      const at = `assertion ${i + 1} (${claims.kind} ${claims.sub})`;
      const keys = Object.hasOwn(options.issuers, claims.iss) ? options.issuers[claims.iss]! : undefined;
      if (!keys)
        throw new Failure("unknown_issuer", `${at}: issuer ${JSON.stringify(claims.iss)} is not trusted`);
      const key = keys.find((k) => k.keyId === jws.header.kid);
      if (!key)
        throw new Failure("unknown_key", `${at}: key ${jws.header.kid} is not a key of issuer ${claims.iss}`);
      if (!(await signatureHolds(token, jws, key)))
        throw new Failure("bad_signature", `${at}: the signature does not verify`);
      if (now > claims.exp * 1000 + skew)
        throw new Failure("expired", `${at}: expired at ${new Date(claims.exp * 1000).toISOString()}`);
      const from = Math.max(claims.iat, claims.nbf ?? 0) * 1000;
      if (now + skew < from)
        throw new Failure("not_yet_valid", `${at}: not valid before ${new Date(from).toISOString()}`);
      if (revokedJti.has(claims.jti))
        throw new Failure("revoked", `${at}: assertion ${claims.jti} is revoked`);
      if (revokedSub.has(claims.sub)) throw new Failure("revoked", `${at}: subject ${claims.sub} is revoked`);
      if (out.some((c) => c.claims.kind === claims.kind))
        throw new Failure("conflict", `${at}: more than one ${claims.kind} assertion`);
      out.push({ claims, hash: sha256Hex(token) });
    }
    const human = out.find((c) => c.claims.kind === "human")?.claims.sub;
    for (const c of out) {
      const first = c.claims.delegation?.[0];
      if (human !== undefined && first !== undefined && first !== human)
        throw new Failure(
          "conflict",
          `the ${c.claims.kind} ${c.claims.sub} acts for ${first}, not for the human ${human}`,
        );
    }
    return out;
  }

  /** Flag mode: the claims that can be read, unverified. */
  function readable(tokens: readonly string[]): Checked[] {
    const out: Checked[] = [];
    tokens.forEach((t, i) => {
      try {
        const { claims } = decode(t, i);
        if (!out.some((c) => c.claims.kind === claims.kind)) out.push({ claims, hash: sha256Hex(t) });
      } catch {
        // unreadable: recorded only through the reason
      }
    });
    return out;
  }

  async function verify(tokens: readonly string[], now: number): Promise<IdentityResult> {
    try {
      const checked = await check(tokens, now);
      return { ok: true, status: "verified", tokens: [...tokens], ...build(checked, "verified") };
    } catch (e) {
      const code = e instanceof Failure ? e.code : "malformed";
      const reason = e instanceof Error ? e.message : String(e);
      if (mode === "enforce") return { ok: false, code, reason };
      const built = build(readable(tokens), "unverified", reason);
      return { ok: true, status: built.receiptIdentity.status, tokens: [...tokens], reason, code, ...built };
    }
  }

  return {
    verify,
    revalidate: (previous, now) => verify(previous.tokens, now),
    revoke(entry) {
      if (entry.jti !== undefined) revokedJti.add(entry.jti);
      if (entry.sub !== undefined) revokedSub.add(entry.sub);
    },
  };
}
