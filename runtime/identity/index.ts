/**
 * Identity binding (AARM R6; docs/identity.md): signed identity assertions and their verification against
 * trusted issuers.
 */
export {
  IDENTITY_TYP,
  IdentityClaimsSchema,
  issueAssertion,
  type AssertionInput,
  type IdentityClaims,
  type PrincipalKind,
} from "./claims.js";
export {
  createIdentityVerifier,
  type IdentityFailure,
  type IdentityResult,
  type IdentityVerifier,
  type IdentityVerifierOptions,
  type RejectedIdentity,
  type VerifiedIdentity,
} from "./verifier.js";
export { parseJws, signJws, verifyJws, type JwsHeader, type ParsedJws } from "./jws.js";
