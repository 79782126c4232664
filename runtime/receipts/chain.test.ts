/**
 * The writer serialises a receipt once (splitReceipt); the bytes it signs and the line it stores must be exactly
 * what the definitions verification uses (signedBytes, receiptLine) compute.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { lineWithSig, receiptLine, signedBytes, splitReceipt } from "./chain.js";
import { GENESIS, RECEIPT_VERSION, type Receipt } from "./schema.js";
import { sampleDraft } from "./test-support/drafts.js";

const decode = (b: Uint8Array) => new TextDecoder().decode(b);
const sig = { alg: "Ed25519", kid: "ed25519:0123456789abcdef", value: "A".repeat(86) } as const;

describe("splitReceipt", () => {
  it("gives the signed bytes and the line of the definitions, for every kind of draft", () => {
    for (let i = 0; i < 40; i++) {
      const unsigned = { ...sampleDraft(i), v: RECEIPT_VERSION, seq: i + 1, prev: GENESIS } as const;
      const split = splitReceipt(unsigned);
      expect(split.signed).toBe(decode(signedBytes(unsigned)));
      expect(lineWithSig(split, sig)).toBe(receiptLine({ ...unsigned, sig }));
    }
  });

  it("holds for any top-level keys: before and after `sig`, undefined values, non-ASCII keys", () => {
    const key = fc.oneof(
      fc.constantFrom("sif", "sig0", "sih", "s", "t", "a", "Z", "é", "\ud83d\ude00"),
      fc.string(),
    );
    fc.assert(
      fc.property(fc.dictionary(key, fc.oneof(fc.jsonValue(), fc.constant(undefined))), (extra) => {
        const { sig: _drop, ...rest } = extra;
        const unsigned = { ...rest, seq: 3, prev: GENESIS } as unknown as Omit<Receipt, "sig">;
        const split = splitReceipt(unsigned);
        expect(split.signed).toBe(decode(signedBytes(unsigned)));
        expect(lineWithSig(split, sig)).toBe(receiptLine({ ...unsigned, sig } as Receipt));
      }),
      { numRuns: 300 },
    );
  });

  it("handles an object whose members all sort on one side of `sig`", () => {
    for (const unsigned of [{ a: 1 }, { z: 1 }, {}] as unknown as Omit<Receipt, "sig">[]) {
      expect(splitReceipt(unsigned).signed).toBe(decode(signedBytes(unsigned)));
      expect(lineWithSig(splitReceipt(unsigned), sig)).toBe(receiptLine({ ...unsigned, sig } as Receipt));
    }
  });
});
