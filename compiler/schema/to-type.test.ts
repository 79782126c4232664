import { describe, expect, it } from "vitest";
import { type ObjectType, type Property, type Type, T_ANY, T_BOOLEAN, T_NULL } from "../types.js";
import { schemaToType } from "./to-type.js";

const S: Type = { kind: "string" };
const N: Type = { kind: "number", integer: false };
const I: Type = { kind: "number", integer: true };
const prop = (type: Type, required = false, description?: string): Property =>
  description === undefined ? { type, required } : { type, required, description };
const obj = (props: Record<string, Property>, additional: Type | boolean = true): ObjectType => ({
  kind: "object",
  properties: new Map(Object.entries(props)),
  additional,
});
const list = (element: Type): Type => ({ kind: "list", element });
const convert = (schema: unknown): Type => schemaToType(schema);

describe("schemaToType: scalars", () => {
  it("keeps string constraints and formats", () => {
    expect(convert({ type: "string", minLength: 1, maxLength: 5, pattern: "^a", format: "email" })).toEqual({
      kind: "string",
      minLength: 1,
      maxLength: 5,
      pattern: "^a",
      format: "email",
    });
  });
  it("keeps numeric bounds and distinguishes integer", () => {
    expect(
      convert({ type: "integer", minimum: 1, maximum: 9, exclusiveMinimum: 0, exclusiveMaximum: 10 }),
    ).toEqual({
      kind: "number",
      integer: true,
      minimum: 1,
      maximum: 9,
      exclusiveMinimum: 0,
      exclusiveMaximum: 10,
    });
    expect(convert({ type: "number" })).toEqual(N);
    expect(convert({ type: "boolean" })).toBe(T_BOOLEAN);
    expect(convert({ type: "null" })).toBe(T_NULL);
  });
  it("ignores draft-04 boolean exclusive bounds and malformed constraints", () => {
    expect(convert({ type: "number", exclusiveMinimum: true, minimum: "1" })).toEqual(N);
    expect(convert({ type: "string", minLength: -1 })).toEqual(S);
  });
  it("turns type arrays and nullable into unions", () => {
    expect(convert({ type: ["string", "null"] })).toEqual({ kind: "union", members: [S, T_NULL] });
    expect(convert({ type: "string", nullable: true })).toEqual({ kind: "union", members: [S, T_NULL] });
    expect(convert({ type: ["integer", "number"] })).toEqual(N);
  });
  it("reads enum and const, dropping values the type excludes", () => {
    expect(convert({ type: "string", enum: ["open", "closed", "open"] })).toEqual({
      kind: "string",
      enum: ["open", "closed"],
    });
    expect(convert({ enum: [1, 2, 3] })).toEqual({ kind: "number", integer: true, enum: [1, 2, 3] });
    expect(convert({ enum: ["a", 1.5, null, true] })).toEqual({
      kind: "union",
      members: [
        { kind: "string", enum: ["a"] },
        { kind: "number", integer: false, enum: [1.5] },
        T_BOOLEAN,
        T_NULL,
      ],
    });
    expect(convert({ const: "x" })).toEqual({ kind: "string", enum: ["x"] });
    expect(convert({ type: "string", enum: ["a", 1] })).toEqual({ kind: "string", enum: ["a"] });
    expect(convert({ enum: [{ a: 1 }, "b"] })).toBe(T_ANY);
  });
  it("maps empty, true and false schemas to any", () => {
    expect(convert({})).toBe(T_ANY);
    expect(convert(true)).toBe(T_ANY);
    expect(convert(false)).toBe(T_ANY);
    expect(convert({ description: "anything" })).toBe(T_ANY);
  });
  it("implies the type from keywords when type is absent", () => {
    expect(convert({ properties: { a: { type: "string" } } })).toEqual(obj({ a: prop(S) }));
    expect(convert({ items: { type: "string" } })).toEqual(list(S));
    expect(convert({ maxLength: 3 })).toEqual({ kind: "string", maxLength: 3 });
    expect(convert({ minimum: 0 })).toEqual({ kind: "number", integer: false, minimum: 0 });
  });
});

describe("schemaToType: objects", () => {
  it("converts nested objects, required and descriptions", () => {
    const t = convert({
      type: "object",
      properties: {
        to: { type: "string", description: "recipient" },
        meta: {
          type: "object",
          properties: { id: { type: "integer" } },
          required: ["id"],
          additionalProperties: false,
        },
      },
      required: ["to", "cc"],
    });
    expect(t).toEqual(
      obj({
        to: prop(S, true, "recipient"),
        meta: prop(obj({ id: prop(I, true) }, false)),
        cc: prop(T_ANY, true),
      }),
    );
  });
  it("reads additionalProperties as a map type, false or true", () => {
    expect(convert({ type: "object", additionalProperties: { type: "string" } })).toEqual(obj({}, S));
    expect(convert({ type: "object", additionalProperties: false })).toEqual(obj({}, false));
    expect(convert({ type: "object", additionalProperties: true })).toEqual(obj({}, true));
    expect(convert({ type: "object", additionalProperties: {} })).toEqual(obj({}, true));
    expect(convert({ type: "object" })).toEqual(obj({}, true));
    expect(convert({ type: "object", unevaluatedProperties: false })).toEqual(obj({}, false));
  });
  it("reads patternProperties as a map of the union of their schemas", () => {
    const t = convert({
      type: "object",
      patternProperties: { "^s_": { type: "string" }, "^n_": { type: "number" } },
      additionalProperties: false,
    });
    expect(t).toEqual(obj({}, { kind: "union", members: [S, N] }));
    expect(
      convert({
        type: "object",
        patternProperties: { x: { type: "boolean" } },
        additionalProperties: { type: "null" },
      }),
    ).toEqual(obj({}, { kind: "union", members: [T_NULL, T_BOOLEAN] }));
  });
  it("leaves out properties whose schema is false and never reads inherited keys", () => {
    const t = convert({
      type: "object",
      properties: { gone: false, constructor: { type: "string" } },
      required: ["toString"],
    });
    expect(t).toEqual(obj({ constructor: prop(S), toString: prop(T_ANY, true) }));
    const proto = JSON.parse('{"type":"object","properties":{"__proto__":{"type":"integer"}}}') as unknown;
    expect(convert(proto)).toEqual(obj({ ["__proto__"]: prop(I) }));
  });
});

describe("schemaToType: arrays", () => {
  it("converts items, bounds and tuples", () => {
    expect(convert({ type: "array", items: { type: "string" }, minItems: 1, maxItems: 3 })).toEqual({
      kind: "list",
      element: S,
      minItems: 1,
      maxItems: 3,
    });
    expect(convert({ type: "array" })).toEqual(list(T_ANY));
    expect(
      convert({ type: "array", prefixItems: [{ type: "string" }, { type: "integer" }], items: false }),
    ).toEqual(list({ kind: "union", members: [S, I] }));
    expect(convert({ type: "array", prefixItems: [{ type: "string" }], items: { type: "boolean" } })).toEqual(
      list({ kind: "union", members: [S, T_BOOLEAN] }),
    );
    expect(
      convert({ type: "array", items: [{ type: "string" }], additionalItems: { type: "null" } }),
    ).toEqual(list({ kind: "union", members: [S, T_NULL] }));
    expect(convert({ type: "array", prefixItems: [{ type: "string" }] })).toEqual(list(T_ANY));
  });
});
