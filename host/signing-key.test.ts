/**
 * The key-file signer checks its key file at most every `recheckMs`: a removed, emptied or replaced key takes
 * effect for every signature made once the check is due, and a missing key never yields a signature.
 */
import { mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { verifySignature } from "../runtime/crypto/ed25519.js";
import { memorySink, verifyReceiptText } from "../runtime/receipts/index.js";
import { createReceiptWriter } from "../runtime/receipts/writer.js";
import { sampleDraft } from "../runtime/receipts/test-support/drafts.js";
import { readKeyDir, writeNewKeyPair } from "./keys.js";
import { DEFAULT_KEY_RECHECK_MS, keyFileSigner } from "./signing-key.js";

const dir = mkdtempSync(join(tmpdir(), "aarm-signing-key-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const message = new TextEncoder().encode("receipt");

function fresh() {
  const keyDir = join(dir, `k${++n}`);
  return { keyDir, ...writeNewKeyPair(keyDir, "receipts") };
}

describe("keyFileSigner", () => {
  it("signs synchronously with the key of the file", async () => {
    const { secretPath, keys } = fresh();
    const signer = await keyFileSigner(secretPath);
    const sig = signer.sign(message);
    expect(verifySignature(sig, message, keys.publicKey)).toBe(true);
    expect([signer.keyId, signer.path]).toEqual([keys.keyId, secretPath]);
  });

  it("R1 [C3] a removed key: signatures within recheckMs use the key read before; from then on every signature throws", async () => {
    const { secretPath } = fresh();
    let clock = 1000;
    const signer = await keyFileSigner(secretPath, { now: () => clock });
    signer.sign(message);
    rmSync(secretPath);
    clock += DEFAULT_KEY_RECHECK_MS - 1;
    expect(signer.sign(message)).toHaveLength(64);
    clock += 1;
    expect(() => signer.sign(message)).toThrow(`signing key ${secretPath}: cannot read (ENOENT)`);
    // No grace period after a failure: the file is checked at every signature until it is back.
    expect(() => signer.sign(message)).toThrow(/cannot read/);
  });

  it("R1 [C3] with recheckMs 0 the file is checked before every signature", async () => {
    const { secretPath } = fresh();
    const signer = await keyFileSigner(secretPath, { recheckMs: 0 });
    signer.sign(message);
    renameSync(secretPath, `${secretPath}.away`);
    expect(() => signer.sign(message)).toThrow(/cannot read \(ENOENT\)/);
    writeFileSync(secretPath, "{");
    expect(() => signer.sign(message)).toThrow(/not valid JSON/);
    renameSync(`${secretPath}.away`, secretPath);
    expect(signer.sign(message)).toHaveLength(64);
  });

  it("a rotated key file is picked up once the check is due: receipts name the key that signed them", async () => {
    const { secretPath, keyDir, keys } = fresh();
    let clock = 0;
    const signer = await keyFileSigner(secretPath, { now: () => clock });
    const sink = memorySink();
    const w = createReceiptWriter({ signer, sink });
    await w.write(sampleDraft(0));
    const next = writeNewKeyPair(join(keyDir, "next"), "receipts");
    renameSync(next.secretPath, secretPath);
    renameSync(next.publicPath, join(keyDir, "next.pub.json"));
    await w.write(sampleDraft(1)); // within the bound: still the key read before
    clock += DEFAULT_KEY_RECHECK_MS;
    await w.write(sampleDraft(2));
    expect(sink.entries.map((e) => e.receipt.sig.kid)).toEqual([keys.keyId, keys.keyId, next.keys.keyId]);
    expect(signer.keyId).toBe(next.keys.keyId);
    const text = sink
      .lines()
      .map((l) => `${l}\n`)
      .join("");
    expect(await verifyReceiptText(text, { keys: readKeyDir(keyDir) })).toMatchObject({
      valid: true,
      receipts: 3,
    });
  });

  it("refuses a missing or invalid key file when created", async () => {
    await expect(keyFileSigner(join(dir, "none.key.json"))).rejects.toThrow(/cannot read \(ENOENT\)/);
    const bad = join(dir, "bad.key.json");
    writeFileSync(bad, '{"kty":"OKP","crv":"Ed25519","d":"AAAA"}');
    await expect(keyFileSigner(bad)).rejects.toThrow(
      /signing key .*bad\.key\.json: "d" \(the secret key\) has 3 bytes/,
    );
  });
});
