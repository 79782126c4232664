/**
 * The keyword-level pieces of the JSON Schema conversion that need no recursion: which JSON types a schema
 * names or implies, `enum`/`const` values, and the string and number constraints. See to-type.ts.
 */
import { type NumberType, type StringType, type Type, T_ANY, T_BOOLEAN, T_NULL } from "../types.js";
import { opt, unionOf } from "./intersect.js";
import { own } from "./refs.js";

/** A JSON Schema object. */
export type Schema = Readonly<Record<string, unknown>>;

const OBJECT_KEYWORDS = [
  "properties",
  "required",
  "additionalProperties",
  "patternProperties",
  "unevaluatedProperties",
];
const ARRAY_KEYWORDS = ["items", "prefixItems", "minItems", "maxItems", "additionalItems"];
const STRING_KEYWORDS = ["minLength", "maxLength", "pattern"];
const NUMBER_KEYWORDS = ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"];

/** The JSON types a schema names (or implies), or undefined when it says nothing about the type. */
export function typeNames(s: Schema): string[] | undefined {
  const declared = own(s, "type");
  let names: string[] | undefined;
  if (typeof declared === "string") names = [declared];
  else if (Array.isArray(declared)) names = declared.filter((x): x is string => typeof x === "string");
  else {
    const implied: string[] = [];
    const has = (keys: readonly string[]) => keys.some((k) => Object.hasOwn(s, k));
    if (has(OBJECT_KEYWORDS)) implied.push("object");
    if (has(ARRAY_KEYWORDS)) implied.push("array");
    if (has(STRING_KEYWORDS)) implied.push("string");
    if (has(NUMBER_KEYWORDS)) implied.push("number");
    names = implied.length > 0 ? implied : undefined;
  }
  if (names !== undefined && own(s, "nullable") === true && !names.includes("null"))
    names = [...names, "null"];
  if (names?.includes("number")) names = names.filter((n) => n !== "integer");
  return names;
}

function jsonTypeOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

/** A type for a list of allowed values (values that `type` excludes are dropped). */
export function enumType(values: readonly unknown[], names: readonly string[] | undefined): Type {
  const allowed = values.filter((v) => {
    const jt = jsonTypeOf(v);
    return names === undefined || names.includes(jt) || (jt === "integer" && names.includes("number"));
  });
  const strings = [...new Set(allowed.filter((v): v is string => typeof v === "string"))];
  const numbers = [...new Set(allowed.filter((v): v is number => typeof v === "number"))];
  const members: Type[] = [];
  if (strings.length > 0) members.push({ kind: "string", enum: strings });
  if (numbers.length > 0)
    members.push({ kind: "number", integer: numbers.every(Number.isInteger), enum: numbers });
  if (allowed.some((v) => typeof v === "boolean")) members.push(T_BOOLEAN);
  if (allowed.includes(null)) members.push(T_NULL);
  if (allowed.some((v) => typeof v === "object" && v !== null)) members.push(T_ANY);
  return members.length === 0 ? T_ANY : unionOf(members);
}

/** A non-negative integer keyword value, else undefined. */
export function nonNegInt(s: Schema, key: string): number | undefined {
  const v = own(s, key);
  return typeof v === "number" && Number.isInteger(v) && v >= 0 ? v : undefined;
}

function num(s: Schema, key: string): number | undefined {
  const v = own(s, key);
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

/** A string keyword value, else undefined. */
export function str(s: Schema, key: string): string | undefined {
  const v = own(s, key);
  return typeof v === "string" ? v : undefined;
}

/** A string type with its constraints. */
export function stringType(s: Schema): StringType {
  return {
    kind: "string",
    ...opt("minLength", nonNegInt(s, "minLength")),
    ...opt("maxLength", nonNegInt(s, "maxLength")),
    ...opt("pattern", str(s, "pattern")),
    ...opt("format", str(s, "format")),
  };
}

/** A number type with its bounds (draft-04's boolean `exclusiveMinimum` is ignored). */
export function numberType(s: Schema, integer: boolean): NumberType {
  return {
    kind: "number",
    integer,
    ...opt("minimum", num(s, "minimum")),
    ...opt("maximum", num(s, "maximum")),
    ...opt("exclusiveMinimum", num(s, "exclusiveMinimum")),
    ...opt("exclusiveMaximum", num(s, "exclusiveMaximum")),
  };
}
