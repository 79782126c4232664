/**
 * SHA-256 for hash chains: synchronous and portable (@noble/hashes, audited, no Node-only API), so the decision
 * path runs in any JavaScript host.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";
import { canonicalJson } from "./canonical-json.js";

/** Hex SHA-256 of a string's UTF-8 bytes. */
export function sha256Hex(text: string): string {
  return bytesToHex(sha256(utf8ToBytes(text)));
}

/** Hex SHA-256 of a value's canonical JSON. */
export function hashJson(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}
