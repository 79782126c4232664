/**
 * What the signature and the chain cover: the signed bytes are the RFC 8785 canonical JSON of a receipt without
 * `sig`; a receipt's hash (the next receipt's `prev`) is the sha256 hex of its canonical JSON with `sig`, which is
 * exactly the line stored in a JSONL file.
 */
import { utf8ToBytes } from "@noble/hashes/utils.js";
import { canonicalJson } from "../session/canonical-json.js";
import { sha256Hex } from "../session/hash.js";
import type { Receipt } from "./schema.js";

/** The bytes a receipt's signature covers. */
export function signedBytes(receipt: Omit<Receipt, "sig"> | Receipt): Uint8Array {
  const { sig: _sig, ...rest } = receipt as Receipt;
  return utf8ToBytes(canonicalJson(rest));
}

/** A receipt as one JSONL line (without the newline): its canonical JSON. */
export function receiptLine(receipt: Receipt): string {
  return canonicalJson(receipt);
}

/** The hash the next receipt's `prev` holds: sha256 hex of the receipt's line. */
export function receiptHash(line: string): string {
  return sha256Hex(line);
}
