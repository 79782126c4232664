import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fromBase64Url, toBase64Url } from "./ed25519.js";

describe("base64url", () => {
  it("encodes as RFC 4648 §5 without padding, for every length, and decodes back", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        const text = toBase64Url(bytes);
        expect(text).toBe(Buffer.from(bytes).toString("base64url"));
        expect(fromBase64Url(text)).toEqual(bytes);
      }),
      { numRuns: 500 },
    );
    const long = Uint8Array.from({ length: 10_001 }, (_, i) => (i * 7) & 255);
    expect(toBase64Url(long)).toBe(Buffer.from(long).toString("base64url"));
  });
});
