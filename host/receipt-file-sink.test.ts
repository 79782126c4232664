/**
 * The receipt file's fsync policies (receipt-file-sink.ts): what is acknowledged before it is on disk, and that
 * every policy keeps the chain whole. Durability itself (a power loss) cannot be staged in a test; what the sink
 * reports as not yet synced can.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createReceiptWriter, verifyReceiptText } from "../runtime/receipts/index.js";
import { sampleDraft } from "../runtime/receipts/test-support/drafts.js";
import { readKeyDir, readSecretKey, writeNewKeyPair } from "./keys.js";
import { nodeSigner } from "./node-signer.js";
import { openReceiptFile, type FsyncPolicy } from "./receipt-file.js";

const dir = mkdtempSync(join(tmpdir(), "aarm-receipt-sink-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const { secretPath } = writeNewKeyPair(dir, "receipts");
const signer = nodeSigner(readSecretKey(secretPath));
const outcome = (i: number) => sampleDraft(i, { kind: "outcome", outcome: { resultHash: `h${i}` } });

async function writerFor(name: string, fsync: FsyncPolicy) {
  const path = join(dir, `${name}.jsonl`);
  const file = await openReceiptFile(path, { fsync });
  return { path, file, w: createReceiptWriter({ signer, sink: file }) };
}

const verify = async (path: string) =>
  verifyReceiptText(readFileSync(path, "utf8"), { keys: readKeyDir(dir) });

describe("receipt file fsync policies", () => {
  it.each(["receipt", "group", "decisions", "off"] as const)(
    "[C29] R5 fsync %s: concurrent decision and outcome receipts land in order, once each, and verify",
    async (fsync) => {
      const { path, file, w } = await writerFor(`mixed-${fsync}`, fsync);
      await Promise.all(Array.from({ length: 60 }, (_, i) => w.write(i % 2 ? outcome(i) : sampleDraft(i))));
      await file.close();
      expect(await verify(path)).toMatchObject({ valid: true, receipts: 60 });
      expect(readFileSync(path, "utf8").split("\n").filter(Boolean)).toHaveLength(60);
    },
  );

  it("[C29] R5 fsync decisions: a decision receipt is on disk when acknowledged, with every outcome receipt before it", async () => {
    const { path, file, w } = await writerFor("decisions", "decisions");
    await w.write(sampleDraft(0));
    expect(file.unsynced()).toBe(0);
    await w.write(outcome(1)); // acknowledged once written; its sync runs in the background
    expect(file.unsynced()).toBeGreaterThan(0);
    await w.write(sampleDraft(2)); // the decision's sync covers the outcome written before it
    expect(file.unsynced()).toBe(0);
    await w.write(outcome(3));
    expect(file.unsynced()).toBeGreaterThan(0);
    for (let i = 0; i < 500 && file.unsynced() > 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(file.unsynced()).toBe(0); // synced in the background
    await w.write(outcome(4));
    await file.close(); // closing syncs what is left
    expect(file.unsynced()).toBe(0);
    expect(await verify(path)).toMatchObject({ valid: true, receipts: 5 });
  });

  it.each(["receipt", "group"] as const)(
    "[C29] R5 fsync %s: every receipt, outcome receipts included, is on disk when acknowledged",
    async (fsync) => {
      const { file, w } = await writerFor(`synced-${fsync}`, fsync);
      await w.write(sampleDraft(0));
      await w.write(outcome(1));
      expect(file.unsynced()).toBe(0);
      await file.close();
    },
  );

  it("[C29] R5 fsync off on a full disk (/dev/full): the write made on the spot rejects, the chain does not advance, and the next write is refused too", async () => {
    const file = await openReceiptFile("/dev/full", { fsync: "off" });
    const w = createReceiptWriter({ signer, sink: file });
    await expect(w.write(sampleDraft(0))).rejects.toThrow(/receipt 1 was not stored: ENOSPC/);
    await expect(w.write(outcome(1))).rejects.toThrow(/receipt 1 was not stored: ENOSPC/);
    expect(w.head().seq).toBe(0);
    expect(file.head().seq).toBe(0);
    await file.close();
  });

  it.each(["off", "decisions"] as const)(
    "[C29] R5 fsync %s: a receipt written without a sync is in the file when its write resolves",
    async (fsync) => {
      const { path, file, w } = await writerFor(`now-${fsync}`, fsync);
      await w.write(sampleDraft(0));
      await w.write(outcome(1));
      expect(readFileSync(path, "utf8").split("\n").filter(Boolean)).toHaveLength(2);
      await expect(file.close()).resolves.toBeUndefined();
      await expect(w.write(outcome(2))).rejects.toThrow(
        /receipt 3 was not stored: the receipt file is closed/,
      );
      expect(await verify(path)).toMatchObject({ valid: true, receipts: 2 });
    },
  );

  it.each(["off", "decisions", "group", "receipt"] as const)(
    "[C29] R5 fsync %s: closing the file while writes wait for their turn (or are under way): each write that resolves is in the file, each that rejects is not",
    async (fsync) => {
      const { path, file, w } = await writerFor(`closing-${fsync}`, fsync);
      const writes = Array.from({ length: 6 }, (_, i) =>
        w.write(i % 2 ? outcome(i) : sampleDraft(i)).then(
          () => true,
          () => false,
        ),
      );
      await file.close();
      const stored = await Promise.all(writes);
      const lines = readFileSync(path, "utf8").split("\n").filter(Boolean);
      expect(lines).toHaveLength(stored.filter(Boolean).length);
      expect(stored.indexOf(false) < 0 || stored.slice(stored.indexOf(false)).every((s) => !s)).toBe(true);
      expect(await verify(path)).toMatchObject({ valid: true, receipts: lines.length });
    },
  );

  it("[C29] R5 fsync decisions on a full disk (/dev/full): a decision receipt is refused, and so is an outcome receipt", async () => {
    const file = await openReceiptFile("/dev/full", { fsync: "decisions" });
    const w = createReceiptWriter({ signer, sink: file });
    await expect(w.write(sampleDraft(0))).rejects.toThrow(/ENOSPC/);
    await expect(w.write(outcome(1))).rejects.toThrow(/ENOSPC/);
    expect(w.head().seq).toBe(0);
    await file.close();
  });
});
