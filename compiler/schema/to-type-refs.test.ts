import { describe, expect, it } from "vitest";
import {
  type ObjectType,
  type Property,
  type Type,
  T_ANY,
  T_BOOLEAN,
  T_NULL,
  typeToString,
} from "../types.js";
import { asInputObject, MAX_UNROLL, schemaToType, type ToTypeIssue } from "./to-type.js";

const S: Type = { kind: "string" };
const I: Type = { kind: "number", integer: true };
const prop = (type: Type, required = false, description?: string): Property =>
  description === undefined ? { type, required } : { type, required, description };
const obj = (props: Record<string, Property>, additional: Type | boolean = true): ObjectType => ({
  kind: "object",
  properties: new Map(Object.entries(props)),
  additional,
});
const convert = (schema: unknown): Type => schemaToType(schema);
function withIssues(schema: unknown): { type: Type; issues: ToTypeIssue[] } {
  const issues: ToTypeIssue[] = [];
  return { type: schemaToType(schema, { onIssue: (i) => issues.push(i) }), issues };
}

describe("schemaToType: combinators", () => {
  it("turns oneOf and anyOf into unions", () => {
    expect(convert({ oneOf: [{ type: "string" }, { type: "integer" }] })).toEqual({
      kind: "union",
      members: [S, I],
    });
    expect(convert({ anyOf: [{ type: "string" }, { type: "null" }] })).toEqual({
      kind: "union",
      members: [S, T_NULL],
    });
  });
  it("applies sibling keywords to each branch", () => {
    const t = convert({
      type: "object",
      properties: { a: { type: "string" }, b: { type: "string" } },
      additionalProperties: false,
      oneOf: [{ required: ["a"] }, { required: ["b"] }],
    });
    expect(t).toEqual({
      kind: "union",
      members: [obj({ a: prop(S, true), b: prop(S) }, false), obj({ a: prop(S), b: prop(S, true) }, false)],
    });
    expect(asInputObject(t)).toEqual(obj({ a: prop(S), b: prop(S) }, false));
  });
  it("drops branches that contradict the base type", () => {
    expect(
      convert({ type: "string", anyOf: [{ type: "string", maxLength: 2 }, { type: "number" }] }),
    ).toEqual({
      kind: "string",
      maxLength: 2,
    });
  });
  it("merges allOf object properties and tightens bounds", () => {
    const t = convert({
      allOf: [
        { type: "object", properties: { a: { type: "integer", minimum: 0 } }, required: ["a"] },
        { type: "object", properties: { a: { type: "number", maximum: 9 }, b: { type: "boolean" } } },
      ],
    });
    expect(t).toEqual(
      obj({ a: prop({ kind: "number", integer: true, minimum: 0, maximum: 9 }, true), b: prop(T_BOOLEAN) }),
    );
    expect(convert({ allOf: [{ type: "string", enum: ["a", "b"] }, { enum: ["b", "c"] }] })).toEqual({
      kind: "string",
      enum: ["b"],
    });
  });
  it("falls back to any for a contradictory allOf", () => {
    expect(convert({ allOf: [{ type: "string" }, { type: "number" }] })).toBe(T_ANY);
  });
});

describe("schemaToType: references", () => {
  it("resolves #/$defs, #/definitions and # with sibling keywords", () => {
    const t = convert({
      type: "object",
      properties: {
        a: { $ref: "#/$defs/Name" },
        b: { $ref: "#/definitions/Count", description: "how many" },
        c: { $ref: "#/$defs/Name", maxLength: 4 },
      },
      $defs: { Name: { type: "string" } },
      definitions: { Count: { type: "integer" } },
    });
    expect(t).toEqual(
      obj({ a: prop(S), b: prop(I, false, "how many"), c: prop({ kind: "string", maxLength: 4 }) }),
    );
  });
  it("unrolls recursion MAX_UNROLL times, then cuts with any", () => {
    expect(MAX_UNROLL).toBe(2);
    const t = convert({ type: "object", properties: { child: { $ref: "#" }, v: { type: "string" } } });
    expect(t).toEqual(obj({ child: prop(obj({ child: prop(T_ANY), v: prop(S) })), v: prop(S) }));
    expect(typeToString(t)).toBe("{child, v}");
  });
  it("memoizes shared definitions", () => {
    const t = convert({
      type: "object",
      properties: { a: { $ref: "#/$defs/P" }, b: { $ref: "#/$defs/P" } },
      $defs: { P: { type: "object", properties: { x: { type: "string" } } } },
    }) as ObjectType;
    expect(t.properties.get("a")?.type).toBe(t.properties.get("b")?.type);
  });
  it("resolves anchors, escaped pointers and the root $id", () => {
    const t = convert({
      $id: "https://example.com/s.json",
      type: "object",
      properties: {
        a: { $ref: "#name" },
        b: { $ref: "#/$defs/a~1b" },
        c: { $ref: "https://example.com/s.json#/$defs/a~1b" },
      },
      $defs: { n: { $anchor: "name", type: "boolean" }, "a/b": { type: "null" } },
    });
    expect(t).toEqual(obj({ a: prop(T_BOOLEAN), b: prop(T_NULL), c: prop(T_NULL) }));
  });
  it("reports remote and unresolved references with their paths and types them as any", () => {
    const { type, issues } = withIssues({
      type: "object",
      properties: {
        r: { $ref: "https://example.com/x.json" },
        u: { $ref: "#/$defs/Missing" },
        p: { $ref: "#/properties/nope" },
      },
    });
    expect(type).toEqual(obj({ r: prop(T_ANY), u: prop(T_ANY), p: prop(T_ANY) }));
    expect(issues).toEqual([
      { kind: "remoteRef", ref: "https://example.com/x.json", path: ["properties", "r", "$ref"] },
      { kind: "unresolvedRef", ref: "#/$defs/Missing", path: ["properties", "u", "$ref"] },
      { kind: "unresolvedRef", ref: "#/properties/nope", path: ["properties", "p", "$ref"] },
    ]);
  });
  it("terminates on exponential reference graphs", () => {
    const defs: Record<string, unknown> = {};
    for (let i = 0; i < 40; i++) {
      defs[`D${i}`] = {
        type: "object",
        properties: {
          l: { $ref: `#/$defs/D${i + 1}` },
          r: { $ref: `#/$defs/D${(i + 1) % 40}` },
          s: { $ref: "#" },
        },
      };
    }
    const started = Date.now();
    const t = convert({ $ref: "#/$defs/D0", $defs: defs });
    expect(t.kind).toBe("object");
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe("asInputObject", () => {
  it("accepts objects and unions of objects only", () => {
    expect(asInputObject(obj({}))).toEqual(obj({}));
    expect(asInputObject(S)).toBeUndefined();
    expect(asInputObject(T_ANY)).toBeUndefined();
    expect(asInputObject({ kind: "union", members: [obj({}), S] })).toBeUndefined();
    expect(
      asInputObject({
        kind: "union",
        members: [obj({ a: prop(S, true) }, false), obj({ b: prop(I, true) }, { kind: "null" })],
      }),
    ).toEqual(obj({ a: prop({ kind: "union", members: [S, T_NULL] }), b: prop(I) }, T_NULL));
  });
});
