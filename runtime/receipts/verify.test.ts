import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { createSigner, generateKeyPair, toBase64Url, type KeyPair } from "../crypto/ed25519.js";
import type { PublicKey } from "../crypto/jwk.js";
import { canonicalJson } from "../session/canonical-json.js";
import { signedBytes } from "./chain.js";
import type { Receipt } from "./schema.js";
import { memorySink } from "./sink.js";
import { sampleDraft } from "./test-support/drafts.js";
import { verifyReceiptText, type VerifyOptions } from "./verify.js";
import { createReceiptWriter } from "./writer.js";

const N = 24;
let lines: string[] = [];
let keys: Map<string, PublicKey>;
let oldKey: KeyPair;
let stranger: KeyPair;
let head = { seq: 0, hash: "" };

const join = (ls: readonly string[]) => ls.map((l) => `${l}\n`).join("");

/** A file written with two keys (rotation after receipt 10), both in the key folder. */
beforeAll(async () => {
  oldKey = generateKeyPair();
  const newKey = generateKeyPair();
  stranger = generateKeyPair();
  keys = new Map<string, PublicKey>([
    [oldKey.keyId, oldKey],
    [newKey.keyId, newKey],
  ]);
  const sink = memorySink();
  let w = createReceiptWriter({ signer: await createSigner(oldKey), sink });
  for (let i = 0; i < N; i++) {
    if (i === 10) w = createReceiptWriter({ signer: await createSigner(newKey), sink });
    await w.write(sampleDraft(i));
  }
  lines = sink.lines();
  head = w.head();
});

describe("verifyReceiptText", () => {
  it("accepts a file signed with rotated keys when every key is in the folder", async () => {
    const r = await verifyReceiptText(join(lines), { keys, expectHead: head });
    expect(r).toMatchObject({ valid: true, receipts: N, firstError: null, head });
  });

  it("names an unknown key when a rotated-out key is missing from the folder", async () => {
    const only = new Map([...keys].filter(([k]) => k !== oldKey.keyId));
    const r = await verifyReceiptText(join(lines), { keys: only });
    expect(r.firstError).toMatchObject({ line: 1, seq: 1, problem: "unknown_key" });
    expect(r.receipts).toBe(0);
  });

  it("reports a torn last line and keeps every earlier receipt valid", async () => {
    const torn = join(lines) + lines[0]!.slice(0, 40);
    const r = await verifyReceiptText(torn, { keys });
    expect(r).toMatchObject({ valid: false, receipts: N, firstError: { line: N + 1, problem: "torn_line" } });
  });

  it("an empty file is a valid empty chain; an anchor beyond the end is not", async () => {
    expect(await verifyReceiptText("", { keys })).toMatchObject({ valid: true, receipts: 0 });
    const cut = await verifyReceiptText(join(lines.slice(0, -2)), { keys, expectHead: head });
    expect(cut.firstError).toMatchObject({ problem: "anchor" });
  });

  it.each([
    ["malformed", (ls: string[]) => (ls[3] = "{not json")],
    ["malformed", (ls: string[]) => (ls[3] = "")],
    ["schema", (ls: string[]) => (ls[3] = '{"v":2}')],
    [
      "not_canonical",
      (ls: string[]) => (ls[3] = JSON.stringify(JSON.parse(ls[3]!), null, 1).replace(/\n/g, "")),
    ],
    ["seq", (ls: string[]) => ls.splice(3, 1)],
    ["chain", (ls: string[]) => (ls[3] = canonicalJson({ ...JSON.parse(ls[3]!), prev: "1".repeat(64) }))],
  ])("names the problem: %s", async (problem, edit) => {
    const ls = [...lines];
    edit(ls);
    const r = await verifyReceiptText(join(ls), { keys });
    expect(r.firstError).toMatchObject({ line: 4, problem });
    expect(r.receipts).toBe(3);
  });
});

/** One tampering of the file: what it does and the text after it. */
type Tampering = { what: string; text: string; options: VerifyOptions };

async function resign(line: string, key: KeyPair, kid: string, edit: boolean): Promise<string> {
  const r = JSON.parse(line) as Receipt;
  const changed: Receipt = edit
    ? { ...r, decision: { ...r.decision, result: "ALLOW" }, time: r.time + 1 }
    : r;
  const signer = await createSigner(key);
  const sig = toBase64Url(await signer.sign(signedBytes(changed)));
  return canonicalJson({ ...changed, sig: { alg: "Ed25519", kid, value: sig } });
}

const tampering: fc.Arbitrary<() => Promise<Tampering>> = fc.oneof(
  fc.record({ at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }).map(({ at, byte }) => async () => {
    const bytes = new TextEncoder().encode(join(lines));
    const i = at % bytes.length;
    const b = byte === bytes[i] ? (byte + 1) % 256 : byte;
    bytes[i] = b;
    return { what: `byte ${i} := ${b}`, text: new TextDecoder().decode(bytes), options: { keys } };
  }),
  fc
    .record({ i: fc.nat(N - 1), j: fc.nat(N - 1) })
    .filter(({ i, j }) => i !== j)
    .map(({ i, j }) => async () => {
      const ls = [...lines];
      [ls[i], ls[j]] = [ls[j]!, ls[i]!];
      return { what: `swap ${i} ${j}`, text: join(ls), options: { keys } };
    }),
  fc.record({ i: fc.nat(N - 1), j: fc.nat(N) }).map(({ i, j }) => async () => {
    const ls = [...lines];
    ls.splice(j, 0, lines[i]!);
    return { what: `duplicate ${i} at ${j}`, text: join(ls), options: { keys } };
  }),
  fc.nat(N - 1).map((i) => async () => {
    const ls = [...lines];
    ls.splice(i, 1);
    // Cutting receipts off the end leaves a valid shorter chain: only a head recorded elsewhere reveals it.
    const options = i === N - 1 ? { keys, expectHead: head } : { keys };
    return { what: `delete ${i}`, text: join(ls), options };
  }),
  fc
    .record({ i: fc.nat(N - 1), edit: fc.boolean(), claimKnownKid: fc.boolean() })
    .map(({ i, edit, claimKnownKid }) => async () => {
      const ls = [...lines];
      const kid = claimKnownKid ? oldKey.keyId : stranger.keyId;
      ls[i] = await resign(lines[i]!, stranger, kid, edit);
      return {
        what: `re-sign ${i} by an unknown key (kid ${kid}, edited ${edit})`,
        text: join(ls),
        options: { keys },
      };
    }),
);

describe("tampering (property)", () => {
  it("R5: any single changed byte, reordered, duplicated or deleted receipt, or a receipt re-signed by an unknown key is caught (1,200 cases) [C32]", async () => {
    await fc.assert(
      fc.asyncProperty(tampering, async (make) => {
        const t = await make();
        const r = await verifyReceiptText(t.text, t.options);
        if (r.valid) throw new Error(`not caught: ${t.what}`);
        expect(r.firstError).not.toBeNull();
      }),
      { numRuns: 1200 },
    );
  });
});
