import { describe, expect, it } from "vitest";
import type { IrPolicy } from "./ir/index.js";
import { ajvValidator, ucs2Exports } from "./validate.js";

const policyWith = (inputSchema: object) => ({ tools: { t: { inputSchema } } }) as unknown as IrPolicy;

describe("argument validation", () => {
  const validate = ajvValidator(
    policyWith({
      type: "object",
      properties: { s: { type: "string", minLength: 2, maxLength: 3 } },
      required: ["s"],
      additionalProperties: false,
    }),
  );

  it("compiles validators with the surrogate-aware length in place of ajv's walk, and restores ajv's own", () => {
    expect(ucs2Exports).not.toBeNull();
    expect(ucs2Exports!.default("a😀")).toBe(2);
    expect(ucs2Exports!.default.name).toBe("ucs2length");
  });

  it("counts minLength and maxLength in code points, as JSON Schema says", () => {
    expect(validate("t", { s: "abc" })).toBeNull();
    expect(validate("t", { s: "abcd" })).toMatch(/^args\.s /);
    expect(validate("t", { s: "a" })).toMatch(/^args\.s /);
    // Three emoji are six UTF-16 units but three characters.
    expect(validate("t", { s: "😀😀😀" })).toBeNull();
    expect(validate("t", { s: "😀😀😀😀" })).toMatch(/^args\.s /);
    expect(validate("t", { s: "😀" })).toMatch(/^args\.s /);
    // A lone surrogate is one character.
    expect(validate("t", { s: "a\ud800" })).toBeNull();
    expect(validate("t", { s: "ab\udc00c" })).toMatch(/^args\.s /);
  });

  it("fails closed on what it cannot validate", () => {
    expect(validate("t", null)).toBe("args must be an object");
    expect(validate("u", {})).toBe("tool 'u' has no input schema");
    expect(validate("t", { s: "abc", extra: 1 })).toBe("args.extra is not an argument of this tool");
  });
});
