/**
 * Node edge: node:crypto's SHA-256 (OpenSSL) for the runtime's hash chains — the context log, parameter hashes
 * and receipt hashes (runtime/crypto/sha256.ts). The `aarm` command and the benchmark install it at start-up;
 * an embedding Node host calls installNodeCrypto() once. Digests are those of the portable implementation
 * (checked when installing), so logs and receipts verify the same everywhere.
 */
import { createHash } from "node:crypto";
import { installSha256 } from "../runtime/crypto/sha256.js";

/** Hex SHA-256 of a string's UTF-8 bytes on node:crypto. */
export function nodeSha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** Make the runtime hash with node:crypto from now on (idempotent). */
export function installNodeCrypto(): void {
  installSha256(nodeSha256Hex);
}
