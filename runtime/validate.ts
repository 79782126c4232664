/**
 * Argument validation against each tool's inputSchema with ajv (JSON Schema draft 2020-12 by default, draft-07
 * when the schema says so). Validators are compiled lazily, once per tool. A schema that cannot be compiled makes
 * every call of that tool fail validation: fail closed.
 */
import { Ajv2019 } from "ajv/dist/2019.js";
import { Ajv2020 } from "ajv/dist/2020.js";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import * as ucs2Module from "ajv/dist/runtime/ucs2length.js";
import type { IrPolicy } from "./ir/index.js";

type AddFormats = (ajv: Ajv | Ajv2019 | Ajv2020) => unknown;
const addFormats = ((addFormatsModule as unknown as { default?: AddFormats }).default ?? addFormatsModule) as unknown as AddFormats;

/**
 * ajv counts a string's length for minLength/maxLength in code points, walking it one UTF-16 unit at a time in
 * JavaScript on every validation; that walk was a large part of validating a typical call's arguments. A string
 * without surrogates has as many code points as UTF-16 units, which one native regex test finds out. ajv takes the
 * counting function from its runtime module when it compiles a validator, so our validators are compiled with
 * this exact equivalent in its place (set just for the synchronous compile, then restored: nobody else's ajv is
 * affected).
 */
type Ucs2Exports = { default: ((s: string) => number) & { code?: string | undefined } };
export const ucs2Exports: Ucs2Exports | null = (() => {
  const m = ucs2Module as unknown as Partial<Ucs2Exports> & { default?: Partial<Ucs2Exports> };
  const cjs = typeof m.default === "object" && m.default !== null ? m.default : m;
  return typeof cjs.default === "function" ? (cjs as Ucs2Exports) : null;
})();
const SURROGATE = /[\ud800-\udfff]/;

function compileWithFastLength(compile: () => ValidateFunction): ValidateFunction {
  if (!ucs2Exports) return compile();
  const walk = ucs2Exports.default;
  const fast = Object.assign((s: string) => (SURROGATE.test(s) ? walk(s) : s.length), { code: walk.code });
  ucs2Exports.default = fast;
  try {
    return compile();
  } finally {
    ucs2Exports.default = walk;
  }
}

/** Returns a message naming the failing path, or null when the arguments are valid. */
export type ArgValidator = (tool: string, args: unknown) => string | null;

function pathOf(e: ErrorObject): string {
  const parts = e.instancePath
    .split("/")
    .slice(1)
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
  let out = "args";
  for (const p of parts) out += /^\d+$/.test(p) ? `[${p}]` : /^[A-Za-z_][A-Za-z0-9_]*$/.test(p) ? `.${p}` : `[${JSON.stringify(p)}]`;
  if (e.keyword === "required") out += `.${String((e.params as { missingProperty?: string }).missingProperty ?? "")}`;
  if (e.keyword === "additionalProperties") out += `.${String((e.params as { additionalProperty?: string }).additionalProperty ?? "")}`;
  return out;
}

function describe(e: ErrorObject): string {
  if (e.keyword === "required") return "is required";
  if (e.keyword === "additionalProperties") return "is not an argument of this tool";
  if (e.keyword === "enum") {
    const allowed = (e.params as { allowedValues?: unknown[] }).allowedValues ?? [];
    return `must be one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}`;
  }
  return e.message ?? e.keyword;
}

/** An ajv-backed validator for a policy's tools. */
export function ajvValidator(ir: IrPolicy): ArgValidator {
  const a2020 = new Ajv2020({ strict: false, allErrors: false, validateFormats: true });
  const a2019 = new Ajv2019({ strict: false, allErrors: false, validateFormats: true });
  const a07 = new Ajv({ strict: false, allErrors: false, validateFormats: true });
  addFormats(a2020);
  addFormats(a2019);
  addFormats(a07);
  const cache = new Map<string, ValidateFunction | string>();
  return (tool, args) => {
    let v = cache.get(tool);
    if (v === undefined) {
      const schema = ir.tools[tool]?.inputSchema;
      if (schema === undefined) return `tool '${tool}' has no input schema`;
      const s = schema as { $schema?: unknown };
      const uri = typeof s.$schema === "string" ? s.$schema : "";
      const ajv = uri.includes("draft-07") ? a07 : uri.includes("2019-09") ? a2019 : a2020;
      try {
        v = compileWithFastLength(() => ajv.compile(schema as object));
      } catch (e) {
        v = `the input schema of '${tool}' cannot be compiled (${e instanceof Error ? e.message : String(e)})`;
      }
      cache.set(tool, v);
    }
    if (typeof v === "string") return v;
    if (typeof args !== "object" || args === null || Array.isArray(args)) return "args must be an object";
    if (v(args)) return null;
    const e = v.errors?.[0];
    return e ? `${pathOf(e)} ${describe(e)}` : "args are invalid";
  };
}
