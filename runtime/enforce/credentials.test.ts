/**
 * The Enforcer mints a just-in-time credential for every action it runs (AARM R9) and hands it to the tool; a
 * credential that cannot be minted DENIES the action. The tool server's side checks it with verifyCredential.
 */
import { describe, expect, it } from "vitest";
import { createSigner, generateKeyPair } from "../crypto/ed25519.js";
import {
  createCredentialIssuer,
  createCredentialVerifier,
  type CredentialIssuer,
} from "../credentials/index.js";
import type { ReceiptWriter } from "../receipts/draft.js";
import { ENFORCEMENT_POLICY, enforcementFixture } from "./test-support/fixture.js";
import type { ToolGrant } from "./types.js";

const alice = { sub: "alice@corp.example", kind: "human" as const };

describe("Enforcer with a credential issuer", () => {
  it("R9 the tool receives a credential scoped to exactly this action; the server accepts it once, for its tool only", async () => {
    const keys = generateKeyPair();
    let receipts!: ReceiptWriter;
    const f = await enforcementFixture({
      policyFile: ENFORCEMENT_POLICY,
      credentialsFrom: async (writer, clock) => {
        receipts = writer;
        return createCredentialIssuer({ signer: await createSigner(keys), receipts: writer, clock });
      },
    });
    const server = createCredentialVerifier({ keys: [keys], receipts, clock: f.now });
    const s = await f.enforcer.openSession({
      assertions: [await f.assertion(alice)],
      request: "look up c-17",
    });
    const grants: ToolGrant[] = [];
    const o = await s.perform(
      { tool: "crm.lookup", args: { customer: "c-17" } },
      async (args, action, grant) => {
        grants.push(grant);
        const use = await server.verifyCredential(grant.credential!.token, {
          tool: action.tool,
          operation: "read",
          args,
        });
        return use.ok ? { name: "Ann" } : { refused: use.code };
      },
    );
    expect(o).toMatchObject({ effect: "ALLOW", ran: true, output: { name: "Ann" } });
    const credential = grants[0]!.credential!;
    expect(credential.tool).toBe("crm.lookup");
    expect(credential.expiresAt).toBeGreaterThan(f.now());
    // Used once already: a replay, another tool, or other arguments are refused.
    expect(
      await server.verifyCredential(credential.token, { tool: "crm.lookup", operation: "read" }),
    ).toMatchObject({
      ok: false,
    });
    expect(
      await server.verifyCredential(credential.token, { tool: "email.send", operation: "write" }),
    ).toMatchObject({ ok: false });
    const kinds = f.receipts().map((r) => r.kind);
    expect(kinds).toEqual(["decision", "credential", "credential", "outcome", "credential", "credential"]);
    expect((await f.verify()).valid).toBe(true);
  });

  it("R9 fail closed: when no credential can be minted, the action is DENIED and the tool never runs", async () => {
    const broken: CredentialIssuer = {
      keyId: "ed25519:0000000000000000",
      issuer: "aarm",
      mint: () => Promise.reject(new Error("the signing key is unreadable")),
    };
    const f = await enforcementFixture({
      policyFile: ENFORCEMENT_POLICY,
      credentialsFrom: async () => broken,
    });
    const s = await f.enforcer.openSession({ assertions: [await f.assertion(alice)] });
    const o = await s.perform({ tool: "crm.lookup", args: { customer: "c-17" } }, f.tool({ name: "Ann" }));
    expect(o).toMatchObject({ effect: "DENY", ran: false, stage: "credential" });
    expect(o.reasons.join(" ")).toMatch(/no credential could be minted .*the signing key is unreadable/);
    expect(f.calls).toHaveLength(0);
    expect(f.receipts().map((r) => [r.kind, r.decision.result])).toEqual([
      ["decision", "ALLOW"],
      ["decision", "DENY"],
    ]);
    expect((await f.verify()).valid).toBe(true);
  });
});
