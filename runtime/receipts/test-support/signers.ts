/**
 * A synchronous signer for tests: @noble/ed25519's sign() (pure JS), returning the signature itself as a host's
 * native signer does (host/node-signer.ts), so runtime tests exercise the writer's synchronous path.
 */
import * as noble from "@noble/ed25519";
import type { KeyPair, Signer } from "../../crypto/ed25519.js";
import "../../crypto/ed25519.js"; // sets noble's SHA-512

export function syncSigner(keys: KeyPair): Signer & { sign(message: Uint8Array): Uint8Array } {
  return { keyId: keys.keyId, publicKey: keys.publicKey, sign: (m) => noble.sign(m, keys.secretKey) };
}
