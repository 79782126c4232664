/**
 * node:crypto's SHA-256 gives the portable implementation's digests, so logs and receipts hashed by a Node host
 * verify anywhere; a wrong implementation is refused when installed. Receipts written on the fast path (native
 * hash, synchronous node:crypto signer) verify with the portable verifier, and a tampered one does not.
 */
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { verifySignature } from "../runtime/crypto/ed25519.js";
import { generateKeyPair } from "../runtime/crypto/ed25519.js";
import {
  installSha256,
  nativeSha256Installed,
  portableSha256BytesHex,
  portableSha256Hex,
  sha256BytesHex,
  sha256Hex,
} from "../runtime/crypto/sha256.js";
import { canonicalJson } from "../runtime/session/canonical-json.js";
import { memorySink, signedBytes, verifyReceiptText } from "../runtime/receipts/index.js";
import { createReceiptWriter } from "../runtime/receipts/writer.js";
import { sampleDraft } from "../runtime/receipts/test-support/drafts.js";
import { installNodeCrypto, nodeSha256BytesHex, nodeSha256Hex } from "./node-crypto.js";
import { nodeSigner } from "./node-signer.js";

afterEach(() => installSha256(null));

describe("node:crypto SHA-256", () => {
  it("gives the portable digests for any string, lone surrogates included", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (s) => {
        expect(nodeSha256Hex(s)).toBe(portableSha256Hex(s));
      }),
      { numRuns: 500 },
    );
  });

  it("installs, and a wrong implementation is refused (the current one stays)", () => {
    installNodeCrypto();
    expect(nativeSha256Installed()).toBe(true);
    expect(sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    installSha256(null);
    expect(() => installSha256((t) => nodeSha256Hex(`${t} `))).toThrow(/gives .* not /);
    expect(() =>
      installSha256(() => {
        throw new Error("no OpenSSL");
      }),
    ).toThrow("the SHA-256 implementation failed: no OpenSSL");
    expect(nativeSha256Installed()).toBe(false);
  });

  it("gives the portable digests of any bytes, and a wrong bytes implementation is refused with the string one", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), (b) => {
        expect(nodeSha256BytesHex(b)).toBe(portableSha256BytesHex(b));
      }),
      { numRuns: 300 },
    );
    const big = new Uint8Array(5_000_000).map((_, i) => (i * 7) & 255);
    expect(nodeSha256BytesHex(big)).toBe(portableSha256BytesHex(big));
    installNodeCrypto();
    expect(sha256BytesHex(new TextEncoder().encode("abc"))).toBe(
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    );
    installSha256(null);
    expect(() => installSha256(nodeSha256Hex, (b) => nodeSha256BytesHex(b.subarray(1)))).toThrow(
      /implementation of bytes gives .* not /,
    );
    expect(() =>
      installSha256(nodeSha256Hex, () => {
        throw new Error("no OpenSSL");
      }),
    ).toThrow("the SHA-256 implementation failed: no OpenSSL");
    expect(nativeSha256Installed()).toBe(false);
    expect(sha256BytesHex(big)).toBe(portableSha256BytesHex(big));
  });
});

describe("receipts on the fast path", () => {
  it("R5 [T14] [C31] [C32] written with node:crypto (hash and signature) verify with the portable verifier; tampered ones do not", async () => {
    installNodeCrypto();
    const keys = generateKeyPair();
    const sink = memorySink();
    const w = createReceiptWriter({ signer: nodeSigner(keys), sink });
    for (let i = 0; i < 10; i++) await w.write(sampleDraft(i));
    installSha256(null); // verify as a host without node:crypto would
    const keyMap = new Map([[keys.keyId, keys]]);
    const text = (lines: readonly string[]) => lines.map((l) => `${l}\n`).join("");
    expect(await verifyReceiptText(text(sink.lines()), { keys: keyMap })).toMatchObject({
      valid: true,
      receipts: 10,
    });
    for (const { receipt, line } of sink.entries) {
      expect(line).toBe(canonicalJson(receipt));
      const sig = Uint8Array.from(Buffer.from(receipt.sig.value, "base64url"));
      expect(verifySignature(sig, signedBytes(receipt), keys.publicKey)).toBe(true); // pure JS
    }
    const tampered = sink.lines();
    const r = JSON.parse(tampered[4]!) as { decision: { reasons: string[] } };
    r.decision.reasons = ["approved"];
    tampered[4] = canonicalJson(r);
    expect((await verifyReceiptText(text(tampered), { keys: keyMap })).firstError).toMatchObject({
      line: 5,
      problem: "signature",
    });
  });
});
