/**
 * The writer builds each receipt as a literal instead of `{ ...draft, v, seq, prev, sig: undefined }`: it must be
 * the same receipt, whatever the draft carries (the optional members, members with undefined values, members the
 * schema does not know when validation is off, keys that look like the writer's own or like `__proto__`).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "../session/canonical-json.js";
import type { ReceiptDraft } from "./draft.js";
import { GENESIS, RECEIPT_VERSION } from "./schema.js";
import { memorySink } from "./sink.js";
import { sampleDraft } from "./test-support/drafts.js";
import { syncSigner } from "./test-support/signers.js";
import { generateKeyPair } from "../crypto/ed25519.js";
import { createReceiptWriter, unsignedReceipt } from "./writer.js";

function spread(draft: ReceiptDraft, seq: number, prev: string): Record<string, unknown> {
  return { ...draft, v: RECEIPT_VERSION, seq, prev, sig: undefined };
}

/** Own members with a defined value, in order: what canonical JSON and a reader see. */
function defined(o: object): [string, unknown][] {
  return Object.entries(o).filter(([, v]) => v !== undefined);
}

const extraKey = fc.oneof(
  fc.constantFrom(
    "approval",
    "outcome",
    "details",
    "deferral",
    "v",
    "seq",
    "prev",
    "sig",
    "__proto__",
    "toString",
  ),
  fc.string({ maxLength: 6 }),
);

describe("unsignedReceipt", () => {
  it("is the spread of the draft with v, seq, prev and an unset sig, for any extra members", () => {
    fc.assert(
      fc.property(
        fc.nat(40),
        fc.dictionary(extraKey, fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant(undefined)), {
          maxKeys: 5,
        }),
        fc.nat(1000),
        (i, extra, seq) => {
          // JSON.parse keeps a `__proto__` key as an ordinary own member, as a draft read from JSON would.
          const draft = Object.assign(
            sampleDraft(i),
            JSON.parse(JSON.stringify(extra)) as object,
          ) as ReceiptDraft;
          const got = unsignedReceipt(draft, seq, GENESIS);
          const want = spread(draft, seq, GENESIS);
          expect(Object.getPrototypeOf(got)).toBe(Object.prototype);
          expect(new Map(defined(got))).toEqual(new Map(defined(want)));
          expect(canonicalJson(got)).toBe(canonicalJson(want));
        },
      ),
    );
  });

  it("keeps a draft's `__proto__` member as a member (the receipt's prototype is untouched)", () => {
    const draft = { ...sampleDraft(1), ...(JSON.parse('{"__proto__": {"polluted": true}}') as object) };
    const r = unsignedReceipt(draft as ReceiptDraft, 1, GENESIS) as unknown as Record<string, unknown>;
    expect(Object.hasOwn(r, "__proto__")).toBe(true);
    expect(r["polluted"]).toBeUndefined();
    expect(canonicalJson(r)).toContain('"__proto__":{"polluted":true}');
  });

  it("signs the draft's members, not the writer's: a draft's own v, seq or prev is overridden", async () => {
    const sink = memorySink();
    const w = createReceiptWriter({ signer: syncSigner(generateKeyPair()), sink, validate: false });
    const draft = { ...sampleDraft(2), v: 99, seq: 42, prev: "x", note: "kept" } as unknown as ReceiptDraft;
    await w.write(draft);
    const r = sink.entries[0]!.receipt as unknown as Record<string, unknown>;
    expect([r["v"], r["seq"], r["prev"], r["note"]]).toEqual([RECEIPT_VERSION, 1, GENESIS, "kept"]);
  });

  it("refuses, with validation on, a draft with a member the schema does not know (nothing is signed)", async () => {
    const sink = memorySink();
    const w = createReceiptWriter({ signer: syncSigner(generateKeyPair()), sink });
    const draft = { ...sampleDraft(3), note: "rides along" } as unknown as ReceiptDraft;
    await expect(w.write(draft)).rejects.toMatchObject({ stage: "draft" });
    expect(sink.entries).toHaveLength(0);
  });
});
