import {
  appendFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createReceiptWriter, verifyReceiptText } from "../runtime/receipts/index.js";
import { sampleDraft } from "../runtime/receipts/test-support/drafts.js";
import { readKeyDir, writeNewKeyPair } from "./keys.js";
import { openReceiptFile, ReceiptFileError } from "./receipt-file.js";
import { keyFileSigner } from "./signing-key.js";

const dir = mkdtempSync(join(tmpdir(), "aarm-receipt-file-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

async function fresh(name: string) {
  const keyDir = join(dir, `keys-${name}`);
  const { secretPath } = writeNewKeyPair(keyDir, "receipts");
  return { path: join(dir, `${name}.jsonl`), keyDir, secretPath, signer: await keyFileSigner(secretPath) };
}

const verify = async (path: string, keyDir: string) =>
  verifyReceiptText(readFileSync(path, "utf8"), { keys: readKeyDir(keyDir) });

describe("receipt file", () => {
  it.each(["receipt", "group", "off"] as const)(
    "fsync %s: concurrent writes land in order and verify",
    async (fsync) => {
      const { path, keyDir, signer } = await fresh(`mode-${fsync}`);
      const file = await openReceiptFile(path, { fsync });
      const w = createReceiptWriter({ signer, sink: file });
      await Promise.all(Array.from({ length: 50 }, (_, i) => w.write(sampleDraft(i))));
      await file.close();
      expect(await verify(path, keyDir)).toMatchObject({ valid: true, receipts: 50 });
    },
  );

  it("reopening continues the chain", async () => {
    const { path, keyDir, signer } = await fresh("reopen");
    for (let round = 0; round < 3; round++) {
      const file = await openReceiptFile(path);
      const w = createReceiptWriter({ signer, sink: file });
      expect(w.head().seq).toBe(round * 4);
      for (let i = 0; i < 4; i++) await w.write(sampleDraft(n++));
      await file.close();
    }
    expect(await verify(path, keyDir)).toMatchObject({ valid: true, receipts: 12 });
  });

  it("a torn last line (crash during a write) is detected; earlier receipts stay valid; reopening repairs it", async () => {
    const { path, keyDir, signer } = await fresh("torn");
    let file = await openReceiptFile(path);
    let w = createReceiptWriter({ signer, sink: file });
    for (let i = 0; i < 5; i++) await w.write(sampleDraft(i));
    await file.close();
    const full = readFileSync(path, "utf8").split("\n")[0]!;
    appendFileSync(path, full.slice(0, 100)); // what a crash halfway through the sixth write leaves
    expect(await verify(path, keyDir)).toMatchObject({
      valid: false,
      receipts: 5,
      firstError: { line: 6, problem: "torn_line" },
    });
    await expect(openReceiptFile(path, { torn: "fail" })).rejects.toThrow(/line 6 is torn \(100 bytes/);
    file = await openReceiptFile(path);
    expect(file.torn).toEqual({ line: 6, bytes: 100, savedTo: `${path}.torn` });
    expect(readFileSync(`${path}.torn`, "utf8")).toBe(`${full.slice(0, 100)}\n`);
    w = createReceiptWriter({ signer, sink: file });
    expect((await w.write(sampleDraft(5))).seq).toBe(6);
    await file.close();
    expect(await verify(path, keyDir)).toMatchObject({ valid: true, receipts: 6 });
  });

  it("refuses to continue a file whose last line is not a receipt", async () => {
    const path = join(dir, "garbage.jsonl");
    writeFileSync(path, "hello\n");
    await expect(openReceiptFile(path)).rejects.toThrow(ReceiptFileError);
    await expect(openReceiptFile(path)).rejects.toThrow(/the last line is not a receipt/);
  });

  it("a full disk (/dev/full): the write rejects with ENOSPC and the chain does not advance", async () => {
    if (!existsSync("/dev/full")) return; // Linux only
    const { signer } = await fresh("devfull");
    const file = await openReceiptFile("/dev/full");
    const w = createReceiptWriter({ signer, sink: file });
    await expect(w.write(sampleDraft(0))).rejects.toThrow(/receipt 1 was not stored: ENOSPC/);
    await expect(w.write(sampleDraft(1))).rejects.toThrow(/receipt 1 was not stored: ENOSPC/);
    expect(w.head().seq).toBe(0);
    await file.close();
  });

  it("a missing or invalid signing key: the write rejects with the reason once the key check is due; earlier receipts verify; a restored key chains on", async () => {
    const { path, keyDir, secretPath } = await fresh("nokey");
    let clock = 0;
    const signer = await keyFileSigner(secretPath, { now: () => clock, recheckMs: 50 });
    const file = await openReceiptFile(path);
    const w = createReceiptWriter({ signer, sink: file });
    for (let i = 0; i < 3; i++) await w.write(sampleDraft(i));
    renameSync(secretPath, `${secretPath}.away`);
    clock += 50;
    await expect(w.write(sampleDraft(3))).rejects.toThrow(
      `receipt 4 was not signed: signing key ${secretPath}: cannot read (ENOENT)`,
    );
    writeFileSync(secretPath, "{");
    await expect(w.write(sampleDraft(3))).rejects.toThrow(
      /receipt 4 was not signed: signing key .*: not valid JSON/,
    );
    expect(await verify(path, keyDir)).toMatchObject({ valid: true, receipts: 3 });
    renameSync(`${secretPath}.away`, secretPath);
    expect((await w.write(sampleDraft(3))).seq).toBe(4);
    await file.close();
    expect(await verify(path, keyDir)).toMatchObject({ valid: true, receipts: 4 });
  });
});
