/**
 * Identity assertions (AARM R6; docs/identity.md): a compact JWS, typ "aarm-id+jwt", alg EdDSA, whose payload
 * says who (`sub`), what kind of principal (human, service, agent), with which role, scopes and delegation chain,
 * who vouches for it (`iss`), and when it is valid (`iat`, optional `nbf`, `exp`: seconds since the epoch, as in
 * RFC 7519). `jti` identifies the assertion for revocation.
 */
import { z } from "zod";
import type { Signer } from "../crypto/ed25519.js";
import { signJws } from "./jws.js";

export const IDENTITY_TYP = "aarm-id+jwt";

export type PrincipalKind = "human" | "service" | "agent";

const name = z.string().min(1).max(512);
const seconds = z.number().int().nonnegative();

export const IdentityClaimsSchema = z.object({
  iss: name,
  sub: name,
  kind: z.enum(["human", "service", "agent"]),
  role: name.optional(),
  scopes: z.array(name).optional(),
  /** Who delegated to whom, the original principal first: ["alice@corp", "mail-service", "agent-7"]. */
  delegation: z.array(name).optional(),
  groups: z.array(name).optional(),
  iat: seconds,
  nbf: seconds.optional(),
  exp: seconds,
  jti: name,
});

export type IdentityClaims = z.infer<typeof IdentityClaimsSchema>;

/** What the issuer fills in: iat/exp default from `now` and `ttlMs`, jti is random. */
export type AssertionInput = Omit<IdentityClaims, "iat" | "exp" | "jti"> & {
  readonly iat?: number;
  readonly exp?: number;
  readonly jti?: string;
};

function randomId(): string {
  const b = new Uint8Array(12);
  crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

/** Issue a signed identity assertion. `now` in ms (default Date.now()), `ttlMs` default one hour. */
export async function issueAssertion(
  signer: Signer,
  claims: AssertionInput,
  options: { readonly now?: number; readonly ttlMs?: number } = {},
): Promise<string> {
  const now = Math.floor((options.now ?? Date.now()) / 1000);
  const iat = claims.iat ?? now;
  const payload: IdentityClaims = {
    ...claims,
    iat,
    exp: claims.exp ?? iat + Math.max(1, Math.round((options.ttlMs ?? 3_600_000) / 1000)),
    jti: claims.jti ?? randomId(),
  };
  const checked = IdentityClaimsSchema.safeParse(payload);
  if (!checked.success) throw new Error(`invalid identity claims: ${checked.error.issues[0]?.message ?? ""}`);
  return signJws(signer, IDENTITY_TYP, payload);
}
