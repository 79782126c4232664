/**
 * The receipt writer (AARM R5): completes drafts into receipts — `v`, `seq`, `prev`, `sig` — and stores them.
 * Writes are serialised, so the chain's order is the order of write() calls; signing is sequential (each `prev`
 * covers the previous signature) while storing is pipelined, so a group-committing sink makes one fsync for many
 * receipts. write() resolves once the sink stored the receipt and rejects with a ReceiptWriteError (the caller
 * DENIES) when the draft is invalid, the signer fails, or the sink cannot store it. After a failure the writer
 * continues from the last stored receipt: nothing stored before the fault changes, and later receipts chain on.
 *
 * Each receipt is serialised once (chain.ts splitReceipt: the signed bytes and the line share it) and hashed
 * once. With a synchronous signer (host/node-signer.ts) a receipt is signed and handed to the sink within the
 * write() call itself; a signer that returns a promise (WebCrypto) queues later writes behind its signature.
 */
import type { Signer } from "../crypto/ed25519.js";
import { toBase64Url } from "../crypto/ed25519.js";
import type { ReceiptDraft, ReceiptWriter } from "./draft.js";
import { lineWithSig, receiptHash, splitReceipt, type SplitReceipt } from "./chain.js";
import { draftProblem } from "./schema-check.js";
import { RECEIPT_VERSION, type Receipt } from "./schema.js";
import { STORED, type ChainHead, type ReceiptEntry, type ReceiptSink } from "./sink.js";

/** Why a receipt was not written; `stage` says where it failed. */
export class ReceiptWriteError extends Error {
  constructor(
    readonly stage: "draft" | "sign" | "store",
    message: string,
  ) {
    super(message);
  }
}

export interface ReceiptWriterOptions {
  readonly signer: Signer;
  readonly sink: ReceiptSink;
  /** Validate each draft against the schema before signing (default true). */
  readonly validate?: boolean;
  /** Called with every stored entry, after the sink stored it (e.g. to publish the chain head elsewhere). */
  readonly onStored?: (entry: ReceiptEntry) => void;
}

/** A ReceiptWriter that also tells its chain head. */
export interface ChainedReceiptWriter extends ReceiptWriter {
  /** The last receipt signed and handed to the sink (stored or about to be). */
  head(): ChainHead;
}

/** A receipt being completed: `sig` is filled in once signed. */
export type UnsignedReceipt = Omit<Receipt, "sig"> & { sig: Receipt["sig"] | undefined };

interface Stored {
  readonly entry: ReceiptEntry;
  readonly gen: number;
  readonly stored: Promise<void>;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

const encoder = new TextEncoder();

/** The members every draft has (ReceiptDraft's required ones). */
const REQUIRED = ["kind", "time", "action", "context", "identity", "decision"] as const;

/**
 * `{ ...draft, v, seq, prev, sig: undefined }`, built as a literal: V8 builds a spread followed by more members on
 * a slow path (about 4 µs a receipt, a twentieth of the whole). The draft's other own members (the optional ones,
 * and with validation off anything else) are copied after the literal ones, as the spread would, except `v`,
 * `seq`, `prev` and `sig`, which the writer sets.
 */
export function unsignedReceipt(draft: ReceiptDraft, seq: number, prev: string): UnsignedReceipt {
  const receipt: UnsignedReceipt = {
    kind: draft.kind,
    time: draft.time,
    action: draft.action,
    context: draft.context,
    identity: draft.identity,
    decision: draft.decision,
    v: RECEIPT_VERSION,
    seq,
    prev,
    sig: undefined,
  };
  const keys = Object.keys(draft);
  if (keys.length > REQUIRED.length || !REQUIRED.every((k) => Object.hasOwn(draft, k)))
    for (const key of keys)
      if (!Object.hasOwn(receipt, key))
        Object.defineProperty(receipt, key, {
          value: (draft as unknown as Record<string, unknown>)[key],
          enumerable: true,
          writable: true,
          configurable: true,
        });
  return receipt;
}

export function createReceiptWriter(options: ReceiptWriterOptions): ChainedReceiptWriter {
  const { signer, sink } = options;
  const validate = options.validate ?? true;
  let head = sink.head();
  /** Bumped when a store fails, so only the first failure of a run of chained receipts rolls the head back. */
  let generation = 0;
  /** Settles when the last queued write has been signed; null when no signature is pending. */
  let tail: Promise<unknown> | null = null;

  const signError = (seq: number, e: unknown) =>
    new ReceiptWriteError("sign", `receipt ${seq} was not signed: ${message(e)}`);

  /** Complete a signed receipt: its `sig`, line and hash; hand it to the sink. */
  function complete(gen: number, receipt: UnsignedReceipt, split: SplitReceipt, bytes: unknown): Stored {
    if (!(bytes instanceof Uint8Array) || bytes.length !== 64)
      throw signError(receipt.seq, new Error("the signer did not return a 64-byte Ed25519 signature"));
    const sig = { alg: "Ed25519", kid: signer.keyId, value: toBase64Url(bytes) } as const;
    receipt.sig = sig;
    const line = lineWithSig(split, sig);
    const entry: ReceiptEntry = { receipt: receipt as Receipt, line, hash: receiptHash(line) };
    // A store that failed while this one was being signed rolled the head back: leave it there.
    if (gen === generation) head = { seq: receipt.seq, hash: entry.hash };
    return { entry, gen, stored: sink.append(entry) };
  }

  /** Sign the next receipt and hand it to the sink: synchronously when the signer is synchronous. */
  function signNext(draft: ReceiptDraft): Stored | Promise<Stored> {
    const gen = generation;
    // The receipt object is built once; `sig` (undefined until signed, so not serialised) is filled in by complete().
    const receipt = unsignedReceipt(draft, head.seq + 1, head.hash);
    const split = splitReceipt(receipt as Omit<Receipt, "sig">);
    let signature: Uint8Array | Promise<Uint8Array>;
    try {
      signature = signer.sign(encoder.encode(split.signed));
    } catch (e) {
      throw signError(receipt.seq, e);
    }
    if (signature instanceof Uint8Array) return complete(gen, receipt, split, signature);
    return Promise.resolve(signature).then(
      (bytes) => {
        const s = complete(gen, receipt, split, bytes);
        s.stored.catch(() => undefined); // handled by settle() a turn later; keeps an early rejection "handled"
        return s;
      },
      (e: unknown) => {
        throw signError(receipt.seq, e);
      },
    );
  }

  function settle({ entry, gen, stored }: Stored): Promise<{ seq: number; hash: string }> {
    if (stored === STORED) {
      // Stored synchronously (a memory or callback sink): nothing to wait for.
      try {
        options.onStored?.(entry);
      } catch (e) {
        return Promise.reject(e instanceof Error ? e : new Error(String(e)));
      }
      return Promise.resolve({ seq: entry.receipt.seq, hash: entry.hash });
    }
    return stored.then(
      () => {
        options.onStored?.(entry);
        return { seq: entry.receipt.seq, hash: entry.hash };
      },
      (e: unknown) => {
        if (gen === generation) {
          generation++;
          head = sink.head();
        }
        throw new ReceiptWriteError("store", message(e));
      },
    );
  }

  return {
    head: () => head,
    write(draft) {
      if (validate) {
        const problem = draftProblem(draft);
        if (problem !== null)
          return Promise.reject(new ReceiptWriteError("draft", `invalid receipt draft: ${problem}`));
      }
      let next: Stored | Promise<Stored>;
      if (tail === null) {
        try {
          next = signNext(draft);
        } catch (e) {
          return Promise.reject(e instanceof Error ? e : new Error(String(e)));
        }
        if (!(next instanceof Promise)) return settle(next);
      } else {
        next = tail.then(() => signNext(draft));
      }
      const signed = next.then(
        () => undefined,
        () => undefined,
      );
      tail = signed;
      void signed.then(() => {
        if (tail === signed) tail = null;
      });
      return next.then(settle);
    },
  };
}
