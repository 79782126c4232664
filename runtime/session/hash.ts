/**
 * SHA-256 for hash chains: synchronous and portable (runtime/crypto/sha256.ts: @noble/hashes unless the host
 * installed a native implementation), so the decision path runs in any JavaScript host.
 */
import { sha256Hex } from "../crypto/sha256.js";
import { canonicalJson } from "./canonical-json.js";

export { sha256Hex };

/** Hex SHA-256 of a value's canonical JSON. */
export function hashJson(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}
