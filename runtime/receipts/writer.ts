/**
 * The receipt writer (AARM R5): completes drafts into receipts — `v`, `seq`, `prev`, `sig` — and stores them.
 * Writes are serialised, so the chain's order is the order of write() calls; signing is sequential (each `prev`
 * covers the previous signature) while storing is pipelined, so a group-committing sink makes one fsync for many
 * receipts. write() resolves once the sink stored the receipt and rejects with a ReceiptWriteError (the caller
 * DENIES) when the draft is invalid, the signer fails, or the sink cannot store it. After a failure the writer
 * continues from the last stored receipt: nothing stored before the fault changes, and later receipts chain on.
 */
import type { Signer } from "../crypto/ed25519.js";
import { toBase64Url } from "../crypto/ed25519.js";
import type { ReceiptDraft, ReceiptWriter } from "./draft.js";
import { receiptHash, receiptLine, signedBytes } from "./chain.js";
import { RECEIPT_VERSION, ReceiptDraftSchema, schemaProblem, type Receipt } from "./schema.js";
import type { ChainHead, ReceiptEntry, ReceiptSink } from "./sink.js";

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

interface Stored {
  readonly entry: ReceiptEntry;
  readonly gen: number;
  readonly stored: Promise<void>;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function createReceiptWriter(options: ReceiptWriterOptions): ChainedReceiptWriter {
  const { signer, sink } = options;
  const validate = options.validate ?? true;
  let head = sink.head();
  /** Bumped when a store fails, so only the first failure of a run of chained receipts rolls the head back. */
  let generation = 0;
  let tail: Promise<unknown> = Promise.resolve();

  /** Sign the next receipt and hand it to the sink; runs strictly one after another. */
  async function signAndStore(draft: ReceiptDraft): Promise<Stored> {
    const gen = generation;
    const unsigned = { ...draft, v: RECEIPT_VERSION, seq: head.seq + 1, prev: head.hash } as const;
    let signature: Uint8Array;
    try {
      signature = await signer.sign(signedBytes(unsigned));
    } catch (e) {
      throw new ReceiptWriteError("sign", `receipt ${unsigned.seq} was not signed: ${message(e)}`);
    }
    const receipt: Receipt = {
      ...unsigned,
      sig: { alg: "Ed25519", kid: signer.keyId, value: toBase64Url(signature) },
    };
    const line = receiptLine(receipt);
    const entry = { receipt, line, hash: receiptHash(line) };
    // A store that failed while this one was being signed rolled the head back: leave it there.
    if (gen === generation) head = { seq: receipt.seq, hash: entry.hash };
    const stored = sink.append(entry);
    stored.catch(() => undefined); // handled by write(); this only keeps an early rejection from being "unhandled"
    return { entry, gen, stored };
  }

  return {
    head: () => head,
    async write(draft) {
      if (validate) {
        const parsed = ReceiptDraftSchema.safeParse(draft);
        if (!parsed.success)
          throw new ReceiptWriteError("draft", `invalid receipt draft: ${schemaProblem(parsed.error)}`);
      }
      const signed = tail.then(() => signAndStore(draft));
      tail = signed.catch(() => undefined);
      const { entry, gen, stored } = await signed;
      try {
        await stored;
      } catch (e) {
        if (gen === generation) {
          generation++;
          head = sink.head();
        }
        throw new ReceiptWriteError("store", message(e));
      }
      options.onStored?.(entry);
      return { seq: entry.receipt.seq, hash: entry.hash };
    },
  };
}
