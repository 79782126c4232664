/**
 * A small policy with a read-only tool (MCP readOnlyHint), a write tool and a tool with no annotation, a
 * controllable clock, and an issuer and a verifier that share one receipt chain — what the credential tests need.
 */
import { compileSource } from "../../../compiler/compile.js";
import { memoryHost } from "../../../compiler/host.js";
import { makeSource } from "../../../language/source.js";
import { loadPolicy, type Policy } from "../../api.js";
import { createSigner, generateKeyPair } from "../../crypto/ed25519.js";
import { createReceiptWriter } from "../../receipts/writer.js";
import { memorySink } from "../../receipts/sink.js";
import { createCredentialIssuer, type CredentialIssuerOptions } from "../issuer.js";
import { createCredentialVerifier, type CredentialVerifierOptions } from "../verifier.js";

const object = (properties: Record<string, object>) => ({
  type: "object",
  properties,
  required: Object.keys(properties),
  additionalProperties: false,
});

export const TOOLS = {
  tools: [
    {
      name: "db.query",
      annotations: { readOnlyHint: true },
      inputSchema: object({ sql: { type: "string" }, limit: { type: "integer" } }),
    },
    {
      name: "db.update",
      annotations: { destructiveHint: true },
      inputSchema: object({ sql: { type: "string" } }),
    },
    { name: "email.send", inputSchema: object({ to: { type: "string" }, body: { type: "string" } }) },
    { name: "db.drop", inputSchema: object({ table: { type: "string" } }) },
  ],
};

export const POLICY = `policy "ledger" version "2.0.0"
default deny
tools from "tools.json"
@id("cap") modify db.query when args.limit > 10 { cap args.limit at 10 }
@id("no-drop") forbid db.drop because "never"
allow db.query, db.update, email.send
`;

export const T0 = Date.UTC(2025, 0, 15, 10, 30, 0);

export function compilePolicy(clock: () => number): Policy {
  const r = compileSource(
    makeSource("policy.aarm", POLICY),
    memoryHost({ "policy.aarm": POLICY, "tools.json": JSON.stringify(TOOLS) }),
  );
  if (!r.ir) throw new Error(r.diagnostics.map((d) => d.message).join("\n"));
  return loadPolicy(r.ir, { clock });
}

export async function credentialSetup(
  issuerOptions: Partial<CredentialIssuerOptions> = {},
  verifierOptions: Partial<CredentialVerifierOptions> = {},
) {
  const clock = { now: T0 };
  const policy = compilePolicy(() => clock.now);
  const session = policy.openSession({ identity: { human: "alice@corp.example", agent: "ledger-bot" } });
  const keys = generateKeyPair();
  const signer = await createSigner(keys);
  const receiptKeys = generateKeyPair();
  const sink = memorySink();
  const receipts = createReceiptWriter({ signer: await createSigner(receiptKeys), sink });
  const issuer = createCredentialIssuer({ signer, receipts, ...issuerOptions });
  const verifier = createCredentialVerifier({
    keys: [keys],
    receipts,
    clock: () => clock.now,
    ...verifierOptions,
  });
  return { clock, policy, session, keys, signer, sink, receipts, receiptKeys, issuer, verifier };
}
