/**
 * Just-in-time credentials (AARM R9; docs/credentials.md): a compact JWS, typ "aarm-cred+jwt", alg EdDSA, minted
 * for one allowed action. The payload binds the credential to the action (`act`), the session (`sid`), the tool
 * (`tool`), the operations it permits (`ops`: "read", or "read" and "write"), the hash of the arguments the tool
 * must receive (`arg`), the policy that allowed it (`pol`), how often it may be used (`uses`) and when it is valid
 * (`iat`, `exp`: seconds since the epoch, as in RFC 7519). `typ` keeps a credential from passing as an identity
 * assertion, and the reverse.
 */
import { z } from "zod";

export const CREDENTIAL_TYP = "aarm-cred+jwt";

/** What a tool server does with a credential: reads only, or changes something. */
export type CredentialOperation = "read" | "write";
export const CREDENTIAL_OPERATIONS: readonly CredentialOperation[] = ["read", "write"];

/** Default validity: 60 seconds, enough to forward one call, too short to be worth stealing. */
export const DEFAULT_CREDENTIAL_TTL_MS = 60_000;
/** Default number of uses: one action, one use. */
export const DEFAULT_CREDENTIAL_USES = 1;

const name = z.string().min(1).max(512);
const seconds = z.number().int().nonnegative();
const hex64 = z.string().regex(/^[0-9a-f]{64}$/);

export const CredentialClaimsSchema = z.strictObject({
  iss: name,
  /** The principal the action runs for: the human, else the service, else the agent. */
  sub: name,
  /** What kind of principal `sub` is. */
  knd: z.enum(["human", "service", "agent"]),
  /** The agent that acts, when known. */
  agt: name.optional(),
  /** Session id and action id the credential was minted for. */
  sid: name,
  act: name,
  tool: name,
  ops: z
    .array(z.enum(["read", "write"]))
    .min(1)
    .refine((o) => new Set(o).size === o.length, "duplicate operation"),
  /** sha256 hex of the canonical JSON of the arguments the tool must receive (MODIFY: the modified ones). */
  arg: hex64,
  /** The decision that allowed the action, and the policy that made it. */
  eff: z.enum(["ALLOW", "MODIFY"]),
  pol: z.strictObject({ name, version: z.string().nullable(), hash: name }),
  /** The session's context-log head when the credential was minted. */
  lh: z.string(),
  uses: z.number().int().min(1).max(1000),
  iat: seconds,
  exp: seconds,
  jti: name,
});

export type CredentialClaims = z.infer<typeof CredentialClaimsSchema>;
