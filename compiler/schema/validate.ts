/**
 * Validates a tool's JSON Schema the way the runtime will use it: meta-validation against the dialect's
 * meta-schema, then compilation with ajv (strict: false, formats from ajv-formats). Problems come back as
 * values with a JSON path into the schema; nothing here throws.
 *
 * Plain schemas (plain.ts) are known to pass both steps without asking ajv, which is then not even loaded: most
 * tool files check without compiling a single validator.
 */
import { createRequire } from "node:module";
import type { ErrorObject } from "ajv";
import type AjvModule from "ajv";
import type Ajv2019Module from "ajv/dist/2019.js";
import type Ajv2020Module from "ajv/dist/2020.js";
import type addFormatsModule from "ajv-formats";
import { pointerSegments } from "./json.js";
import { isPlainSchema } from "./plain.js";
import { isRecord, own } from "./refs.js";

interface AjvLibrary {
  readonly Ajv: typeof AjvModule.default;
  readonly Ajv2019: typeof Ajv2019Module.default;
  readonly Ajv2020: typeof Ajv2020Module.default;
  readonly addFormats: typeof addFormatsModule.default;
}

let library: AjvLibrary | undefined;

/** ajv and ajv-formats (CommonJS packages), loaded on first use: loading them costs more than most checks. */
function ajvLibrary(): AjvLibrary {
  if (library === undefined) {
    const require = createRequire(import.meta.url);
    library = {
      Ajv: (require("ajv") as typeof AjvModule).default,
      Ajv2019: (require("ajv/dist/2019.js") as typeof Ajv2019Module).default,
      Ajv2020: (require("ajv/dist/2020.js") as typeof Ajv2020Module).default,
      addFormats: (require("ajv-formats") as typeof addFormatsModule).default,
    };
  }
  return library;
}

/** The JSON Schema dialects the loader accepts. */
export type Dialect = "2020-12" | "2019-09" | "draft-07";

/** The canonical `$schema` URI of each dialect (the key ajv registers its meta-schema under). */
export const DIALECT_URI: Readonly<Record<Dialect, string>> = {
  "2020-12": "https://json-schema.org/draft/2020-12/schema",
  "2019-09": "https://json-schema.org/draft/2019-09/schema",
  "draft-07": "http://json-schema.org/draft-07/schema",
};

/**
 * The dialect a schema's `$schema` names: http or https, with or without a trailing `#`. An absent (or
 * non-string) `$schema` means 2020-12, the MCP default. Undefined for any other URI.
 */
export function schemaDialect(schema: unknown): Dialect | undefined {
  const uri = isRecord(schema) ? own(schema, "$schema") : undefined;
  if (typeof uri !== "string") return "2020-12";
  const m = /^https?:\/\/json-schema\.org\/(draft\/2020-12|draft\/2019-09|draft-07)\/schema#?$/.exec(uri);
  switch (m?.[1]) {
    case "draft/2020-12":
      return "2020-12";
    case "draft/2019-09":
      return "2019-09";
    case "draft-07":
      return "draft-07";
    default:
      return undefined;
  }
}

type AjvInstance = InstanceType<AjvLibrary["Ajv"]>;

/** A fresh ajv for a dialect, configured as the loader and the runtime use it. */
export function createAjv(dialect: Dialect): AjvInstance {
  const { Ajv, Ajv2019, Ajv2020, addFormats } = ajvLibrary();
  const options = { strict: false, validateSchema: true, allErrors: false, logger: false } as const;
  const ajv =
    dialect === "2020-12"
      ? new Ajv2020(options)
      : dialect === "2019-09"
        ? new Ajv2019(options)
        : new Ajv(options);
  addFormats(ajv);
  return ajv;
}

// Shared instances: building one (and compiling its meta-schema) costs ~10 ms, so schemas are compiled on a shared
// instance and removed again afterwards. Schemas that declare `$id`s get a fresh instance: ajv keeps nested ids
// after removeSchema, and a later schema whose root `$id` equals one of them would fail with "already exists".
const shared = new Map<Dialect, AjvInstance>();

function instanceFor(dialect: Dialect, schema: unknown): AjvInstance {
  if (declaresId(schema)) return createAjv(dialect);
  let ajv = shared.get(dialect);
  if (ajv === undefined) {
    ajv = createAjv(dialect);
    shared.set(dialect, ajv);
  }
  return ajv;
}

function declaresId(schema: unknown): boolean {
  const stack: unknown[] = [schema];
  for (let v = stack.pop(); v !== undefined; v = stack.pop()) {
    if (Array.isArray(v)) stack.push(...(v as unknown[]));
    else if (isRecord(v)) {
      if (Object.hasOwn(v, "$id")) return true;
      stack.push(...Object.values(v));
    }
  }
  return false;
}

/** One problem with a schema. `path` leads from the schema root to the offending node. */
export type SchemaProblem =
  | { readonly kind: "dialect"; readonly uri: string; readonly path: readonly string[] }
  | { readonly kind: "meta"; readonly detail: string; readonly path: readonly string[] }
  | { readonly kind: "missingRef"; readonly ref: string }
  | { readonly kind: "compile"; readonly reason: string };

/** Meta-validate and compile a schema. Returns the first problem found, or undefined when the schema is usable. */
export function checkSchema(schema: unknown): SchemaProblem | undefined {
  const dialect = schemaDialect(schema);
  if (dialect === undefined) {
    return {
      kind: "dialect",
      uri: String(isRecord(schema) ? own(schema, "$schema") : ""),
      path: ["$schema"],
    };
  }
  try {
    const badPattern = findBadPattern(schema, []);
    if (badPattern !== undefined) return badPattern;
    if (isPlainSchema(schema)) return undefined;
  } catch (e) {
    return { kind: "compile", reason: messageOf(e) };
  }
  // A shallow copy: the canonical $schema key, and a fresh object so that removeSchema cannot touch the caller's.
  const copy: unknown = isRecord(schema) ? { ...schema, $schema: DIALECT_URI[dialect] } : schema;
  let ajv: AjvInstance;
  try {
    ajv = instanceFor(dialect, schema);
  } catch (e) {
    return { kind: "compile", reason: messageOf(e) };
  }
  try {
    if (!ajv.validateSchema(copy as object)) return metaProblem(ajv.errors ?? []);
    ajv.compile(copy as object);
    return undefined;
  } catch (e) {
    if (isRecord(e) && typeof own(e, "missingRef") === "string")
      return { kind: "missingRef", ref: String(own(e, "missingRef")) };
    return { kind: "compile", reason: messageOf(e) };
  } finally {
    try {
      if (typeof copy === "object" && copy !== null) ajv.removeSchema(copy);
    } catch {
      // Nothing was registered.
    }
  }
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The most specific meta-validation error: the deepest instance path, first in report order among equals. */
function metaProblem(errors: readonly ErrorObject[]): SchemaProblem {
  let best: ErrorObject | undefined;
  for (const e of errors) {
    if (best === undefined || depthOf(e.instancePath) > depthOf(best.instancePath)) best = e;
  }
  if (best === undefined) return { kind: "meta", detail: "the schema is invalid", path: [] };
  const where = best.instancePath === "" ? "the schema" : best.instancePath;
  const allowed = isRecord(best.params) ? own(best.params, "allowedValues") : undefined;
  const values = Array.isArray(allowed) ? ` (${allowed.map((v) => JSON.stringify(v)).join(", ")})` : "";
  return {
    kind: "meta",
    detail: `${where} ${best.message ?? "is invalid"}${values}`,
    path: pointerSegments(best.instancePath),
  };
}

function depthOf(pointer: string): number {
  return pointer === "" ? 0 : pointer.split("/").length;
}

const SCHEMA_MAPS = ["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"];
const SCHEMA_LISTS = ["items", "prefixItems", "allOf", "anyOf", "oneOf"];
const SCHEMA_ONE = ["not", "if", "then", "else", "contains", "additionalProperties", "unevaluatedProperties"];
const SCHEMA_ONE_MORE = ["propertyNames", "additionalItems", "unevaluatedItems"];

/**
 * The first `pattern` (or `patternProperties` key) that is not a valid regular expression with the `u` flag, as
 * ajv compiles them. 2020-12 meta-validation treats `format: "regex"` as an annotation only, so without this a
 * bad pattern would surface as a compile error with no position.
 */
function findBadPattern(s: unknown, path: readonly string[]): SchemaProblem | undefined {
  if (!isRecord(s)) return undefined;
  const problem = (p: string, where: readonly string[]): SchemaProblem | undefined => {
    try {
      new RegExp(p, "u");
      return undefined;
    } catch (e) {
      const reason = messageOf(e).replace(/^.*: /, "");
      const pointer = "/" + where.map((w) => w.replace(/~/g, "~0").replace(/\//g, "~1")).join("/");
      return {
        kind: "meta",
        detail: `${pointer} is not a valid regular expression (u flag): ${reason}`,
        path: where,
      };
    }
  };
  const pattern = own(s, "pattern");
  if (typeof pattern === "string") {
    const p = problem(pattern, [...path, "pattern"]);
    if (p !== undefined) return p;
  }
  const pp = own(s, "patternProperties");
  if (isRecord(pp)) {
    for (const key of Object.keys(pp)) {
      const p = problem(key, [...path, "patternProperties", key]);
      if (p !== undefined) return p;
    }
  }
  for (const k of SCHEMA_MAPS) {
    const m = own(s, k);
    if (!isRecord(m)) continue;
    for (const [name, sub] of Object.entries(m)) {
      const p = findBadPattern(sub, [...path, k, name]);
      if (p !== undefined) return p;
    }
  }
  for (const k of [...SCHEMA_LISTS, ...SCHEMA_ONE, ...SCHEMA_ONE_MORE]) {
    const v = own(s, k);
    const subs: [unknown, string[]][] = Array.isArray(v)
      ? v.map((x: unknown, i): [unknown, string[]] => [x, [...path, k, String(i)]])
      : [[v, [...path, k]]];
    for (const [sub, where] of subs) {
      const p = findBadPattern(sub, where);
      if (p !== undefined) return p;
    }
  }
  return undefined;
}
