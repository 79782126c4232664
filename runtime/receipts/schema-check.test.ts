/**
 * The fast draft check (ajv, compiled from the zod schema) gives zod's verdict on valid drafts and on drafts
 * broken in every way a caller could break them: wrong types, non-finite and unsafe numbers, unknown or missing
 * fields, explicit undefined, nulls, arrays for objects.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { draftProblem, receiptProblem } from "./schema-check.js";
import { GENESIS, ReceiptDraftSchema, ReceiptSchema } from "./schema.js";
import { sampleDraft } from "./test-support/drafts.js";

type Json = Record<string, unknown>;

/** Every path to a value inside a draft (objects and arrays), the root excluded. */
function paths(v: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (v === null || typeof v !== "object") return [];
  const keys: (string | number)[] = Array.isArray(v) ? v.map((_, i) => i) : Object.keys(v);
  return keys.flatMap((k) => [[...at, k], ...paths((v as Json)[k as string], [...at, k])]);
}

function setAt(root: unknown, path: readonly (string | number)[], value: unknown): unknown {
  const copy = structuredClone(root) as Json;
  let o = copy as Json;
  for (const k of path.slice(0, -1)) o = o[k as string] as Json;
  o[path[path.length - 1] as string] = value;
  return copy;
}

const odd = fc.oneof(
  fc.constantFrom(
    undefined,
    null,
    Number.NaN,
    Infinity,
    -1,
    1.5,
    2 ** 53,
    -0,
    "",
    "ALLOW",
    "x".repeat(64),
    "0".repeat(64),
    true,
    [],
    {},
    ["a"],
    { unknown: 1 },
  ),
  fc.jsonValue({ maxDepth: 2 }),
);

describe("draft check", () => {
  it("accepts every sample draft, as zod does", () => {
    for (let i = 0; i < 30; i++) {
      expect(draftProblem.fast(sampleDraft(i))).toBe(true);
      expect(draftProblem(sampleDraft(i))).toBeNull();
    }
  });

  it("gives zod's verdict on drafts with a value replaced, a field added or a field removed", () => {
    fc.assert(
      fc.property(
        fc.nat(29),
        fc.nat(),
        odd,
        fc.constantFrom("replace", "add", "remove"),
        (i, pick, value, how) => {
          const draft = sampleDraft(i);
          const all = paths(draft);
          const path = all[pick % all.length]!;
          const changed =
            how === "replace"
              ? setAt(draft, path, value)
              : how === "add"
                ? setAt(draft, [...path.slice(0, -1), "extra"], value)
                : setAt(draft, path, undefined);
          const zod = ReceiptDraftSchema.safeParse(changed).success;
          expect(draftProblem.fast(changed)).toBe(zod);
          expect(draftProblem(changed) === null).toBe(zod);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("refuses what is not an object", () => {
    for (const v of [null, undefined, 1, "draft", [sampleDraft(0)]]) {
      expect(draftProblem.fast(v)).toBe(false);
      expect(draftProblem(v)).not.toBeNull();
    }
  });

  it("gives zod's verdict on stored receipts with a value replaced, a field added or a field removed", () => {
    const receipt = (i: number) => ({
      ...sampleDraft(i),
      v: 1,
      seq: i + 1,
      prev: GENESIS,
      sig: { alg: "Ed25519", kid: "ed25519:0123456789abcdef", value: "A".repeat(86) },
    });
    expect(receiptProblem(receipt(3))).toBeNull();
    fc.assert(
      fc.property(fc.nat(29), fc.nat(), odd, fc.boolean(), (i, pick, value, add) => {
        const r = receipt(i);
        const all = paths(r);
        const path = all[pick % all.length]!;
        const changed = setAt(r, add ? [...path.slice(0, -1), "extra"] : path, value);
        const zod = ReceiptSchema.safeParse(changed).success;
        expect(receiptProblem.fast(changed)).toBe(zod);
        expect(receiptProblem(changed) === null).toBe(zod);
      }),
      { numRuns: 2000 },
    );
  });
});
