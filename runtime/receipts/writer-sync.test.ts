/**
 * The writer's synchronous path (a signer that returns the signature itself, as node:crypto's does): the same
 * chain, the same failure handling, receipts that the portable verifier accepts and that fail when tampered with.
 */
import { describe, expect, it } from "vitest";
import { generateKeyPair, verifySignature, type Signer } from "../crypto/ed25519.js";
import type { PublicKey } from "../crypto/jwk.js";
import { signedBytes } from "./chain.js";
import { callbackSink, memorySink, orderedSink } from "./sink.js";
import { sampleDraft } from "./test-support/drafts.js";
import { syncSigner } from "./test-support/signers.js";
import { verifyReceiptText } from "./verify.js";
import { createReceiptWriter, ReceiptWriteError } from "./writer.js";

const text = (lines: readonly string[]) => lines.map((l) => `${l}\n`).join("");

function setup() {
  const keys = generateKeyPair();
  return { keys, signer: syncSigner(keys), keyMap: new Map<string, PublicKey>([[keys.keyId, keys]]) };
}

describe("receipt writer, synchronous signer", () => {
  it("R5 [T14] [C31] receipts verify offline with the portable verifier; the signature covers signedBytes", async () => {
    const { keys, signer, keyMap } = setup();
    const sink = memorySink();
    const w = createReceiptWriter({ signer, sink });
    for (let i = 0; i < 20; i++) await w.write(sampleDraft(i));
    expect(await verifyReceiptText(text(sink.lines()), { keys: keyMap })).toMatchObject({
      valid: true,
      receipts: 20,
    });
    for (const { receipt } of sink.entries) {
      const sig = Uint8Array.from(Buffer.from(receipt.sig.value, "base64url"));
      expect(verifySignature(sig, signedBytes(receipt), keys.publicKey)).toBe(true);
    }
  });

  it("R5 [T15] [C32] a tampered receipt does not verify", async () => {
    const { signer, keyMap } = setup();
    const sink = memorySink();
    const w = createReceiptWriter({ signer, sink });
    for (let i = 0; i < 3; i++) await w.write(sampleDraft(i));
    const lines = sink.lines();
    lines[1] = lines[1]!.replace('"result":"DENY"', '"result":"ALLOW"');
    expect((await verifyReceiptText(text(lines), { keys: keyMap })).firstError).toMatchObject({
      line: 2,
      problem: "signature",
    });
  });

  it("signs and hands each receipt to the sink within write(): concurrent writes chain in call order", async () => {
    const { signer, keyMap } = setup();
    const sink = memorySink();
    const w = createReceiptWriter({ signer, sink });
    const pending = Array.from({ length: 100 }, (_, i) => w.write(sampleDraft(i)));
    expect(sink.entries).toHaveLength(100); // stored before any promise settled
    const results = await Promise.all(pending);
    expect(results.map((r) => r.seq)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(w.head()).toEqual({ seq: 100, hash: results[99]!.hash });
    expect((await verifyReceiptText(text(sink.lines()), { keys: keyMap })).valid).toBe(true);
  });

  it("a signer that throws rejects the write (stage sign) and stores nothing; the chain continues", async () => {
    const { signer, keyMap } = setup();
    let broken = false;
    const flaky: Signer = {
      ...signer,
      sign: (m) => {
        if (broken) throw new Error("signing key is unreadable");
        return signer.sign(m);
      },
    };
    const sink = memorySink();
    const w = createReceiptWriter({ signer: flaky, sink });
    await w.write(sampleDraft(0));
    broken = true;
    const e = await w.write(sampleDraft(1)).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ReceiptWriteError);
    expect([(e as ReceiptWriteError).stage, (e as Error).message]).toEqual([
      "sign",
      "receipt 2 was not signed: signing key is unreadable",
    ]);
    expect(sink.entries).toHaveLength(1);
    broken = false;
    expect((await w.write(sampleDraft(2))).seq).toBe(2);
    expect((await verifyReceiptText(text(sink.lines()), { keys: keyMap })).receipts).toBe(2);
  });

  it.each([
    ["a short signature", () => new Uint8Array(10)],
    ["no signature", () => undefined as unknown as Uint8Array],
    ["a promise of a wrong signature", () => Promise.resolve(new Uint8Array(65))],
  ])("a signer that returns %s is refused: nothing unsigned is stored", async (_what, sign) => {
    const { signer } = setup();
    const sink = memorySink();
    const w = createReceiptWriter({ signer: { ...signer, sign }, sink });
    await expect(w.write(sampleDraft(0))).rejects.toMatchObject({ stage: "sign" });
    expect(sink.entries).toHaveLength(0);
  });

  it("a store that fails (synchronously or asynchronously) rejects the write; later receipts chain on the stored ones", async () => {
    const { signer, keyMap } = setup();
    for (const mode of ["throw", "reject"] as const) {
      const stored: string[] = [];
      let failing = false;
      const sink = callbackSink((entry): Promise<void> | void => {
        if (failing && mode === "throw") throw new Error("disk full");
        if (failing) return Promise.reject(new Error("disk full"));
        stored.push(entry.line);
      });
      const w = createReceiptWriter({ signer, sink });
      await w.write(sampleDraft(0));
      failing = true;
      const failed = await Promise.allSettled([1, 2, 3].map((i) => w.write(sampleDraft(i))));
      expect(failed.map((r) => r.status)).toEqual(["rejected", "rejected", "rejected"]);
      expect(String((failed[0] as PromiseRejectedResult).reason)).toMatch(
        /receipt 2 was not stored: disk full/,
      );
      failing = false;
      expect((await w.write(sampleDraft(4))).seq).toBe(2);
      expect(await verifyReceiptText(text(stored), { keys: keyMap })).toMatchObject({
        valid: true,
        receipts: 2,
      });
    }
  });

  it("an ordered sink whose store returns a rejecting thenable does not count the receipt as stored", async () => {
    const { signer } = setup();
    const thenable = {
      then: (_ok: () => void, fail: (e: Error) => void) => fail(new Error("queue refused")),
    };
    const sink = orderedSink(() => thenable as unknown as Promise<void>);
    const w = createReceiptWriter({ signer, sink });
    await expect(w.write(sampleDraft(0))).rejects.toThrow(/receipt 1 was not stored: queue refused/);
    expect(sink.head().seq).toBe(0);
  });
});
