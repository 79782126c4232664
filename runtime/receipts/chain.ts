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
 * encodes) and lineWithSig(split, sig) the canonical JSON of the receipt with `sig` (what receiptLine gives).
 * Canonical JSON is `{` + the members sorted by key + `}`, so the members whose keys sort after "sig" (`time` and
 * `v` in a receipt) end the signed text, and the `sig` member slots in just before them.
 */
export interface SplitReceipt {
  readonly signed: string;
  /** `signed` up to the members after "sig": "{", "{<members>" or "{<members>,". */
  readonly prefix: string;
  /** The members after "sig", then "}". */
  readonly tail: string;
}

export function splitReceipt(unsigned: Omit<Receipt, "sig">): SplitReceipt {
  const fields = unsigned as Record<string, unknown>;
  const after: Record<string, unknown> = {};
  for (const key in fields) if (key > "sig" && Object.hasOwn(fields, key)) after[key] = fields[key];
  const signed = canonicalJson(fields["sig"] === undefined ? fields : { ...fields, sig: undefined });
  const tail = canonicalJson(after).slice(1);
  if (!signed.endsWith(tail))
    throw new Error("the receipt's canonical form does not end with its last members");
  return { signed, prefix: signed.slice(0, signed.length - tail.length), tail };
}

/** The line of a split receipt once signed: its canonical JSON with `sig`. */
export function lineWithSig({ prefix, tail }: SplitReceipt, sig: Receipt["sig"]): string {
  const before = prefix.length > 1 && !prefix.endsWith(",") ? "," : "";
  return `${prefix}${before}"sig":${canonicalJson(sig)}${tail.length > 1 ? "," : ""}${tail}`;
}
