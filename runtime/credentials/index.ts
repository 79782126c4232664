/**
 * Least privilege (AARM R9; docs/credentials.md): just-in-time credentials minted for allowed actions, scoped to
 * the tool and its operations, bound to the action and session, short-lived, verified where the tool runs, and
 * receipted on issue and on every use.
 */
export {
  CREDENTIAL_OPERATIONS,
  CREDENTIAL_TYP,
  CredentialClaimsSchema,
  DEFAULT_CREDENTIAL_TTL_MS,
  DEFAULT_CREDENTIAL_USES,
  type CredentialClaims,
  type CredentialOperation,
} from "./claims.js";
export {
  CredentialError,
  createCredentialIssuer,
  type CredentialIssuer,
  type CredentialIssuerOptions,
  type IssuedCredential,
  type MintOptions,
} from "./issuer.js";
export { operationsFor, type OperationMap, type ToolCatalogue } from "./scope.js";
export { memoryUseStore, type UseStore } from "./uses.js";
export {
  createCredentialVerifier,
  type CredentialFailure,
  type CredentialResult,
  type CredentialUse,
  type CredentialVerifier,
  type CredentialVerifierOptions,
} from "./verifier.js";
