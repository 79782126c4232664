import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isPlainSchema, MAX_DEPTH } from "./plain.js";
import { checkSchema, createAjv, DIALECT_URI, type Dialect } from "./validate.js";

// The fast path's claim: a plain schema passes ajv's meta-validation and compiles, in every dialect. Checked here
// against ajv itself, so an ajv upgrade that breaks the claim fails these tests.

const DIALECTS: readonly Dialect[] = ["2020-12", "2019-09", "draft-07"];

const shared = new Map<Dialect, ReturnType<typeof createAjv>>();

/** What ajv says about a schema, with no fast path: "ok", or why not. */
function ajvVerdict(schema: unknown, dialect: Dialect): string {
  // A fresh instance when the schema declares ids (removeSchema leaves nested ones behind), else a shared one.
  let ajv = JSON.stringify(schema).includes('"$id"') ? createAjv(dialect) : shared.get(dialect);
  if (ajv === undefined) shared.set(dialect, (ajv = createAjv(dialect)));
  const copy =
    typeof schema === "object" && schema !== null ? { ...schema, $schema: DIALECT_URI[dialect] } : schema;
  try {
    if (!ajv.validateSchema(copy as object)) return `meta: ${ajv.errorsText(ajv.errors)}`;
    ajv.compile(copy as object);
    return "ok";
  } catch (e) {
    return `compile: ${e instanceof Error ? e.message : String(e)}`;
  } finally {
    if (typeof copy === "object" && copy !== null) ajv.removeSchema(copy);
  }
}

const name = fc.constantFrom("a", "b", "to", "amount", "constructor", "x-y", "");
const primitive = fc.oneof(
  fc.string({ maxLength: 3 }),
  fc.integer({ min: -3, max: 3 }),
  fc.boolean(),
  fc.constant(null),
);
const json = fc.oneof(
  primitive,
  fc.array(primitive, { maxLength: 2 }),
  fc.dictionary(name, primitive, { maxKeys: 2 }),
);
const number = fc.oneof(fc.integer({ min: -5, max: 5 }), fc.double({ min: -5, max: 5, noNaN: true }));
const typeName = fc.constantFrom(
  "array",
  "boolean",
  "integer",
  "null",
  "number",
  "object",
  "string",
  "float",
  "any",
);
const patternText = fc.constantFrom("^a+$", "[a-z]", "\\d{2}", "a\\Z", "(", "\\p{L}", "[", "x\\\\Z", ".*");

/** Near-plain schemas: the plain keywords with good and bad values, and a few keywords outside the subset. */
const schema: fc.Arbitrary<unknown> = fc.letrec<{ schema: unknown }>((tie) => {
  const sub = tie("schema");
  const keyword: fc.Arbitrary<[string, unknown]> = fc.oneof(
    fc.tuple(
      fc.constantFrom("title", "description", "$comment", "format"),
      fc.oneof(fc.string(), fc.integer()),
    ),
    fc.tuple(fc.constantFrom("default", "const"), json),
    fc.tuple(fc.constant("examples"), fc.oneof(fc.array(json), json)),
    fc.tuple(
      fc.constantFrom("deprecated", "readOnly", "writeOnly", "uniqueItems"),
      fc.oneof(fc.boolean(), primitive),
    ),
    fc.tuple(fc.constant("type"), fc.oneof(typeName, fc.array(typeName, { maxLength: 3 }), primitive)),
    fc.tuple(
      fc.constant("enum"),
      fc.oneof(fc.array(primitive, { maxLength: 3 }), fc.array(json, { maxLength: 2 }), primitive),
    ),
    fc.tuple(
      fc.constantFrom("multipleOf", "maximum", "minimum", "exclusiveMaximum", "exclusiveMinimum"),
      fc.oneof(number, primitive),
    ),
    fc.tuple(
      fc.constantFrom("maxLength", "minLength", "maxItems", "minItems", "maxProperties", "minProperties"),
      fc.oneof(number, primitive),
    ),
    fc.tuple(fc.constant("pattern"), fc.oneof(patternText, primitive)),
    fc.tuple(
      fc.constant("required"),
      fc.oneof(fc.array(name, { maxLength: 3 }), fc.array(primitive, { maxLength: 2 })),
    ),
    fc.tuple(fc.constant("properties"), fc.oneof(fc.dictionary(name, sub, { maxKeys: 3 }), primitive)),
    fc.tuple(fc.constantFrom("additionalProperties", "items", "not"), fc.oneof(sub, primitive)),
    fc.tuple(fc.constant("items"), fc.array(sub, { maxLength: 2 })),
    fc.tuple(fc.constantFrom("allOf", "anyOf", "oneOf"), fc.oneof(fc.array(sub, { maxLength: 3 }), sub)),
    fc.tuple(
      fc.constantFrom("nullable", "$ref", "$id", "$defs", "$anchor", "formatMaximum", "x-extra"),
      json,
    ),
  );
  return {
    schema: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      fc.boolean(),
      fc.array(keyword, { maxLength: 4 }).map((entries) => Object.fromEntries(entries)),
    ),
  };
}).schema;

describe("plain schemas", () => {
  it("are meta-valid and compile in every dialect (generated near-plain schemas)", () => {
    let plain = 0;
    let rejectedByAjv = 0;
    fc.assert(
      fc.property(schema, (s) => {
        const root = typeof s === "boolean" ? s : { type: "object", properties: { p: s } };
        if (!isPlainSchema(root)) {
          if (DIALECTS.some((d) => ajvVerdict(root, d) !== "ok")) rejectedByAjv++;
          return;
        }
        plain++;
        for (const d of DIALECTS) expect(ajvVerdict(root, d), `${d}: ${JSON.stringify(root)}`).toBe("ok");
      }),
      { numRuns: 1000, seed: 7 },
    );
    
    // The generator reaches both sides: plain schemas, and non-plain ones ajv really refuses.
    expect(plain).toBeGreaterThan(100);
    expect(rejectedByAjv).toBeGreaterThan(100);
  });

  it("leave the edge cases ajv refuses (or treats specially) to ajv", () => {
    const notPlain: unknown[] = [
      { enum: [] }, // meta-valid in 2020-12, but ajv cannot compile it
      { type: "string", nullable: true },
      { type: "string", pattern: "a\\Z" }, // the meta-schemas' regex format refuses \Z
      { type: "string", pattern: "(" },
      { enum: [{ a: 1 }, { a: 1 }] },
      { type: ["string", "string"] },
      { required: ["a", "a"] },
      { items: [{ type: "string" }] },
      { properties: { a: { $ref: "#/$defs/x" } } },
      { formatMaximum: 3 },
      { maxLength: -1 },
      { maxLength: 1.5 },
      { multipleOf: 0 },
      { properties: { ["__proto__"]: { type: "string" } } },
      { properties: { a: { $schema: "http://json-schema.org/draft-07/schema#" } } },
    ];
    for (const s of notPlain) expect(isPlainSchema(s), JSON.stringify(s)).toBe(false);
    expect(isPlainSchema({ $schema: DIALECT_URI["draft-07"], type: "object" })).toBe(true);
  });

  it("stop at MAX_DEPTH nesting (deeper schemas go through ajv)", () => {
    const nest = (n: number): unknown =>
      n === 0 ? { type: "string" } : { type: "array", items: nest(n - 1) };
    expect(isPlainSchema(nest(MAX_DEPTH))).toBe(true);
    expect(isPlainSchema(nest(MAX_DEPTH + 1))).toBe(false);
    expect(checkSchema(nest(MAX_DEPTH + 1))).toBeUndefined();
  });

  it("give checkSchema ajv's verdict on every tools file of the examples and fixtures", () => {
    const root = join(import.meta.dirname, "../..");
    const files = [
      ...readdirSync(join(root, "examples"), { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => join(root, "examples", e.name, "tools.json")),
      ...readdirSync(join(import.meta.dirname, "fixtures")).map((f) =>
        join(import.meta.dirname, "fixtures", f),
      ),
    ].filter((f) => {
      try {
        return readFileSync(f, "utf8").length > 0;
      } catch {
        return false;
      }
    });
    let schemas = 0;
    for (const f of files) {
      const doc = JSON.parse(readFileSync(f, "utf8")) as { tools?: { inputSchema?: unknown }[] };
      for (const tool of doc.tools ?? []) {
        const s = tool.inputSchema;
        if (s === undefined) continue;
        schemas++;
        const fast = checkSchema(s) === undefined ? "ok" : "problem";
        expect(fast, `${f}: ${JSON.stringify(s)}`).toBe(ajvVerdict(s, "2020-12") === "ok" ? "ok" : "problem");
      }
    }
    expect(schemas).toBeGreaterThan(50);
  });
});
