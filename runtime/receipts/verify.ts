/**
 * Offline verification of a receipt file (AARM R5; docs/receipts.md), portable (no Node-only API): every line must
 * be a complete receipt in canonical JSON that matches the schema, carry the next sequence number, chain to the
 * line before it, name a known key and bear a valid signature. Structural checks run line by line; signatures are
 * checked concurrently (WebCrypto where present). The result names the first bad line and what is wrong with it.
 */
import { fromBase64Url, toBase64Url, verifySignatureAsync } from "../crypto/ed25519.js";
import type { PublicKey } from "../crypto/jwk.js";
import { canonicalJson } from "../session/canonical-json.js";
import { receiptHash, signedBytes } from "./chain.js";
import { receiptProblem } from "./schema-check.js";
import { GENESIS, type Receipt } from "./schema.js";
import type { ChainHead } from "./sink.js";

export type ReceiptProblem =
  | "torn_line" // the last line has no newline: a write was cut short
  | "malformed" // not JSON, or an empty line
  | "schema" // JSON, but not a receipt of a known version
  | "not_canonical" // a receipt, but not written in canonical JSON (edited by hand or by a tool)
  | "seq" // not the next sequence number
  | "chain" // `prev` is not the hash of the line before
  | "unknown_key" // signed with a key that is not in the key folder
  | "signature" // the signature does not verify
  | "anchor"; // the chain does not reach, or does not match, the expected head (receipts cut from the end)

export interface ReceiptError {
  /** 1-based line number in the file. */
  readonly line: number;
  /** The receipt's `seq` where it could be read. */
  readonly seq: number | null;
  readonly problem: ReceiptProblem;
  readonly message: string;
}

export interface VerifyOptions {
  /** The public keys by key id (every key of a rotated key folder). */
  readonly keys: ReadonlyMap<string, PublicKey>;
  /** A head recorded elsewhere: the file must contain exactly this receipt (catches receipts cut off the end). */
  readonly expectHead?: ChainHead;
}

export interface VerifyResult {
  /** How many receipts verified (all of them, or those before the first error). */
  readonly receipts: number;
  readonly valid: boolean;
  readonly firstError: ReceiptError | null;
  /** The receipts that verified, in file order. */
  readonly entries: readonly Receipt[];
  /** The head of the verified part of the chain. */
  readonly head: ChainHead;
}

interface SignatureJob {
  readonly index: number;
  readonly seq: number;
  readonly bytes: Uint8Array;
  readonly signature: Uint8Array;
  readonly key: Uint8Array;
}

type LineCheck = { receipt: Receipt; hash: string; job: SignatureJob } | ReceiptError;

function checkLine(text: string, index: number, head: ChainHead, options: VerifyOptions): LineCheck {
  const line = index + 1;
  const fail = (problem: ReceiptProblem, message: string, seq: number | null = null): ReceiptError => ({
    line,
    seq,
    problem,
    message,
  });
  if (text === "") return fail("malformed", "empty line");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return fail("malformed", "not valid JSON");
  }
  const problem = receiptProblem(value);
  const rawSeq = (value as { seq?: unknown } | null)?.seq;
  if (problem !== null) return fail("schema", problem, typeof rawSeq === "number" ? rawSeq : null);
  const receipt = value as Receipt;
  const { seq } = receipt;
  if (canonicalJson(value) !== text)
    return fail("not_canonical", "the line is not the receipt's canonical JSON (RFC 8785)", seq);
  if (seq !== head.seq + 1) return fail("seq", `expected seq ${head.seq + 1}, found ${seq}`, seq);
  if (receipt.prev !== head.hash)
    return fail(
      "chain",
      head.seq === 0
        ? "the first receipt must have prev = 64 zeros"
        : `prev does not match the hash of receipt ${head.seq} (a receipt was removed, inserted or changed)`,
      seq,
    );
  const key = options.keys.get(receipt.sig.kid);
  if (!key)
    return fail("unknown_key", `signed with key ${receipt.sig.kid}, which is not among the keys`, seq);
  const signature = fromBase64Url(receipt.sig.value);
  if (toBase64Url(signature) !== receipt.sig.value)
    return fail("signature", "the signature is not in canonical base64url", seq);
  return {
    receipt,
    hash: receiptHash(text),
    job: { index, seq, bytes: signedBytes(receipt), signature, key: key.publicKey },
  };
}

const BATCH = 512;

/** Check the signatures; the index of the first that fails, or -1. */
async function firstBadSignature(jobs: readonly SignatureJob[]): Promise<number> {
  for (let i = 0; i < jobs.length; i += BATCH) {
    const batch = jobs.slice(i, i + BATCH);
    const ok = await Promise.all(batch.map((j) => verifySignatureAsync(j.signature, j.bytes, j.key)));
    const bad = ok.indexOf(false);
    if (bad >= 0) return i + bad;
  }
  return -1;
}

/** Verify the lines of a receipt file. `torn` says the last line had no newline (see verifyReceiptText). */
export async function verifyReceiptLines(
  lines: readonly string[],
  options: VerifyOptions & { readonly torn?: boolean },
): Promise<VerifyResult> {
  const entries: Receipt[] = [];
  const jobs: SignatureJob[] = [];
  const heads: ChainHead[] = [];
  let head: ChainHead = { seq: 0, hash: GENESIS };
  let error: ReceiptError | null = null;
  for (let i = 0; i < lines.length; i++) {
    const last = i === lines.length - 1;
    if (last && options.torn) {
      error = {
        line: i + 1,
        seq: null,
        problem: "torn_line",
        message: `line ${i + 1} is incomplete (no newline): a write was cut short; the receipts before it are intact`,
      };
      break;
    }
    const r = checkLine(lines[i] ?? "", i, head, options);
    if ("problem" in r) {
      error = r;
      break;
    }
    entries.push(r.receipt);
    jobs.push(r.job);
    head = { seq: r.receipt.seq, hash: r.hash };
    heads.push(head);
  }
  const bad = await firstBadSignature(jobs);
  if (bad >= 0) {
    const job = jobs[bad]!;
    error = {
      line: job.index + 1,
      seq: job.seq,
      problem: "signature",
      message: "the signature does not verify",
    };
    entries.length = bad;
    head = bad === 0 ? { seq: 0, hash: GENESIS } : heads[bad - 1]!;
  }
  if (!error && options.expectHead) error = checkAnchor(options.expectHead, heads, lines.length);
  return { receipts: entries.length, valid: error === null, firstError: error, entries, head };
}

function checkAnchor(expect: ChainHead, heads: readonly ChainHead[], lines: number): ReceiptError | null {
  const at = heads[expect.seq - 1];
  if (!at)
    return {
      line: lines,
      seq: heads.length,
      problem: "anchor",
      message: `the file ends at seq ${heads.length} but the expected head is seq ${expect.seq}: receipts are missing from the end`,
    };
  if (at.hash !== expect.hash)
    return {
      line: expect.seq,
      seq: expect.seq,
      problem: "anchor",
      message: `receipt ${expect.seq} does not match the expected head hash`,
    };
  return null;
}

/** Split a JSONL file's text into lines and verify them; a last line without a newline is reported as torn. */
export function verifyReceiptText(text: string, options: VerifyOptions): Promise<VerifyResult> {
  if (text === "") return verifyReceiptLines([], options);
  const lines = text.split("\n");
  const torn = lines[lines.length - 1] !== "";
  if (!torn) lines.pop();
  return verifyReceiptLines(lines, { ...options, torn });
}
