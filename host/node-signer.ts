/**
 * Node edge: an Ed25519 signer on Node's own crypto (OpenSSL), signing synchronously on the calling thread.
 * WebCrypto's sign() runs each signature as a job on libuv's thread pool; a receipt chain signs one receipt after
 * another (each receipt covers the previous one's signature), so that round trip bounds the receipts per second.
 * sign() returns the signature itself (not a promise), so the receipt writer completes a receipt without leaving
 * the calling turn; it throws when OpenSSL refuses. Signatures are identical (Ed25519 is deterministic), so
 * receipts verify the same way.
 */
import { createPrivateKey, sign } from "node:crypto";
import type { KeyPair, Signer } from "../runtime/crypto/ed25519.js";

// PKCS#8 prefix for a raw Ed25519 seed (RFC 8410).
const PKCS8_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");

/** A synchronous signer: sign() returns the signature or throws. */
export interface SyncSigner extends Signer {
  sign(message: Uint8Array): Uint8Array;
}

/** A signer over a key pair using node:crypto. Throws if Node refuses the key. */
export function nodeSigner(keys: KeyPair): SyncSigner {
  const key = createPrivateKey({
    key: Buffer.concat([PKCS8_PREFIX, keys.secretKey]),
    format: "der",
    type: "pkcs8",
  });
  return {
    keyId: keys.keyId,
    publicKey: keys.publicKey,
    sign: (message) => new Uint8Array(sign(null, message, key)),
  };
}
