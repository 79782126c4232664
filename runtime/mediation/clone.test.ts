/**
 * cloneJson, the snapshot every decision takes of its arguments: a deep copy with JSON's meaning (undefined
 * members left out, `__proto__` an ordinary key), each property read once.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cloneJson, JsonObject } from "./action.js";

describe("cloneJson", () => {
  it("copies any JSON value to an equal value that shares no object with it", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (v) => {
        const parsed: unknown = JSON.parse(JSON.stringify(v));
        const copy = cloneJson(parsed);
        expect(JSON.stringify(copy)).toBe(JSON.stringify(parsed));
        expect(copy).toStrictEqual(parsed);
        if (parsed !== null && typeof parsed === "object") expect(copy).not.toBe(parsed);
      }),
    );
  });

  it("leaves out undefined members, keeps `__proto__` as a member, and reads a getter once", () => {
    let reads = 0;
    const v = JSON.parse('{"__proto__": {"admin": true}, "a": 1}') as Record<string, unknown>;
    Object.defineProperty(v, "g", {
      enumerable: true,
      get: () => ++reads,
    });
    v["u"] = undefined;
    const copy = cloneJson(v) as Record<string, unknown>;
    expect(Object.keys(copy)).toEqual(["__proto__", "a", "g"]);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect((copy as { admin?: unknown }).admin).toBeUndefined();
    expect(copy["g"]).toBe(1);
    expect(reads).toBe(1);
  });

  it("JsonObject refuses what is not JSON, naming the path", () => {
    const r = JsonObject.safeParse({ a: { b: [1, Number.NaN] } });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(["a", "b", 1]);
    const fn = JsonObject.safeParse({ f: () => 1 });
    expect(fn.error?.issues[0]?.message).toBe("must be a JSON value, not a function");
  });
});
