/**
 * SHA-256 for the hash chains (context log, receipts, parameter hashes): synchronous and portable by default
 * (@noble/hashes, audited, no Node-only API), so the decision path runs in any JavaScript host. A host with a
 * native SHA-256 installs it once at start-up (host/node-crypto.ts installs node:crypto's, several times faster
 * on the ~1 KB of a receipt); the digest is the same, and an implementation that does not reproduce the known
 * answers below is refused.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";

/** Lower-case hex SHA-256 of a string's UTF-8 bytes (a lone surrogate encodes as U+FFFD, as TextEncoder does). */
export type Sha256Hex = (text: string) => string;

/** Lower-case hex SHA-256 of bytes (bundle files: megabytes for a large policy). */
export type Sha256BytesHex = (bytes: Uint8Array) => string;

/** The portable implementation. */
export const portableSha256Hex: Sha256Hex = (text) => bytesToHex(sha256(utf8ToBytes(text)));

/** The portable implementation, of bytes. */
export const portableSha256BytesHex: Sha256BytesHex = (bytes) => bytesToHex(sha256(bytes));

let current: Sha256Hex = portableSha256Hex;
let currentBytes: Sha256BytesHex = portableSha256BytesHex;

/** Hex SHA-256 of a string's UTF-8 bytes, with the installed implementation. */
export function sha256Hex(text: string): string {
  return current(text);
}

/** Hex SHA-256 of bytes, with the installed implementation. */
export function sha256BytesHex(bytes: Uint8Array): string {
  return currentBytes(bytes);
}

/** Inputs whose digests an installed implementation must reproduce: empty, ASCII, multi-byte, a lone surrogate. */
const KNOWN = ["", "abc", "rent ✓ — 日本 𝄞", "a\ud800b", "x".repeat(1000)];

/** What an implementation gives for an input, or the error naming its failure. */
function answer<T>(native: (x: T) => string, x: T): unknown {
  try {
    return native(x);
  } catch (e) {
    throw new Error(`the SHA-256 implementation failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * Use `native` for every later sha256Hex call, and `nativeBytes` for every later sha256BytesHex call (the portable
 * one when it is not given); null goes back to the portable ones. Throws, and keeps the current implementations, if
 * either does not give the portable implementation's digests.
 */
export function installSha256(native: Sha256Hex | null, nativeBytes?: Sha256BytesHex): void {
  if (native === null) {
    current = portableSha256Hex;
    currentBytes = portableSha256BytesHex;
    return;
  }
  for (const text of KNOWN) {
    const want = portableSha256Hex(text);
    const got = answer(native, text);
    if (got !== want)
      throw new Error(
        `the SHA-256 implementation gives ${String(got)} for ${JSON.stringify(text)}, not ${want}`,
      );
    const gotBytes = nativeBytes ? answer(nativeBytes, utf8ToBytes(text)) : want;
    if (gotBytes !== want)
      throw new Error(
        `the SHA-256 implementation of bytes gives ${String(gotBytes)} for ${JSON.stringify(text)}, not ${want}`,
      );
  }
  current = native;
  currentBytes = nativeBytes ?? portableSha256BytesHex;
}

/** Whether a native implementation is installed. */
export function nativeSha256Installed(): boolean {
  return current !== portableSha256Hex;
}
