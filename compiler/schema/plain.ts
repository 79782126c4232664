/**
 * Plain schemas: the subset of JSON Schema for which validate.ts can answer "usable" without running ajv.
 *
 * `checkSchema` meta-validates a schema and compiles it with ajv only to learn whether the runtime will be able to
 * compile it; the compiled validator is thrown away. For a 100-tool file that costs more than parsing and checking
 * the policy. Most tool schemas use a handful of keywords whose well-formedness is a local property of their value
 * (a number, a non-empty array of distinct strings, a regular expression), so this module decides them directly:
 *
 * - `isPlainSchema(s)` holds only if every keyword of every subschema is in the table below, with a value the
 *   meta-schemas of all three dialects accept (checked at least as strictly as they do), nested at most
 *   MAX_DEPTH deep. Then ajv's meta-validation passes, and so does its compilation: none of these keywords can
 *   make ajv throw once its value is well-formed (no `$ref`, `$id`, `$anchor`, `nullable`, empty `enum`, ...).
 * - Anything else (an unknown keyword, `$ref`, a tuple `items`, a suspicious pattern) is not plain, and goes
 *   through ajv exactly as before. Being conservative only costs time, never a different answer.
 *
 * plain.test.ts checks the claim against ajv itself, on generated schemas and on every fixture.
 */
import { isRecord } from "./refs.js";

/** Deeper schemas go through ajv (whose compiler, not this check, sets the limits that matter there). */
export const MAX_DEPTH = 32;

const SIMPLE_TYPES = new Set(["array", "boolean", "integer", "null", "number", "object", "string"]);

type Check = (value: unknown, depth: number) => boolean;

const isString: Check = (v) => typeof v === "string";
const isBoolean: Check = (v) => typeof v === "boolean";
const isNumber: Check = (v) => typeof v === "number" && Number.isFinite(v);
const isCount: Check = (v) => typeof v === "number" && Number.isInteger(v) && v >= 0;
const anyValue: Check = () => true;

/** A non-empty array of distinct strings or other primitives, as `type`, `required` and draft-07 `enum` need. */
function distinctPrimitives(v: unknown, allowed: (x: unknown) => boolean, nonEmpty: boolean): boolean {
  if (!Array.isArray(v) || (nonEmpty && v.length === 0)) return false;
  const seen = new Set<unknown>();
  for (const x of v as unknown[]) {
    if (!allowed(x) || seen.has(x)) return false;
    seen.add(x);
  }
  return true;
}

const isPrimitive = (x: unknown): boolean => x === null || ["string", "number", "boolean"].includes(typeof x);

/** ajv compiles `pattern` with the `u` flag; the meta-schemas' `regex` format also rejects `\Z`. */
function isPattern(v: unknown): boolean {
  if (typeof v !== "string" || v.includes("\\Z")) return false;
  try {
    new RegExp(v, "u");
    return true;
  } catch {
    return false;
  }
}

const isSchemaList: Check = (v, depth) =>
  Array.isArray(v) && v.length > 0 && (v as unknown[]).every((s) => plainAt(s, depth + 1));

const isSchemaMap: Check = (v, depth) =>
  isRecord(v) && Object.keys(v).every((name) => name !== "__proto__" && plainAt(v[name], depth + 1));

const isSubschema: Check = (v, depth) => plainAt(v, depth + 1);

/** The keywords a plain schema may use, and what their values must be. */
const KEYWORDS: ReadonlyMap<string, Check> = new Map<string, Check>([
  ["title", isString],
  ["description", isString],
  ["$comment", isString],
  ["default", anyValue],
  ["examples", (v) => Array.isArray(v)],
  ["deprecated", isBoolean],
  ["readOnly", isBoolean],
  ["writeOnly", isBoolean],
  [
    "type",
    (v) =>
      typeof v === "string"
        ? SIMPLE_TYPES.has(v)
        : distinctPrimitives(v, (x) => typeof x === "string" && SIMPLE_TYPES.has(x), true),
  ],
  ["enum", (v) => distinctPrimitives(v, isPrimitive, true)],
  ["const", anyValue],
  ["multipleOf", (v) => isNumber(v, 0) && (v as number) > 0],
  ["maximum", isNumber],
  ["exclusiveMaximum", isNumber],
  ["minimum", isNumber],
  ["exclusiveMinimum", isNumber],
  ["maxLength", isCount],
  ["minLength", isCount],
  ["pattern", isPattern],
  ["format", isString],
  ["maxItems", isCount],
  ["minItems", isCount],
  ["uniqueItems", isBoolean],
  ["maxProperties", isCount],
  ["minProperties", isCount],
  ["required", (v) => distinctPrimitives(v, (x) => typeof x === "string", false)],
  ["properties", isSchemaMap],
  ["additionalProperties", isSubschema],
  ["items", (v, depth) => !Array.isArray(v) && plainAt(v, depth + 1)],
  ["allOf", isSchemaList],
  ["anyOf", isSchemaList],
  ["oneOf", isSchemaList],
  ["not", isSubschema],
]);

function plainAt(s: unknown, depth: number): boolean {
  if (typeof s === "boolean") return true;
  if (!isRecord(s) || depth > MAX_DEPTH) return false;
  for (const key of Object.keys(s)) {
    const check = KEYWORDS.get(key);
    if (check === undefined || !check(s[key], depth)) return false;
  }
  return true;
}

/**
 * Whether a tool schema is plain: usable by ajv (meta-valid in every supported dialect, and compilable) without
 * asking it. The root's `$schema` is the caller's business (validate.ts has already recognised the dialect).
 */
export function isPlainSchema(schema: unknown): boolean {
  if (!isRecord(schema)) return typeof schema === "boolean";
  for (const key of Object.keys(schema)) {
    if (key === "$schema") continue;
    const check = KEYWORDS.get(key);
    if (check === undefined || !check(schema[key], 0)) return false;
  }
  return true;
}
