/**
 * AARM R9 (least privilege): "Just-in-time credential issuance with minimal validity period; operation-specific
 * scoping (e.g. read-only for query operations); credential usage logged for audit." Verification: "Submit read
 * operation, verify issued credential cannot perform writes." Run on examples/aarm-reference, whose
 * database.query carries MCP `readOnlyHint: true` and whose email.send has no annotation (so it may write).
 */
import { describe, expect, it } from "vitest";
import { compileFile } from "../../index.js";
import {
  createCredentialIssuer,
  createCredentialVerifier,
  createReceiptWriter,
  createSigner,
  DEFAULT_CREDENTIAL_TTL_MS,
  generateKeyPair,
  loadPolicy,
  memorySink,
  verifyReceiptLines,
} from "../../runtime/index.js";
import { example, T0 } from "../scenarios/harness.js";

async function setup() {
  const compiled = compileFile(example("aarm-reference"));
  if (!compiled.ir) throw new Error("examples/aarm-reference does not compile");
  const clock = { now: T0 };
  const policy = loadPolicy(compiled.ir, { clock: () => clock.now });
  const session = policy.openSession({
    identity: { human: "alice@corp.example", agent: "support-bot", role: "analyst" },
    request: "how many customers signed up last week?",
  });
  const credentialKeys = generateKeyPair();
  const receiptKeys = generateKeyPair();
  const sink = memorySink();
  const receipts = createReceiptWriter({ signer: await createSigner(receiptKeys), sink });
  const issuer = createCredentialIssuer({ signer: await createSigner(credentialKeys), receipts });
  // The tool server's side: it trusts the credential key and logs uses to the same receipt chain.
  const verifier = createCredentialVerifier({ keys: [credentialKeys], receipts, clock: () => clock.now });
  const audit = () => verifyReceiptLines(sink.lines(), { keys: new Map([[receiptKeys.keyId, receiptKeys]]) });
  return { clock, session, issuer, verifier, sink, audit };
}

describe("R9 least privilege: just-in-time credentials", () => {
  it("[T21] [C40] [R9.2] R9 submit read operation → the issued credential cannot perform writes", async () => {
    const { session, issuer, verifier } = await setup();
    const read = session.decide({
      tool: "database.query",
      args: { sql: "SELECT count(*) FROM signups", limit: 10 },
    });
    expect(read.effect).toBe("ALLOW");
    const credential = await issuer.mint(read, session);
    expect(credential.operations).toEqual(["read"]);
    const write = await verifier.verifyCredential(credential.token, {
      tool: "database.query",
      operation: "write",
    });
    expect(write).toMatchObject({ ok: false, code: "wrong_operation" });
    // Nor can it be carried over to a tool that writes.
    const elsewhere = await verifier.verifyCredential(credential.token, {
      tool: "email.send",
      operation: "write",
    });
    expect(elsewhere).toMatchObject({ ok: false, code: "wrong_tool" });
    // The read it was issued for is accepted.
    expect(
      await verifier.verifyCredential(credential.token, { tool: "database.query", operation: "read" }),
    ).toMatchObject({ ok: true, use: 1 });
  });

  it("[C40] R9 a tool not declared read-only gets a credential that may write, still only for that tool", async () => {
    const { session, issuer, verifier } = await setup();
    const mail = session.decide({
      tool: "email.send",
      args: { to: ["team@corp.example"], subject: "s", body: "b" },
    });
    expect(mail.effect).toBe("ALLOW");
    const credential = await issuer.mint(mail, session);
    expect(credential.operations).toEqual(["read", "write"]);
    expect(
      (await verifier.verifyCredential(credential.token, { tool: "email.send", operation: "write" })).ok,
    ).toBe(true);
  });

  it("[C40] [R9.1] R9 the credential has a short validity and is refused after it", async () => {
    const { clock, session, issuer, verifier } = await setup();
    const read = session.decide({ tool: "database.query", args: { sql: "SELECT 1", limit: 1 } });
    const credential = await issuer.mint(read, session);
    expect(DEFAULT_CREDENTIAL_TTL_MS).toBe(60_000);
    expect(credential.expiresAt - T0).toBe(DEFAULT_CREDENTIAL_TTL_MS);
    clock.now = credential.expiresAt + 5_001; // past the 5 s clock-skew allowance
    expect(
      await verifier.verifyCredential(credential.token, { tool: "database.query", operation: "read" }),
    ).toMatchObject({
      ok: false,
      code: "expired",
    });
  });

  it("[C40] R9 a DENY, STEP_UP or DEFER gets no credential", async () => {
    const { session, issuer } = await setup();
    const denied = session.decide({ tool: "database.drop_table", args: { table: "users" } });
    expect(denied.effect).toBe("DENY");
    await expect(issuer.mint(denied, session)).rejects.toMatchObject({ code: "not_allowed" });
    const deferred = session.decide({ tool: "credentials.rotate", args: { target: "db-prod" } });
    expect(deferred.effect).toBe("DEFER");
    await expect(issuer.mint(deferred, session)).rejects.toMatchObject({ code: "not_allowed" });
  });

  it("[C40] [R9.3] R9 issuance and every use, accepted or refused, are logged in signed receipts that verify offline", async () => {
    const { session, issuer, verifier, sink, audit } = await setup();
    const read = session.decide({ tool: "database.query", args: { sql: "SELECT 1", limit: 1 } });
    const credential = await issuer.mint(read, session);
    await verifier.verifyCredential(credential.token, { tool: "database.query", operation: "read" });
    await verifier.verifyCredential(credential.token, { tool: "database.query", operation: "read" }); // replay
    await verifier.verifyCredential(credential.token, { tool: "database.query", operation: "write" });
    const events = sink.entries.map((e) => {
      const c = (e.receipt.details as { credential: { event: string; code?: string } }).credential;
      return [e.receipt.kind, e.receipt.action.id, c.event, c.code ?? null, e.receipt.decision.result];
    });
    expect(events).toEqual([
      ["credential", read.action.id, "issued", null, "ALLOW"],
      ["credential", read.action.id, "used", null, "ALLOW"],
      ["credential", read.action.id, "rejected", "replayed", "DENY"],
      ["credential", read.action.id, "rejected", "wrong_operation", "DENY"],
    ]);
    for (const e of sink.entries) {
      expect(e.receipt.context.session).toBe(session.id);
      expect(e.receipt.identity.human).toBe("alice@corp.example");
      expect(e.receipt.action.parameters).toBeUndefined();
    }
    expect((await audit()).valid).toBe(true);
  });
});
