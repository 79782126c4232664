/**
 * What the signature and the chain cover: the signed bytes are the RFC 8785 canonical JSON of a receipt without
 * `sig`; a receipt's hash (the next receipt's `prev`) is the sha256 hex of its canonical JSON with `sig`, which is
 * exactly the line stored in a JSONL file.
 */
import { utf8ToBytes } from "@noble/hashes/utils.js";
import { sha256Hex } from "../crypto/sha256.js";
import { canonicalJson } from "../session/canonical-json.js";
import type { Receipt } from "./schema.js";

/** The bytes a receipt's signature covers (the definition: verification computes them this way). */
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

/**
 * A receipt without `sig`, serialised once for both uses: `signed` is its canonical JSON (what signedBytes
 * encodes) and line(sig) is the canonical JSON of the receipt with `sig` (what receiptLine gives). Canonical JSON
 * is `{` + the members sorted by key + `}`, so the `sig` member slots in between the members whose keys sort
 * before "sig" and those after; both halves come from canonicalJson itself.
 */
export interface SplitReceipt {
  readonly signed: string;
  line(sig: Receipt["sig"]): string;
}

export function splitReceipt(unsigned: Omit<Receipt, "sig">): SplitReceipt {
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  for (const key of Object.keys(unsigned)) {
    if (key === "sig") continue;
    (key < "sig" ? before : after)[key] = (unsigned as Record<string, unknown>)[key];
  }
  const head = canonicalJson(before).slice(0, -1); // "{" + members, or "{"
  const tail = canonicalJson(after).slice(1); // members + "}", or "}"
  const glue = head.length > 1 && tail.length > 1 ? "," : "";
  return {
    signed: head + glue + tail,
    line: (sig) =>
      `${head}${head.length > 1 ? "," : ""}"sig":${canonicalJson(sig)}${tail.length > 1 ? "," : ""}${tail}`,
  };
}
