/**
 * Node edge: how the receipt file (receipt-file.ts opens it) writes and syncs receipts. Durability (`fsync`):
 * - "receipt": each receipt is written and synced before its write() resolves;
 * - "group": receipts that arrive while a write is in flight are written together with one sync (group commit) —
 *   still on disk before any of them resolves, far fewer syncs under load;
 * - "decisions": every receipt that lets an action go ahead or ends it unrun (decision, approval, deferral,
 *   credential, kernel) is on disk before it resolves, as with "group"; an `outcome` receipt resolves once
 *   written, and its sync starts at once in the background (a later receipt that must be on disk waits for it).
 *   A power loss before that sync ends can lose the last outcome receipts (the file then ends before them, a
 *   valid shorter chain); never a decision;
 * - "off": written to the OS but not synced (survives a process crash, not a power loss).
 * Synced writes go through a second descriptor opened with O_DSYNC: one write() call both writes and syncs (what
 * write() + fdatasync() do, in one trip to libuv's thread pool instead of two). A write that is not synced ("off",
 * and the outcome receipts of "decisions") is a synchronous write() into the page cache at the end of the event
 * loop's current turn (setImmediate), while receipts appended meanwhile queue for the next one: a trip to the
 * thread pool and back would cost more than the copy. A failed write is undone
 * (truncated back); if it cannot be undone, or a sync fails, the file refuses every later write (fail closed).
 */
import { fstatSync, ftruncateSync, writeSync } from "node:fs";
import type { FileHandle } from "node:fs/promises";
import {
  orderedSink,
  type ChainHead,
  type ReceiptEntry,
  type ReceiptSink,
} from "../runtime/receipts/index.js";

export type FsyncPolicy = "receipt" | "group" | "decisions" | "off";

/** A torn last line found (and, with torn: "repair", removed) when the file was opened. */
export interface TornLine {
  readonly line: number;
  readonly bytes: number;
  readonly savedTo?: string;
}

export interface ReceiptFile extends ReceiptSink {
  readonly path: string;
  readonly torn: TornLine | null;
  /** Bytes of receipts already acknowledged but not yet known to be on disk (fsync "decisions" only; else 0). */
  unsynced(): number;
  /** Sync what is still unsynced, and close the file. */
  close(): Promise<void>;
}

/** Errors of a write that did not reach the disk for lack of room: the file stays usable once there is room. */
const NO_ROOM = new Set(["ENOSPC", "EDQUOT", "EFBIG"]);

export function code(e: unknown): string {
  const c = (e as { code?: unknown }).code;
  return typeof c === "string" ? `${c}: ${(e as Error).message.replace(/^[A-Z]+: /, "")}` : String(e);
}

export function fileSink(
  path: string,
  files: { readonly fh: FileHandle; readonly synced: FileHandle | null },
  initialSize: number,
  head: ChainHead,
  fsync: FsyncPolicy,
  torn: TornLine | null,
): ReceiptFile {
  const { fh, synced } = files;
  let size = initialSize;
  let broken: string | null = null;
  let closed = false;
  let unsynced = 0;
  /** The background sync of outcome receipts (fsync "decisions"), while it runs. */
  let background: Promise<void> | null = null;

  /** Cut the file back to what was stored before a failed write; if that fails, the file refuses later writes. */
  function undo(): void {
    try {
      if (fstatSync(fh.fd).size > size) ftruncateSync(fh.fd, size);
    } catch (e) {
      broken = `a failed write could not be undone (${code(e)})`;
    }
  }

  /** Write without syncing, synchronously (into the page cache); a failure is undone before it throws. */
  function writeNow(data: Buffer): void {
    if (broken) throw new Error(`the receipt file ${path} refuses writes: ${broken}`);
    try {
      let done = 0;
      while (done < data.length) done += writeSync(fh.fd, data, done, data.length - done, size + done);
    } catch (e) {
      undo();
      throw new Error(code(e));
    }
    size += data.length;
  }

  /** Sync everything written so far. A failed sync breaks the file: the page cache can no longer be trusted. */
  async function sync(): Promise<void> {
    const covered = unsynced;
    try {
      await fh.datasync();
    } catch (e) {
      broken ??= `fsync failed (${code(e)})`;
      throw new Error(broken);
    }
    unsynced -= covered;
  }

  /** Sync in the background until nothing written is unsynced; one sync at a time. */
  function syncInBackground(): void {
    if (background) return;
    background = (async () => {
      while (unsynced > 0 && !broken) await sync();
    })()
      .catch(() => undefined) // a failed sync is `broken`: every later write refuses
      .finally(() => (background = null));
  }

  /** The write waiting for the end of this turn of the event loop (one at a time: stores are sequential). */
  let soon: Promise<void> | null = null;

  /** writeNow at the end of this turn of the event loop; close() waits for it. */
  function writeSoon(data: Buffer): Promise<void> {
    soon = new Promise<void>((resolve, reject) =>
      setImmediate(() => {
        soon = null;
        try {
          writeNow(data);
          resolve();
        } catch (e) {
          reject(e as Error);
        }
      }),
    );
    return soon;
  }

  /** Write and sync in one O_DSYNC write(), on the thread pool; a failure is undone before it rejects. */
  async function writeSynced(out: FileHandle, data: Buffer): Promise<void> {
    try {
      let done = 0;
      while (done < data.length)
        done += (await out.write(data, done, data.length - done, size + done)).bytesWritten;
    } catch (e) {
      undo();
      // The write also synced: a failure other than a lack of room may have been the sync's, after which the page
      // cache cannot be trusted (the data may be lost silently). Refuse every later write.
      const c = (e as { code?: unknown }).code;
      if (!(typeof c === "string" && NO_ROOM.has(c))) broken ??= `a synchronous write failed (${code(e)})`;
      throw new Error(code(e));
    }
    size += data.length;
  }

  /** Store a batch; resolves once it is stored under the file's fsync policy. */
  function store(entries: readonly ReceiptEntry[]): Promise<void> {
    if (closed) throw new Error("the receipt file is closed");
    if (broken) throw new Error(`the receipt file ${path} refuses writes: ${broken}`);
    const data = Buffer.from(entries.map((e) => `${e.line}\n`).join(""), "utf8");
    if (!synced) return writeSoon(data);
    if (fsync === "decisions" && entries.every((e) => e.receipt.kind === "outcome"))
      return writeSoon(data).then(() => {
        unsynced += data.length;
        syncInBackground();
      });
    return storeSynced(synced, data);
  }

  async function storeSynced(out: FileHandle, data: Buffer): Promise<void> {
    if (background) await background; // outcome receipts before these are being synced: wait for that
    if (broken) throw new Error(`the receipt file ${path} refuses writes: ${broken}`);
    if (unsynced === 0) return writeSynced(out, data);
    // Outcome receipts written without a sync precede these: one sync of the whole file covers them all (an
    // O_DSYNC write covers only its own bytes, and must never reach the disk before the receipts it chains to).
    const before = size;
    writeNow(data);
    try {
      await sync();
    } catch (e) {
      size = before; // cut this batch off (it was never acknowledged); the file refuses later writes
      undo();
      throw e;
    }
  }

  const sink = orderedSink(store, { head, maxBatch: fsync === "receipt" ? 1 : 4096 });
  return {
    ...sink,
    path,
    torn,
    unsynced: () => unsynced,
    async close() {
      if (closed) return;
      closed = true;
      if (soon) await soon.catch(() => undefined); // a write already accepted completes first
      if (background) await background;
      const last = unsynced > 0 && !broken ? sync() : Promise.resolve();
      const done = await Promise.allSettled([last]);
      await Promise.allSettled([fh.close(), synced?.close()]);
      if (done[0]!.status === "rejected") throw done[0].reason as Error;
    },
  };
}
