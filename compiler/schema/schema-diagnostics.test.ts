import { describe, expect, it } from "vitest";
import { at, brief, loadText, TOOLS_PATH } from "./test-support/harness.js";

/** A tools/list result with one tool whose inputSchema is `schema` (pretty-printed). */
const withSchema = (schema: unknown, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({ tools: [{ name: "t", ...extra, inputSchema: schema }] }, null, 2);

const one = (text: string) => {
  const d = brief(loadText(text));
  expect(d).toHaveLength(1);
  return d[0];
};

describe("AARM3010: meta-validation", () => {
  it("points at a misspelt type", () => {
    const text = withSchema({ type: "object", properties: { n: { type: "strin" } } });
    expect(one(text)).toEqual({
      code: "AARM3010",
      sourceId: TOOLS_PATH,
      span: at(text, '"strin"'),
      message:
        'invalid JSON Schema: /properties/n/type must be equal to one of the allowed values ("array", "boolean", "integer", "null", "number", "object", "string")',
    });
  });
  it("points at a pattern that is not a valid regular expression", () => {
    const text = withSchema({ type: "object", properties: { n: { type: "string", pattern: "(unclosed" } } });
    expect(one(text)).toEqual({
      code: "AARM3010",
      sourceId: TOOLS_PATH,
      span: at(text, '"(unclosed"'),
      message:
        "invalid JSON Schema: /properties/n/pattern is not a valid regular expression (u flag): Unterminated group",
    });
  });
  it("checks patternProperties keys, in every dialect, at the key", () => {
    for (const $schema of [
      "https://json-schema.org/draft/2020-12/schema",
      "http://json-schema.org/draft-07/schema#",
    ]) {
      const text = withSchema({
        $schema,
        type: "object",
        patternProperties: { "^x_\\q": { type: "string" } },
      });
      expect(one(text)).toEqual({
        code: "AARM3010",
        sourceId: TOOLS_PATH,
        span: at(text, '"^x_\\\\q"'),
        message:
          "invalid JSON Schema: /patternProperties/^x_\\q is not a valid regular expression (u flag): Invalid escape",
      });
    }
  });
  it("points at a required list that is not an array, by its key when it is an object", () => {
    const text = withSchema({ type: "object", required: { a: true } });
    expect(one(text)).toEqual({
      code: "AARM3010",
      sourceId: TOOLS_PATH,
      span: at(text, '"required"'),
      message: "invalid JSON Schema: /required must be array",
    });
  });
  it("validates outputSchema too, with the draft-07 meta-schema when $schema says so", () => {
    const text = withSchema(
      { type: "object" },
      {
        outputSchema: {
          $schema: "http://json-schema.org/draft-07/schema#",
          type: "object",
          minProperties: -1,
        },
      },
    );
    expect(one(text)).toEqual({
      code: "AARM3010",
      sourceId: TOOLS_PATH,
      span: at(text, "-1"),
      message: "invalid JSON Schema: /minProperties must be >= 0",
    });
  });
});

describe("AARM3011: compile errors", () => {
  it("reports a schema that validates but cannot be compiled, at the schema", () => {
    const text = withSchema({
      type: "object",
      $defs: { a: { $id: "urn:x", type: "string" }, b: { $id: "urn:x", type: "number" } },
    });
    expect(one(text)).toEqual({
      code: "AARM3011",
      sourceId: TOOLS_PATH,
      span: at(text, '"inputSchema"'),
      message: 'the JSON Schema cannot be compiled: reference "urn:x" resolves to more than one schema',
    });
  });
});

describe("AARM3012: inputSchema must describe an object", () => {
  it("rejects a scalar type, at the type", () => {
    const text = withSchema({ type: "string" });
    expect(one(text)).toEqual({
      code: "AARM3012",
      sourceId: TOOLS_PATH,
      span: at(text, '"string"'),
      message: 'the inputSchema of "t" must describe an object; found type string',
    });
  });
  it("rejects an unconstrained schema, at the inputSchema key", () => {
    for (const schema of [{}, true]) {
      const text = withSchema(schema);
      expect(one(text)).toEqual({
        code: "AARM3012",
        sourceId: TOOLS_PATH,
        span: schema === true ? at(text, "true") : at(text, '"inputSchema"'),
        message:
          'the inputSchema of "t" must describe an object; found a schema that does not constrain the type',
      });
    }
  });
  it("rejects a union that is not all objects, and accepts one that is", () => {
    const text = withSchema({ anyOf: [{ type: "object" }, { type: "string" }] });
    expect(one(text)?.message).toBe('the inputSchema of "t" must describe an object; found type {} | string');
    expect(
      brief(loadText(withSchema({ oneOf: [{ type: "object" }, { type: "object", properties: { a: {} } }] }))),
    ).toEqual([]);
  });
  it("rejects a single JSON Schema file that is not an object, at its opening bracket", () => {
    expect(one('{"type": "array"}')).toEqual({
      code: "AARM3012",
      sourceId: TOOLS_PATH,
      span: { start: 9, end: 16 },
      message: 'the inputSchema of "tools" must describe an object; found type list<any>',
    });
  });
});

describe("AARM3013 / AARM3014: references", () => {
  it("reports a remote $ref at its value", () => {
    const text = withSchema({ type: "object", properties: { a: { $ref: "https://example.com/a.json" } } });
    expect(one(text)).toEqual({
      code: "AARM3013",
      sourceId: TOOLS_PATH,
      span: at(text, '"https://example.com/a.json"'),
      message:
        '$ref "https://example.com/a.json" points outside this schema; only local references are supported',
    });
  });
  it("reports an unresolved local $ref at its value", () => {
    const text = withSchema({
      type: "object",
      properties: { a: { $ref: "#/$defs/Nope" } },
      $defs: { Yes: {} },
    });
    expect(one(text)).toEqual({
      code: "AARM3014",
      sourceId: TOOLS_PATH,
      span: at(text, '"#/$defs/Nope"'),
      message: '$ref "#/$defs/Nope" does not resolve to anything in this schema',
    });
  });
  it("finds references the type conversion never visits (inside not) through the validator", () => {
    const text = withSchema({ type: "object", not: { $ref: "#/definitions/gone" } });
    expect(one(text)).toEqual({
      code: "AARM3014",
      sourceId: TOOLS_PATH,
      span: at(text, '"#/definitions/gone"'),
      message: '$ref "#/definitions/gone" does not resolve to anything in this schema',
    });
    const remote = withSchema({ type: "object", not: { $ref: "other.json" } });
    expect(one(remote)?.code).toBe("AARM3013");
    const based = withSchema({ $id: "https://example.com/s", type: "object", not: { $ref: "#/$defs/gone" } });
    expect(one(based)).toEqual({
      code: "AARM3014",
      sourceId: TOOLS_PATH,
      span: at(based, '"#/$defs/gone"'),
      message: '$ref "#/$defs/gone" does not resolve to anything in this schema',
    });
  });
  it("compiles each tool's schema on its own: $ids in one tool do not clash with another's", () => {
    // ajv remembers nested $ids after a schema is removed; a later root $id equal to one would then clash.
    const a = {
      name: "a",
      inputSchema: { type: "object", $defs: { n: { $id: "urn:example:n", type: "string" } } },
    };
    const b = { name: "b", inputSchema: { $id: "urn:example:n", type: "object" } };
    expect(brief(loadText(JSON.stringify([a, b])))).toEqual([]);
  });
});

describe("AARM3015: dialects", () => {
  it("rejects draft-04 and unknown $schema URIs, at the URI", () => {
    const uri = "http://json-schema.org/draft-04/schema#";
    const text = withSchema({ $schema: uri, type: "object" });
    expect(one(text)).toEqual({
      code: "AARM3015",
      sourceId: TOOLS_PATH,
      span: at(text, JSON.stringify(uri)),
      message: `$schema "${uri}" is not a supported JSON Schema dialect`,
    });
  });
  it("accepts 2020-12, 2019-09 and draft-07 spelt with or without https and #", () => {
    for (const uri of [
      "https://json-schema.org/draft/2020-12/schema",
      "https://json-schema.org/draft/2019-09/schema#",
      "http://json-schema.org/draft-07/schema#",
      "https://json-schema.org/draft-07/schema",
    ]) {
      expect(
        brief(loadText(withSchema({ $schema: uri, type: "object", properties: { a: { type: "string" } } }))),
      ).toEqual([]);
    }
  });
});
