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

/** The portable implementation. */
export const portableSha256Hex: Sha256Hex = (text) => bytesToHex(sha256(utf8ToBytes(text)));

let current: Sha256Hex = portableSha256Hex;

/** Hex SHA-256 of a string's UTF-8 bytes, with the installed implementation. */
export function sha256Hex(text: string): string {
  return current(text);
}

/** Inputs whose digests an installed implementation must reproduce: empty, ASCII, multi-byte, a lone surrogate. */
const KNOWN = ["", "abc", "rent ✓ — 日本 𝄞", "a\ud800b", "x".repeat(1000)];

/**
 * Use `native` for every later sha256Hex call (pass null to go back to the portable one). Throws, and keeps the
 * current implementation, if `native` does not give the portable implementation's digests.
 */
export function installSha256(native: Sha256Hex | null): void {
  if (native === null) {
    current = portableSha256Hex;
    return;
  }
  for (const text of KNOWN) {
    const want = portableSha256Hex(text);
    let got: unknown;
    try {
      got = native(text);
    } catch (e) {
      throw new Error(`the SHA-256 implementation failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (got !== want)
      throw new Error(
        `the SHA-256 implementation gives ${String(got)} for ${JSON.stringify(text)}, not ${want}`,
      );
  }
  current = native;
}

/** Whether a native implementation is installed. */
export function nativeSha256Installed(): boolean {
  return current !== portableSha256Hex;
}
