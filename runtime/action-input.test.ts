/**
 * The hand check of session.decide's input against zod's: whatever it accepts, zod accepts with the same values;
 * it accepts the common shapes (or it would never be used); and parseAction agrees with zod on every input.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ActionSchema, parseAction, plainAction } from "./action-input.js";

/** Members with an undefined value left out (zod and the hand check differ only there). */
const defined = (o: object) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

const jsonArgs = fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 });
const oddValue = fc.oneof(
  fc.constantFrom(
    undefined,
    null,
    "",
    Number.NaN,
    Number.POSITIVE_INFINITY,
    -0,
    [],
    {},
    () => 1,
    Symbol("s"),
  ),
  fc.string({ maxLength: 4 }),
  fc.double(),
  fc.integer(),
  fc.boolean(),
  jsonArgs,
  fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
);
const validAction = fc.record(
  {
    id: fc.string({ minLength: 1, maxLength: 10 }),
    tool: fc.string({ minLength: 1, maxLength: 10 }),
    args: jsonArgs,
    time: fc.double({ noNaN: true, noDefaultInfinity: true }),
  },
  { requiredKeys: ["tool", "args"] },
);
/** Valid actions with one member replaced by an odd value, or an extra member, or odd args inside. */
const oddAction = fc.oneof(
  validAction,
  fc
    .tuple(validAction, fc.constantFrom("id", "tool", "args", "time", "extra", "__proto__"), oddValue)
    .map(([a, k, v]) => ({ ...a, [k]: v })),
  fc
    .tuple(validAction, fc.string({ maxLength: 3 }), oddValue)
    .map(([a, k, v]) => ({ ...a, args: { ...a.args, [k]: v } })),
  oddValue,
);

describe("plainAction against ActionSchema", () => {
  it("accepts only what zod accepts, with the same values; parseAction agrees with zod", () => {
    fc.assert(
      fc.property(oddAction, (input) => {
        const z = ActionSchema.safeParse(input);
        const quick = plainAction(input);
        if (quick !== null) {
          expect(z.success).toBe(true);
          expect(defined(quick)).toStrictEqual(defined(z.data!));
        }
        const p = parseAction(input);
        expect(p.success).toBe(z.success);
        if (p.success) expect(defined(p.data)).toStrictEqual(defined(z.data!));
      }),
      { numRuns: 2000 },
    );
  });

  it("accepts every valid plain action (the fast path is the one taken)", () => {
    fc.assert(
      fc.property(validAction, (input) => {
        expect(plainAction(JSON.parse(JSON.stringify(input)))).not.toBeNull();
      }),
    );
  });

  it("leaves to zod what is not a plain object, and input that throws when read", () => {
    class Action {
      tool = "t";
      args = {};
    }
    const throwing = Object.defineProperty({ args: {} }, "tool", {
      enumerable: true,
      get: () => {
        throw new Error("boom");
      },
    });
    for (const input of [
      new Action(),
      Object.assign(Object.create(null) as object, { tool: "t", args: {} }),
      throwing,
    ])
      expect(plainAction(input)).toBeNull();
    expect(parseAction(new Action()).success).toBe(ActionSchema.safeParse(new Action()).success);
  });

  it("snapshots the arguments: a copy, each getter read once", () => {
    let reads = 0;
    const args = Object.defineProperty({ a: [1] }, "g", { enumerable: true, get: () => ++reads });
    const r = plainAction({ tool: "t", args });
    expect(reads).toBe(1);
    expect(r?.args).toEqual({ a: [1], g: 1 });
    expect(r?.args).not.toBe(args);
    expect((r?.args as { a: unknown }).a).not.toBe(args.a);
  });
});
