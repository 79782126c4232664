/**
 * The identity verifier of a gateway without trusted issuers (no `--issuer`): a session that presents no
 * assertion has no identity (status "none": what a rule needs of it is unknown to the policy, so such a rule
 * defers); a session that presents assertions is rejected, since nothing can verify them — unverified claims never
 * reach the policy. With `--issuer`, runtime/identity's verifier is used instead.
 */
import type { IdentityResult, IdentityVerifier } from "../runtime/identity/index.js";

const NONE: IdentityResult = {
  ok: true,
  status: "none",
  identity: {},
  receiptIdentity: { status: "none" },
  tokens: [],
  expiresAt: null,
};

export function noIssuerVerifier(): IdentityVerifier {
  const verify = (tokens: readonly string[]): Promise<IdentityResult> =>
    Promise.resolve(
      tokens.length === 0
        ? NONE
        : {
            ok: false,
            code: "unknown_issuer",
            reason: "identity assertions were presented, but the gateway trusts no issuer (--issuer)",
          },
    );
  return { verify, revalidate: (previous) => verify(previous.tokens), revoke: () => undefined };
}
