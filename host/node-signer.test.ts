/**
 * The node:crypto signer makes exactly the signatures of the portable signers, so receipts and bundles it signs
 * verify everywhere.
 */
import { describe, expect, it } from "vitest";
import { createSigner, generateKeyPair, verifySignature } from "../runtime/crypto/ed25519.js";
import { nodeSigner } from "./node-signer.js";

describe("nodeSigner", () => {
  it("signs as WebCrypto and @noble/ed25519 do, and the signature verifies", async () => {
    const keys = generateKeyPair();
    const message = new TextEncoder().encode('{"seq":1,"prev":"0"}');
    const sig = nodeSigner(keys).sign(message); // synchronous: the signature itself
    expect(sig).toBeInstanceOf(Uint8Array);
    expect(sig).toEqual(await (await createSigner(keys, { backend: "noble" })).sign(message));
    expect(verifySignature(sig, message, keys.publicKey)).toBe(true);
    expect(nodeSigner(keys).keyId).toBe(keys.keyId);
  });

  it("refuses a key Node cannot read", () => {
    const keys = generateKeyPair();
    expect(() => nodeSigner({ ...keys, secretKey: new Uint8Array(5) })).toThrow();
  });
});
