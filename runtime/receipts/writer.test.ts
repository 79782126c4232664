import { closeSync, existsSync, openSync, readFileSync, writeSync } from "node:fs";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createSigner, generateKeyPair, type Signer } from "../crypto/ed25519.js";
import type { PublicKey } from "../crypto/jwk.js";
import { sampleDraft } from "./test-support/drafts.js";
import { callbackSink, memorySink } from "./sink.js";
import { verifyReceiptText } from "./verify.js";
import { createReceiptWriter, ReceiptWriteError } from "./writer.js";
import { ReceiptSchema } from "./schema.js";
import { canonicalJson } from "../session/canonical-json.js";

const dir = mkdtempSync(join(tmpdir(), "aarm-receipts-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function setup() {
  const keys = generateKeyPair();
  const signer = await createSigner(keys);
  const keyMap = new Map<string, PublicKey>([[keys.keyId, keys]]);
  return { signer, keyMap };
}

const text = (lines: readonly string[]) => lines.map((l) => `${l}\n`).join("");

describe("receipt writer", () => {
  it("R5: Generate receipts for ALLOW, DENY, MODIFY, STEP_UP, DEFER → requester context, delegation chain and policy version/hash present per schema [T13] [C30]", async () => {
    const { signer } = await setup();
    const sink = memorySink();
    const w = createReceiptWriter({ signer, sink });
    for (let i = 0; i < 5; i++) await w.write(sampleDraft(i));
    expect(sink.entries.map((e) => e.receipt.decision.result)).toEqual([
      "ALLOW",
      "DENY",
      "MODIFY",
      "STEP_UP",
      "DEFER",
    ]);
    for (const { receipt } of sink.entries) {
      expect(ReceiptSchema.safeParse(receipt).success).toBe(true);
      expect(receipt.identity.human).toMatch(/@corp\.example$/);
      expect(receipt.identity.delegation?.length).toBe(2);
      expect(receipt.context.session).toMatch(/^sess-/);
      expect(receipt.decision.policy.version).toBe("1.2.0");
      expect(receipt.decision.policy.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(receipt.sig.alg).toBe("Ed25519");
    }
  });

  it("R5: Verify receipt signature offline → signature validates [T14] [C31]", async () => {
    const { signer, keyMap } = await setup();
    const sink = memorySink();
    const w = createReceiptWriter({ signer, sink });
    for (let i = 0; i < 20; i++) await w.write(sampleDraft(i));
    const r = await verifyReceiptText(text(sink.lines()), { keys: keyMap });
    expect(r).toMatchObject({ valid: true, receipts: 20, firstError: null });
    expect(sink.entries[0]!.receipt.prev).toBe("0".repeat(64));
  });

  it("R5: Tamper with requester context or policy hash in receipt → signature verification fails [T15] [C32]", async () => {
    const { signer, keyMap } = await setup();
    const sink = memorySink();
    const w = createReceiptWriter({ signer, sink });
    for (let i = 0; i < 3; i++) await w.write(sampleDraft(i));
    type Mutable = {
      identity: { human: string };
      decision: { policy: { hash: string } };
      context: { session: string };
    };
    const tamper = async (edit: (r: Mutable) => void) => {
      const lines = sink.lines();
      const r = JSON.parse(lines[2]!) as Mutable;
      edit(r);
      lines[2] = canonicalJson(r);
      return verifyReceiptText(text(lines), { keys: keyMap });
    };
    const a = await tamper((r) => (r.identity.human = "mallory@corp.example"));
    expect(a.firstError).toMatchObject({ line: 3, problem: "signature" });
    const b = await tamper((r) => (r.decision.policy.hash = "0".repeat(64)));
    expect(b.firstError).toMatchObject({ line: 3, problem: "signature" });
    const c = await tamper((r) => (r.context.session = "sess-other"));
    expect(c).toMatchObject({ valid: false, receipts: 2 });
  });

  it("R5: Verify deferred action receipt → deferral reason, resolution method, resolution timestamp present [T16]", async () => {
    const { signer, keyMap } = await setup();
    const sink = memorySink();
    const w = createReceiptWriter({ signer, sink });
    const deferred = sampleDraft(4);
    await w.write(deferred);
    await w.write({
      ...deferred,
      kind: "deferral",
      time: deferred.time + 5000,
      decision: { ...deferred.decision, result: "ALLOW" },
      deferral: {
        ...deferred.deferral!,
        resolution: { method: "context", time: deferred.time + 5000, result: "ALLOW" },
      },
    });
    const r = await verifyReceiptText(text(sink.lines()), { keys: keyMap });
    expect(r.valid).toBe(true);
    const resolution = r.entries[1]!.deferral!;
    expect(resolution.reason).toContain("unknown");
    expect(resolution.resolution).toEqual({ method: "context", time: deferred.time + 5000, result: "ALLOW" });
    expect(r.entries[1]!.identity).toEqual(r.entries[0]!.identity);
  });

  it("serialises concurrent writes: chain order is write order", async () => {
    const { signer, keyMap } = await setup();
    const sink = memorySink();
    const w = createReceiptWriter({ signer, sink });
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => w.write(sampleDraft(i))));
    expect(results.map((r) => r.seq)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(sink.entries.map((e) => e.receipt.action.id)).toEqual(
      Array.from({ length: 200 }, (_, i) => sampleDraft(i).action.id),
    );
    expect((await verifyReceiptText(text(sink.lines()), { keys: keyMap })).valid).toBe(true);
    expect(w.head()).toEqual({ seq: 200, hash: results[199]!.hash });
  });

  it("rejects an invalid draft with the field at fault, and writes nothing", async () => {
    const { signer } = await setup();
    const sink = memorySink();
    const w = createReceiptWriter({ signer, sink });
    const bad = { ...sampleDraft(0), decision: { ...sampleDraft(0).decision, result: "MAYBE" } };
    await expect(w.write(bad as never)).rejects.toThrow(/invalid receipt draft: decision\.result/);
    expect(sink.entries).toHaveLength(0);
  });

  it("a signer that fails rejects the write with the reason; the chain continues afterwards", async () => {
    const { signer, keyMap } = await setup();
    let broken = false;
    const flaky: Signer = {
      ...signer,
      sign: (m) => (broken ? Promise.reject(new Error("signing key is unreadable")) : signer.sign(m)),
    };
    const sink = memorySink();
    const w = createReceiptWriter({ signer: flaky, sink });
    await w.write(sampleDraft(0));
    broken = true;
    const e = await w.write(sampleDraft(1)).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ReceiptWriteError);
    expect((e as ReceiptWriteError).stage).toBe("sign");
    expect((e as Error).message).toBe("receipt 2 was not signed: signing key is unreadable");
    broken = false;
    expect((await w.write(sampleDraft(2))).seq).toBe(2);
    expect((await verifyReceiptText(text(sink.lines()), { keys: keyMap })).receipts).toBe(2);
  });

  it("R1: receipt store unwritable — a full disk (ENOSPC from /dev/full) rejects the write [C3]; earlier receipts still verify and later ones chain on", async () => {
    if (!existsSync("/dev/full")) return; // Linux only
    const { signer, keyMap } = await setup();
    const path = join(dir, "full.jsonl");
    const good = openSync(path, "a");
    const full = openSync("/dev/full", "w");
    let diskFull = false;
    const sink = callbackSink((entry) => {
      writeSync(diskFull ? full : good, `${entry.line}\n`);
    });
    const w = createReceiptWriter({ signer, sink });
    for (let i = 0; i < 3; i++) await w.write(sampleDraft(i));
    diskFull = true;
    const failed = await Promise.allSettled(Array.from({ length: 4 }, (_, i) => w.write(sampleDraft(3 + i))));
    expect(failed.every((r) => r.status === "rejected")).toBe(true);
    expect(String((failed[0] as PromiseRejectedResult).reason)).toMatch(/receipt 4 was not stored: ENOSPC/);
    const before = await verifyReceiptText(readFileSync(path, "utf8"), { keys: keyMap });
    expect(before).toMatchObject({ valid: true, receipts: 3 });
    diskFull = false;
    const next = await w.write(sampleDraft(9));
    expect(next.seq).toBe(4);
    await Promise.all(Array.from({ length: 10 }, (_, i) => w.write(sampleDraft(10 + i))));
    closeSync(good);
    closeSync(full);
    const after = await verifyReceiptText(readFileSync(path, "utf8"), { keys: keyMap });
    expect(after).toMatchObject({ valid: true, receipts: 14 });
  });
});
