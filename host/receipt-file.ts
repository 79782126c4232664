/**
 * Node edge: the append-only JSONL receipt file (AARM R5; docs/receipts.md). One receipt per line, each its
 * canonical JSON; how receipts are written and synced under each `fsync` policy is receipt-file-sink.ts.
 * Opening an existing file continues its chain from the last complete line. A torn last line (a crash during a
 * write) is reported; with `torn: "repair"` (default) its bytes are saved to `<file>.torn` and cut off, since a
 * receipt whose write never completed was never acknowledged (its action was denied). A failed write is undone
 * (truncated back); if it cannot be undone, or an fsync fails, the file refuses every later write (fail closed).
 */
import { constants } from "node:fs";
import { access, appendFile, open, type FileHandle } from "node:fs/promises";
import { dirname } from "node:path";
import { sha256Hex } from "../runtime/session/hash.js";
import { GENESIS, type ChainHead } from "../runtime/receipts/index.js";
import { code, fileSink, type FsyncPolicy, type ReceiptFile, type TornLine } from "./receipt-file-sink.js";

export type { FsyncPolicy, ReceiptFile, TornLine } from "./receipt-file-sink.js";

export interface ReceiptFileOptions {
  readonly fsync?: FsyncPolicy;
  /** What to do with a torn last line: save it aside and cut it off (default), or refuse to open. */
  readonly torn?: "repair" | "fail";
}

/** A problem with the receipt file, naming it. */
export class ReceiptFileError extends Error {}

const CHUNK = 64 * 1024;

/** The bytes after the last newline, and the last complete line before it. */
async function readTail(
  fh: FileHandle,
  size: number,
): Promise<{ lastLine: string | null; tornBytes: number }> {
  let buf = Buffer.alloc(0);
  let pos = size;
  for (;;) {
    const nl = buf.lastIndexOf(10);
    const prevNl = nl > 0 ? buf.lastIndexOf(10, nl - 1) : -1;
    if ((nl >= 0 && (prevNl >= 0 || pos === 0)) || (nl < 0 && pos === 0)) {
      if (nl < 0) return { lastLine: null, tornBytes: buf.length };
      return { lastLine: buf.subarray(prevNl + 1, nl).toString("utf8"), tornBytes: buf.length - nl - 1 };
    }
    const n = Math.min(CHUNK, pos);
    pos -= n;
    const chunk = Buffer.alloc(n);
    await fh.read(chunk, 0, n, pos);
    buf = Buffer.concat([chunk, buf]);
  }
}

function headOf(path: string, line: string): ChainHead {
  let seq: unknown;
  try {
    seq = (JSON.parse(line) as { seq?: unknown }).seq;
  } catch {
    seq = undefined;
  }
  if (typeof seq !== "number" || !Number.isInteger(seq) || seq < 1)
    throw new ReceiptFileError(`${path}: the last line is not a receipt; run 'aarm verify' on the file`);
  return { seq, hash: sha256Hex(line) };
}

async function syncDir(path: string): Promise<void> {
  const d = await open(dirname(path), "r");
  try {
    await d.sync();
  } finally {
    await d.close();
  }
}

/** Open (or create) a receipt file for appending. */
export async function openReceiptFile(path: string, options: ReceiptFileOptions = {}): Promise<ReceiptFile> {
  const fsync = options.fsync ?? "receipt";
  const created = !(await access(path).then(
    () => true,
    () => false,
  ));
  // O_APPEND: every write goes to the end, whatever the offset.
  const fh = await open(path, "a+").catch((e: unknown) => {
    throw new ReceiptFileError(`${path}: cannot open (${code(e)})`);
  });
  try {
    const stat = await fh.stat();
    let size = stat.isFile() ? stat.size : 0;
    const { lastLine, tornBytes } = size > 0 ? await readTail(fh, size) : { lastLine: null, tornBytes: 0 };
    const head = lastLine === null ? { seq: 0, hash: GENESIS } : headOf(path, lastLine);
    let torn: TornLine | null = null;
    if (tornBytes > 0) {
      if (options.torn === "fail")
        throw new ReceiptFileError(
          `${path}: line ${head.seq + 1} is torn (${tornBytes} bytes after the last complete receipt)`,
        );
      const bytes = Buffer.alloc(tornBytes);
      await fh.read(bytes, 0, tornBytes, size - tornBytes);
      const savedTo = `${path}.torn`;
      await appendFile(savedTo, Buffer.concat([bytes, Buffer.from("\n")]));
      size -= tornBytes;
      await fh.truncate(size);
      await fh.sync();
      torn = { line: head.seq + 1, bytes: tornBytes, savedTo };
    }
    if (created) await syncDir(path);
    const synced = fsync === "off" ? null : await openSynced(path);
    return fileSink(path, { fh, synced }, size, head, fsync, torn);
  } catch (e) {
    await fh.close();
    throw e;
  }
}

/** The same file for appending with O_DSYNC: each write() returns once its data (and the size) is on disk. */
async function openSynced(path: string): Promise<FileHandle> {
  return open(path, constants.O_WRONLY | constants.O_APPEND | constants.O_DSYNC).catch((e: unknown) => {
    throw new ReceiptFileError(`${path}: cannot open for synchronous writes (${code(e)})`);
  });
}
