/**
 * Where signed receipts are stored. A sink stores entries in the order append() is called, resolves each append
 * once the entry is stored (per the sink's durability policy) and rejects it otherwise. Every sink guards the
 * chain: it refuses an entry that does not continue the last entry it stored, so a receipt chained to one that
 * failed is never stored and a fault cannot leave a gap or a fork. `orderedSink` implements the queue, the guard
 * and batching once; the memory, callback and file sinks only say how a batch is stored.
 */
import type { Receipt } from "./schema.js";
import { GENESIS } from "./schema.js";

/** A signed receipt with its line (canonical JSON, no newline) and hash (the next receipt's `prev`). */
export interface ReceiptEntry {
  readonly receipt: Receipt;
  readonly line: string;
  readonly hash: string;
}

/** The last stored receipt: seq 0 and GENESIS for an empty chain. */
export interface ChainHead {
  readonly seq: number;
  readonly hash: string;
}

export const EMPTY_HEAD: ChainHead = { seq: 0, hash: GENESIS };

export interface ReceiptSink {
  /** The last receipt this sink stored. */
  head(): ChainHead;
  /** Store an entry after every entry appended before it; reject with a reason if it could not be stored. */
  append(entry: ReceiptEntry): Promise<void>;
}

/** Why a sink did not store a receipt. */
export class ReceiptSinkError extends Error {}

interface Pending {
  readonly entry: ReceiptEntry;
  readonly resolve: () => void;
  readonly reject: (e: Error) => void;
}

function isThenable(v: unknown): v is PromiseLike<void> {
  return typeof (v as { then?: unknown } | null | undefined)?.then === "function";
}

function reason(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function notContinuing(seq: number, last: ChainHead): ReceiptSinkError {
  return new ReceiptSinkError(
    `receipt ${seq} was not stored: it does not continue the stored chain (last stored: ${last.seq})`,
  );
}

function notStored(seq: number, e: unknown): ReceiptSinkError {
  return new ReceiptSinkError(`receipt ${seq} was not stored: ${reason(e)}`);
}

/** What append() returns for an entry stored synchronously (settled already; shared, so nothing is allocated). */
export const STORED: Promise<void> = Promise.resolve();

/**
 * A sink from a function that stores a batch of entries (all or none: it throws if it stored none, and must undo
 * a partial store before throwing). At most `maxBatch` entries per call (1: one store per receipt); entries that
 * arrive while a batch is being stored wait for the next one (group commit).
 */
export function orderedSink(
  store: (entries: readonly ReceiptEntry[]) => Promise<void> | void,
  options: { readonly head?: ChainHead; readonly maxBatch?: number } = {},
): ReceiptSink {
  let head = options.head ?? EMPTY_HEAD;
  const maxBatch = Math.max(1, options.maxBatch ?? 1);
  const queue: Pending[] = [];
  let draining = false;

  /** The next batch: entries that continue the chain from `head`; those that do not are rejected. */
  function nextBatch(): { batch: Pending[]; next: ChainHead } {
    const batch: Pending[] = [];
    let next = head;
    while (queue.length > 0 && batch.length < maxBatch) {
      const item = queue.shift()!;
      const r = item.entry.receipt;
      if (r.seq !== next.seq + 1 || r.prev !== next.hash) {
        item.reject(notContinuing(r.seq, next));
        continue;
      }
      batch.push(item);
      next = { seq: r.seq, hash: item.entry.hash };
    }
    return { batch, next };
  }

  function stored(batch: readonly Pending[], next: ChainHead): void {
    head = next;
    for (const b of batch) b.resolve();
  }

  function failed(batch: readonly Pending[], e: unknown): void {
    const error = notStored(batch[0]!.entry.receipt.seq, e);
    for (const b of batch) b.reject(error);
  }

  /** When an asynchronous store settles: settle its batch, then store whatever was queued meanwhile. */
  function settleThenDrain(result: PromiseLike<void>, batch: readonly Pending[], next: ChainHead): void {
    Promise.resolve(result).then(
      () => {
        stored(batch, next);
        drain();
      },
      (e: unknown) => {
        failed(batch, e);
        drain();
      },
    );
  }

  /** Store batches until the queue is empty; a synchronous store completes within the call, an async one resumes
   * the drain when it settles (entries queued meanwhile form the next batch). */
  function drain(): void {
    draining = true;
    while (queue.length > 0) {
      const { batch, next } = nextBatch();
      if (batch.length === 0) continue;
      let result: Promise<void> | void;
      try {
        result = store(batch.map((b) => b.entry));
      } catch (e) {
        failed(batch, e);
        continue;
      }
      if (isThenable(result)) {
        settleThenDrain(result, batch, next);
        return;
      }
      stored(batch, next);
    }
    draining = false;
  }

  /** Nothing queued or being stored: store the entry at once; a synchronous store settles without queueing. */
  function appendNow(entry: ReceiptEntry): Promise<void> {
    const r = entry.receipt;
    if (r.seq !== head.seq + 1 || r.prev !== head.hash) return Promise.reject(notContinuing(r.seq, head));
    let result: Promise<void> | void;
    try {
      result = store([entry]);
    } catch (e) {
      return Promise.reject(notStored(r.seq, e));
    }
    const next = { seq: r.seq, hash: entry.hash };
    if (!isThenable(result)) {
      head = next;
      return STORED;
    }
    draining = true;
    return new Promise<void>((resolve, reject) =>
      settleThenDrain(result, [{ entry, resolve, reject }], next),
    );
  }

  return {
    head: () => head,
    append(entry) {
      if (!draining && queue.length === 0) return appendNow(entry);
      return new Promise<void>((resolve, reject) => {
        queue.push({ entry, resolve, reject });
        if (!draining) drain();
      });
    },
  };
}

/** A sink that keeps the receipts in memory (tests, short-lived hosts that ship receipts elsewhere). */
export function memorySink(): ReceiptSink & { readonly entries: readonly ReceiptEntry[]; lines(): string[] } {
  const entries: ReceiptEntry[] = [];
  const sink = orderedSink((batch) => void entries.push(...batch), { maxBatch: Number.MAX_SAFE_INTEGER });
  return { ...sink, entries, lines: () => entries.map((e) => e.line) };
}

/**
 * A sink that hands each receipt to a function (a database insert, a queue producer). The receipt counts as
 * stored when the function returns or its promise resolves; a throw or a rejection means it was not stored.
 * `head` continues an existing chain.
 */
export function callbackSink(
  callback: (entry: ReceiptEntry) => Promise<void> | void,
  options: { readonly head?: ChainHead } = {},
): ReceiptSink {
  return orderedSink(([entry]) => callback(entry!), { maxBatch: 1, ...options });
}
