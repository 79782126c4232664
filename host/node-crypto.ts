/**
 * Node edge: node:crypto's SHA-256 (OpenSSL) for the runtime's hash chains — the context log, parameter hashes
 * and receipt hashes (runtime/crypto/sha256.ts). The `aarm` command and the benchmark install it at start-up;
 * an embedding Node host calls installNodeCrypto() once. Digests are those of the portable implementation
 * (checked when installing), so logs and receipts verify the same everywhere.
 */
import * as crypto from "node:crypto";
import { installSha256 } from "../runtime/crypto/sha256.js";

/** crypto.hash (Node ≥ 20.12): one call, no Hash object — about a third faster on a receipt than createHash. */
const oneShot = (
  crypto as { hash?: (algorithm: string, data: string | Uint8Array, encoding: "hex") => string }
).hash;

/** Hex SHA-256 of a string's UTF-8 bytes on node:crypto. */
export const nodeSha256Hex: (text: string) => string = oneShot
  ? (text) => oneShot("sha256", text, "hex")
  : (text) => crypto.createHash("sha256").update(text, "utf8").digest("hex");

/** Hex SHA-256 of bytes on node:crypto (bundle files; about nine times the portable speed on megabytes). */
export const nodeSha256BytesHex: (bytes: Uint8Array) => string = oneShot
  ? (bytes) => oneShot("sha256", bytes, "hex")
  : (bytes) => crypto.createHash("sha256").update(bytes).digest("hex");

/** Make the runtime hash with node:crypto from now on (idempotent). */
export function installNodeCrypto(): void {
  installSha256(nodeSha256Hex, nodeSha256BytesHex);
}
