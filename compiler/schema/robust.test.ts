import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { schemaToType } from "./to-type.js";
import { loadText } from "./test-support/harness.js";

// Hostile or random input never throws (nor reaches loadTools' internal-error fallback) and every diagnostic has a span inside the file it names.
const keywords = fc.constantFrom(
  "type",
  "properties",
  "required",
  "items",
  "prefixItems",
  "$ref",
  "$defs",
  "allOf",
  "anyOf",
  "oneOf",
  "enum",
  "const",
  "additionalProperties",
  "patternProperties",
  "pattern",
  "$schema",
  "$id",
  "__proto__",
);
const refs = fc.constantFrom(
  "#",
  "#/$defs/a",
  "#/properties/x",
  "#a",
  "http://x/y",
  "#/$defs/%zz",
  "#/items/0",
);
const schemaLike = fc.letrec<{ schema: unknown }>((tie) => ({
  schema: fc.oneof(
    { depthSize: "small" },
    fc.jsonValue({ maxDepth: 2 }),
    refs.map(($ref) => ({ $ref })),
    fc.dictionary(keywords, tie("schema"), { maxKeys: 5 }),
    fc.record({
      type: fc.constantFrom("object", "array", "string", ["string", "null"], "nope"),
      properties: fc.dictionary(fc.string({ maxLength: 3 }), tie("schema"), { maxKeys: 3 }),
    }),
  ),
}));

describe("robustness", () => {
  it("schemaToType is total on arbitrary JSON and schema-like values", () => {
    fc.assert(
      fc.property(schemaLike.schema, (s) => {
        expect(() => schemaToType(s)).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });
  it("loadTools never fails internally and keeps spans inside the tools file", () => {
    fc.assert(
      fc.property(schemaLike.schema, fc.boolean(), (schema, wrap) => {
        const text =
          JSON.stringify(wrap ? { tools: [{ name: "t", inputSchema: schema }] } : schema) ?? "null";
        const r = loadText(text);
        expect(r.diagnostics.filter((d) => d.message.includes("internal error"))).toEqual([]);
        for (const d of r.diagnostics) {
          expect(d.span).toBeDefined();
          if (d.sourceId === "/p/tools.json") expect(d.span!.end).toBeLessThanOrEqual(text.length);
        }
      }),
      { numRuns: 200 },
    );
  });
  it("loadTools never fails internally on arbitrary text", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (text) => {
        const r = loadText(text);
        expect(r.diagnostics.filter((d) => d.message.includes("internal error"))).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
