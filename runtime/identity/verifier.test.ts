import { beforeAll, describe, expect, it } from "vitest";
import { createSigner, generateKeyPair, type Signer } from "../crypto/ed25519.js";
import { createReceiptWriter } from "../receipts/writer.js";
import { memorySink } from "../receipts/sink.js";
import { sampleDraft } from "../receipts/test-support/drafts.js";
import { verifyReceiptText } from "../receipts/verify.js";
import { issueAssertion } from "./claims.js";
import { signJws } from "./jws.js";
import { createIdentityVerifier, type IdentityVerifierOptions, type VerifiedIdentity } from "./verifier.js";

const NOW = 1_760_000_000_000;
let idp: Signer;
let rogue: Signer;
let options: IdentityVerifierOptions;

beforeAll(async () => {
  const k = generateKeyPair();
  idp = await createSigner(k);
  rogue = await createSigner(generateKeyPair());
  options = { issuers: { "corp-idp": [k] } };
});

const human = (sub = "alice@corp.example", extra = {}) =>
  issueAssertion(
    idp,
    { iss: "corp-idp", sub, kind: "human", role: "teller", scopes: ["bank:read"], ...extra },
    { now: NOW },
  );
const agent = (extra = {}) =>
  issueAssertion(
    idp,
    {
      iss: "corp-idp",
      sub: "agent-7",
      kind: "agent",
      scopes: ["bank:read"],
      delegation: ["alice@corp.example", "agent-7"],
      ...extra,
    },
    { now: NOW, ttlMs: 600_000 },
  );

describe("identity verifier", () => {
  it("verifies human + agent assertions into the runtime identity and the receipt identity", async () => {
    const v = createIdentityVerifier(options);
    const r = (await v.verify([await human(), await agent()], NOW + 1000)) as VerifiedIdentity;
    expect(r.ok).toBe(true);
    expect(r.identity).toEqual({
      human: "alice@corp.example",
      agent: "agent-7",
      role: "teller",
      scopes: ["bank:read"],
      delegation: ["alice@corp.example", "agent-7"],
    });
    expect(r.receiptIdentity).toMatchObject({
      status: "verified",
      assertion: { issuer: "corp-idp", expiresAt: NOW + 600_000 },
    });
    expect(r.receiptIdentity.assertions?.map((a) => a.kind)).toEqual(["human", "agent"]);
  });

  it.each([
    ["expired", async () => [await human()], NOW + 3_600_000 + 31_000, /expired at/],
    ["not_yet_valid", async () => [await human()], NOW - 60_000, /not valid before/],
    [
      "unknown_issuer",
      async () => [await issueAssertion(idp, { iss: "evil", sub: "x", kind: "human" }, { now: NOW })],
      NOW,
      /issuer "evil" is not trusted/,
    ],
    [
      "unknown_key",
      async () => [await issueAssertion(rogue, { iss: "corp-idp", sub: "x", kind: "human" }, { now: NOW })],
      NOW,
      /is not a key of issuer corp-idp/,
    ],
    [
      "bad_signature",
      async () => {
        const [h, , s] = (await human()).split(".");
        const [, p] = (await human("mallory@corp.example")).split(".");
        return [`${h}.${p}.${s}`];
      },
      NOW,
      /signature does not verify/,
    ],
    ["malformed", async () => ["not.a.token!"], NOW, /assertion 1: the header is not base64url-encoded JSON/],
    [
      "malformed",
      async () => [await signJws(idp, "aarm-cred+jwt", { iss: "corp-idp" })],
      NOW,
      /wrong typ "aarm-cred\+jwt"/,
    ],
    [
      "invalid_claims",
      async () => [
        await signJws(idp, "aarm-id+jwt", {
          iss: "corp-idp",
          sub: "x",
          kind: "robot",
          iat: 1,
          exp: 2,
          jti: "j",
        }),
      ],
      NOW,
      /kind/,
    ],
    ["missing", async () => [], NOW, /no identity assertion/],
    ["conflict", async () => [await human(), await human("bob@corp.example")], NOW, /more than one human/],
    [
      "conflict",
      async () => [await human("bob@corp.example"), await agent()],
      NOW,
      /acts for alice@corp\.example, not for the human bob/,
    ],
  ] as const)(
    "R6: unverifiable identity is not ok (the caller DENIES): %s, with a precise reason [C35]",
    async (code, tokens, now, reason) => {
      const r = await createIdentityVerifier(options).verify(await tokens(), now);
      expect(r).toMatchObject({ ok: false, code });
      expect(r.ok ? "" : r.reason).toMatch(reason);
    },
  );

  it("R6: revocation by assertion id or by subject, also at revalidation [C36]", async () => {
    const token = await human();
    const jti = JSON.parse(atob(token.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/"))).jti as string;
    expect(
      await createIdentityVerifier({ ...options, revoked: { jti: [jti] } }).verify([token], NOW),
    ).toMatchObject({ ok: false, code: "revoked" });
    const v = createIdentityVerifier(options);
    const first = await v.verify([token], NOW);
    expect(first.ok).toBe(true);
    v.revoke({ sub: "alice@corp.example" });
    expect(await v.revalidate(first as VerifiedIdentity, NOW + 1000)).toMatchObject({
      ok: false,
      code: "revoked",
      reason: expect.stringMatching(/subject alice@corp\.example is revoked/),
    });
  });

  it("R6: flag mode is opt-in: the identity is kept, marked unverified with the reason", async () => {
    const expired = [await human()];
    const later = NOW + 2 * 3_600_000;
    expect(await createIdentityVerifier(options).verify(expired, later)).toMatchObject({ ok: false });
    const r = await createIdentityVerifier({ ...options, mode: "flag" }).verify(expired, later);
    expect(r).toMatchObject({
      ok: true,
      status: "unverified",
      identity: { human: "alice@corp.example" },
      receiptIdentity: { status: "unverified", reason: expect.stringMatching(/expired/) },
    });
  });

  it("R6: Submit from different principals and sessions → receipts correctly attribute identity including role/privilege scope [T17] [C33]", async () => {
    const v = createIdentityVerifier(options);
    const alice = (await v.verify([await human()], NOW)) as VerifiedIdentity;
    const bob = (await v.verify(
      [await human("bob@corp.example", { role: "auditor", scopes: ["bank:audit"] })],
      NOW,
    )) as VerifiedIdentity;
    const keys = generateKeyPair();
    const sink = memorySink();
    const w = createReceiptWriter({ signer: await createSigner(keys), sink });
    await w.write(
      sampleDraft(0, { identity: alice.receiptIdentity, context: { session: "s-alice", logHead: "h1" } }),
    );
    await w.write(
      sampleDraft(1, { identity: bob.receiptIdentity, context: { session: "s-bob", logHead: "h2" } }),
    );
    const r = await verifyReceiptText(
      sink
        .lines()
        .map((l) => `${l}\n`)
        .join(""),
      { keys: new Map([[keys.keyId, keys]]) },
    );
    expect(r.valid).toBe(true);
    expect(
      r.entries.map((e) => [e.context.session, e.identity.human, e.identity.role, e.identity.scopes]),
    ).toEqual([
      ["s-alice", "alice@corp.example", "teller", ["bank:read"]],
      ["s-bob", "bob@corp.example", "auditor", ["bank:audit"]],
    ]);
  });

  it("R6: Defer action, then resolve → original identity preserved in resolution receipt, re-validated before it runs [T18] [C34] [C36]", async () => {
    const v = createIdentityVerifier(options);
    const atSubmission = (await v.verify([await human(), await agent()], NOW)) as VerifiedIdentity;
    const keys = generateKeyPair();
    const sink = memorySink();
    const w = createReceiptWriter({ signer: await createSigner(keys), sink });
    const deferred = sampleDraft(4, { identity: atSubmission.receiptIdentity });
    await w.write(deferred);
    // Resolution five minutes later: the identity captured at submission is re-validated, then recorded as is.
    const again = await v.revalidate(atSubmission, NOW + 300_000);
    expect(again.ok).toBe(true);
    await w.write({
      ...deferred,
      kind: "deferral",
      deferral: {
        ...deferred.deferral!,
        resolution: { method: "context", time: NOW + 300_000, result: "ALLOW" },
      },
    });
    expect(sink.entries[1]!.receipt.identity).toEqual(sink.entries[0]!.receipt.identity);
    // Past the agent assertion's expiry the delayed action may not run.
    expect(await v.revalidate(atSubmission, NOW + 700_000)).toMatchObject({ ok: false, code: "expired" });
  });
});
