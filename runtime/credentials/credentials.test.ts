import { describe, expect, it } from "vitest";
import { createSigner, generateKeyPair, toBase64Url } from "../crypto/ed25519.js";
import { issueAssertion } from "../identity/claims.js";
import { signJws } from "../identity/jws.js";
import { callbackSink } from "../receipts/sink.js";
import { createReceiptWriter } from "../receipts/writer.js";
import { verifyReceiptLines } from "../receipts/verify.js";
import { CREDENTIAL_TYP } from "./claims.js";
import { CredentialError } from "./issuer.js";
import { operationsFor } from "./scope.js";
import { credentialSetup, T0 } from "./test-support/setup.js";

describe("credential scope", () => {
  const catalogue = {
    tools: { "db.query": { readOnly: true }, "db.update": { readOnly: false }, "crm.x": { readOnly: false } },
  };
  it("a read-only tool gets read; others read and write; unknown tools nothing", () => {
    expect(operationsFor("db.query", catalogue)).toEqual(["read"]);
    expect(operationsFor("db.update", catalogue)).toEqual(["read", "write"]);
    expect(operationsFor("db.nothing", catalogue)).toBeNull();
  });
  it("the explicit map wins over the annotation; exact over pattern; longer pattern over shorter", () => {
    expect(operationsFor("db.update", catalogue, { "db.*": "read" })).toEqual(["read"]);
    expect(operationsFor("db.query", catalogue, { "db.*": ["write"], "db.query": "read" })).toEqual(["read"]);
    expect(operationsFor("crm.x", catalogue, { "*": "read", "crm.*": "write" })).toEqual(["write"]);
    expect(operationsFor("crm.x", catalogue, { "cr.*": "read" })).toEqual(["read", "write"]);
  });
});

describe("minting", () => {
  it("an ALLOW mints a signed, receipted credential bound to the action, session and arguments", async () => {
    const { session, issuer, sink, receiptKeys } = await credentialSetup();
    const d = session.decide({ tool: "email.send", args: { to: "bob@corp.example", body: "hi" } });
    expect(d.effect).toBe("ALLOW");
    const c = await issuer.mint(d, session);
    expect(c.operations).toEqual(["read", "write"]);
    expect(c.expiresAt).toBe(T0 + 60_000);
    expect(c.maxUses).toBe(1);
    const [h, p] = c.token.split(".");
    expect(JSON.parse(atob(h!.replace(/-/g, "+").replace(/_/g, "/")))).toMatchObject({
      alg: "EdDSA",
      typ: CREDENTIAL_TYP,
      kid: issuer.keyId,
    });
    const claims = JSON.parse(
      new TextDecoder().decode(
        Uint8Array.from(atob(p!.replace(/-/g, "+").replace(/_/g, "/")), (ch) => ch.charCodeAt(0)),
      ),
    );
    expect(claims).toMatchObject({
      sid: session.id,
      act: d.action.id,
      tool: "email.send",
      sub: "alice@corp.example",
      knd: "human",
      agt: "ledger-bot",
      eff: "ALLOW",
    });
    const r = sink.entries.at(-1)!.receipt;
    expect(r.kind).toBe("credential");
    expect(r.action).toMatchObject({ id: d.action.id, tool: "email.send", parametersHash: claims.arg });
    expect(r.action.parameters).toBeUndefined();
    expect(r.details).toMatchObject({
      credential: { event: "issued", jti: c.jti, operations: ["read", "write"], expiresAt: T0 + 60_000 },
    });
    const v = await verifyReceiptLines(sink.lines(), { keys: new Map([[receiptKeys.keyId, receiptKeys]]) });
    expect(v.valid).toBe(true);
  });

  it("a MODIFY binds the modified arguments", async () => {
    const { session, issuer, verifier } = await credentialSetup();
    const d = session.decide({ tool: "db.query", args: { sql: "select 1", limit: 500 } });
    expect(d.effect).toBe("MODIFY");
    const c = await issuer.mint(d, session);
    const wrong = await verifier.verifyCredential(c.token, {
      tool: "db.query",
      operation: "read",
      args: { sql: "select 1", limit: 500 },
    });
    expect(wrong).toMatchObject({ ok: false, code: "wrong_arguments" });
    const c2 = await issuer.mint(d, session);
    const right = await verifier.verifyCredential(c2.token, {
      tool: "db.query",
      operation: "read",
      args: { limit: 10, sql: "select 1" },
    });
    expect(right.ok).toBe(true);
  });

  it.each([
    ["DENY", { tool: "db.drop", args: { table: "t" } }],
    ["DENY", { tool: "nope", args: {} }],
  ])("a %s decision gets no credential and no receipt", async (_effect, action) => {
    const { session, issuer, sink } = await credentialSetup();
    const d = session.decide(action);
    await expect(issuer.mint(d, session)).rejects.toMatchObject({ code: "not_allowed" });
    expect(sink.entries).toHaveLength(0);
  });

  it("a decision of another session is refused", async () => {
    const { session, policy, issuer } = await credentialSetup();
    const other = policy.openSession({ identity: { human: "mallory@corp.example" } });
    const d = other.decide({ tool: "email.send", args: { to: "x", body: "y" } });
    await expect(issuer.mint(d, session)).rejects.toMatchObject({ code: "wrong_session" });
  });

  it("narrowing: a write tool's credential can be minted read-only, never wider", async () => {
    const { session, issuer } = await credentialSetup();
    const d = session.decide({ tool: "db.update", args: { sql: "update t set a=1" } });
    expect((await issuer.mint(d, session, { operations: ["read"] })).operations).toEqual(["read"]);
    const q = session.decide({ tool: "db.query", args: { sql: "s", limit: 1 } });
    await expect(issuer.mint(q, session, { operations: ["write"] })).rejects.toMatchObject({
      code: "invalid_request",
    });
  });

  it("a receipt store that fails means no credential (fail closed)", async () => {
    const { session, signer } = await credentialSetup();
    const receipts = createReceiptWriter({
      signer,
      sink: callbackSink(() => {
        throw new Error("disk full");
      }),
    });
    const { createCredentialIssuer } = await import("./issuer.js");
    const issuer = createCredentialIssuer({ signer, receipts });
    const d = session.decide({ tool: "email.send", args: { to: "x", body: "y" } });
    const e = await issuer.mint(d, session).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CredentialError);
    expect((e as CredentialError).code).toBe("receipt");
    expect((e as Error).message).toContain("disk full");
  });

  it("invalid options are refused at creation", async () => {
    const { signer, receipts } = await credentialSetup();
    const { createCredentialIssuer } = await import("./issuer.js");
    expect(() => createCredentialIssuer({ signer, receipts, ttlMs: 10 })).toThrow(/ttlMs/);
    expect(() => createCredentialIssuer({ signer, receipts, operations: { x: "delete" as never } })).toThrow(
      /operations.x/,
    );
  });
});

describe("verifying", () => {
  async function minted(
    tool = "db.query",
    args: Record<string, unknown> = { sql: "s", limit: 1 },
    opts = {},
  ) {
    const s = await credentialSetup(opts);
    const d = s.session.decide({ tool, args });
    return { ...s, d, c: await s.issuer.mint(d, s.session) };
  }

  it("accepts a use within scope, once, and receipts it", async () => {
    const { verifier, c, sink } = await minted();
    const ok = await verifier.verifyCredential(c.token, { tool: "db.query", operation: "read" });
    expect(ok).toMatchObject({ ok: true, use: 1 });
    expect(sink.entries.at(-1)!.receipt.details).toMatchObject({
      credential: { event: "used", use: 1, jti: c.jti },
    });
    const again = await verifier.verifyCredential(c.token, { tool: "db.query", operation: "read" });
    expect(again).toMatchObject({ ok: false, code: "replayed" });
    expect(sink.entries.at(-1)!.receipt.details).toMatchObject({
      credential: { event: "rejected", code: "replayed" },
    });
    expect(sink.entries.at(-1)!.receipt.decision.result).toBe("DENY");
  });

  it("maxUses allows exactly that many uses, also under concurrent calls", async () => {
    const { verifier, c } = await minted("db.query", { sql: "s", limit: 1 }, { maxUses: 3 });
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        verifier.verifyCredential(c.token, { tool: "db.query", operation: "read" }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(3);
    expect(results.filter((r) => !r.ok && r.code === "replayed")).toHaveLength(5);
  });

  it("refuses another tool, expiry, not-yet-valid, revocation", async () => {
    const { verifier, c, clock } = await minted("email.send", { to: "a", body: "b" }, { maxUses: 5 });
    expect(await verifier.verifyCredential(c.token, { tool: "db.update", operation: "write" })).toMatchObject(
      { code: "wrong_tool" },
    );
    expect(
      await verifier.verifyCredential(c.token, { tool: "email.send", operation: "write", now: T0 - 60_000 }),
    ).toMatchObject({ code: "not_yet_valid" });
    clock.now = T0 + 60_000 + 5_000; // exactly at the edge of the skew allowance: still valid
    expect((await verifier.verifyCredential(c.token, { tool: "email.send", operation: "write" })).ok).toBe(
      true,
    );
    clock.now += 1;
    expect(
      await verifier.verifyCredential(c.token, { tool: "email.send", operation: "write" }),
    ).toMatchObject({ code: "expired" });
    clock.now = T0;
    verifier.revoke(c.jti);
    expect(
      await verifier.verifyCredential(c.token, { tool: "email.send", operation: "write" }),
    ).toMatchObject({ code: "revoked" });
  });

  it("refuses an unknown key, a bad signature, a forged payload, an identity assertion, and malformed input", async () => {
    const { verifier, c, signer } = await minted();
    const use = { tool: "db.query", operation: "read" } as const;
    const [h, p, s] = c.token.split(".") as [string, string, string];
    const other = await createSigner(generateKeyPair());
    const claims = JSON.parse(
      new TextDecoder().decode(
        Uint8Array.from(atob(p.replace(/-/g, "+").replace(/_/g, "/")), (ch) => ch.charCodeAt(0)),
      ),
    ) as Record<string, unknown>;
    expect(await verifier.verifyCredential(await signJws(other, CREDENTIAL_TYP, claims), use)).toMatchObject({
      code: "unknown_key",
    });
    const flipped = s[0] === "A" ? `B${s.slice(1)}` : `A${s.slice(1)}`;
    expect(await verifier.verifyCredential(`${h}.${p}.${flipped}`, use)).toMatchObject({
      code: "bad_signature",
    });
    const widened = toBase64Url(
      new TextEncoder().encode(JSON.stringify({ ...claims, ops: ["read", "write"] })),
    );
    expect(
      await verifier.verifyCredential(`${h}.${widened}.${s}`, { ...use, operation: "write" }),
    ).toMatchObject({ code: "bad_signature" });
    const identity = await issueAssertion(signer, { iss: "aarm", sub: "alice", kind: "human" });
    expect(await verifier.verifyCredential(identity, use)).toMatchObject({ code: "malformed" });
    expect(await verifier.verifyCredential("not a token", use)).toMatchObject({ code: "malformed" });
    expect(
      await verifier.verifyCredential(c.token, { tool: "db.query", operation: "delete" as never }),
    ).toMatchObject({ code: "invalid_request" });
    expect(await verifier.verifyCredential(c.token, null as never)).toMatchObject({
      code: "invalid_request",
    });
    const signedBadClaims = await signJws(signer, CREDENTIAL_TYP, { ...claims, uses: 0 });
    expect(await verifier.verifyCredential(signedBadClaims, use)).toMatchObject({ code: "invalid_claims" });
  });

  it("refuses another issuer's credentials", async () => {
    const { verifier, c } = await minted("db.query", { sql: "s", limit: 1 }, { issuer: "elsewhere" });
    expect(await verifier.verifyCredential(c.token, { tool: "db.query", operation: "read" })).toMatchObject({
      code: "wrong_issuer",
    });
  });

  it("a use whose receipt cannot be written is refused (unrecorded)", async () => {
    const s = await credentialSetup();
    const d = s.session.decide({ tool: "db.query", args: { sql: "s", limit: 1 } });
    const c = await s.issuer.mint(d, s.session);
    const { createCredentialVerifier } = await import("./verifier.js");
    const broken = createReceiptWriter({
      signer: s.signer,
      sink: callbackSink(() => Promise.reject(new Error("sink down"))),
    });
    const v = createCredentialVerifier({ keys: [s.keys], receipts: broken, clock: () => s.clock.now });
    expect(await v.verifyCredential(c.token, { tool: "db.query", operation: "read" })).toMatchObject({
      ok: false,
      code: "unrecorded",
    });
  });

  it("key rotation: a verifier that trusts old and new keys accepts both", async () => {
    const s = await credentialSetup();
    const next = generateKeyPair();
    const { createCredentialIssuer } = await import("./issuer.js");
    const { createCredentialVerifier } = await import("./verifier.js");
    const newIssuer = createCredentialIssuer({ signer: await createSigner(next), receipts: s.receipts });
    const v = createCredentialVerifier({
      keys: [s.keys, next],
      receipts: s.receipts,
      clock: () => s.clock.now,
    });
    const a = await s.issuer.mint(
      s.session.decide({ tool: "db.query", args: { sql: "a", limit: 1 } }),
      s.session,
    );
    const b = await newIssuer.mint(
      s.session.decide({ tool: "db.query", args: { sql: "b", limit: 1 } }),
      s.session,
    );
    expect((await v.verifyCredential(a.token, { tool: "db.query", operation: "read" })).ok).toBe(true);
    expect((await v.verifyCredential(b.token, { tool: "db.query", operation: "read" })).ok).toBe(true);
  });
});
