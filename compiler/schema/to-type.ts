/**
 * JSON Schema (2020-12, 2019-09, draft-07) → the checker's Type model (compiler/types.ts).
 *
 * The conversion is total: it never throws and every schema, however malformed, yields a Type (malformed parts
 * become `any`; meta-validation reports them separately). Where JSON Schema says more than the Type model can
 * hold, the type is the looser reading and the runtime validator (ajv, on the raw schema) stays exact:
 * - `not`, `if`/`then`/`else`, `dependentSchemas`, `contains`, `uniqueItems`, `multipleOf` are ignored;
 * - `false` as a subschema (no value allowed) is `any`, except as a property, which is then left out;
 * - a contradictory `allOf` (e.g. string and number) is `any`: no value can pass the validator anyway;
 * - `enum`/`const` values that are objects or arrays make the whole type `any`;
 * - `patternProperties` are read as a map of the union of their schemas (and of `additionalProperties`),
 *   also for names that match no pattern;
 * - without `type`, object keywords (`properties`, `required`, ...) imply an object, array keywords an array,
 *   `minLength`/`maxLength`/`pattern` a string and numeric bounds a number;
 * - OpenAPI's `nullable: true` adds `null`.
 * References: see refs.ts. A recursive definition is expanded at most MAX_UNROLL times inside itself and then
 * cut with `any`; results without a cut are memoized, so shared definitions are converted once.
 */
import { type ObjectType, type Property, type Type, T_ANY, T_BOOLEAN, T_NULL } from "../types.js";
import { intersect, mergeObjectUnion, opt, unionOf } from "./intersect.js";
import { enumType, nonNegInt, numberType, type Schema, str, stringType, typeNames } from "./keywords.js";
import { isRecord, own, resolveRef } from "./refs.js";

/** A problem met while converting, with the path (from the schema root) of the offending `$ref` value. */
export interface ToTypeIssue {
  readonly kind: "remoteRef" | "unresolvedRef";
  readonly ref: string;
  readonly path: readonly string[];
}

/** Options for schemaToType. */
export interface ToTypeOptions {
  /** Called once per offending location. */
  readonly onIssue?: (issue: ToTypeIssue) => void;
}

/** How many times a recursive definition is expanded inside itself before it is cut with `any`. */
export const MAX_UNROLL = 2;
/** Nesting bound for the conversion (schemas plus followed references). */
export const MAX_TYPE_DEPTH = 64;
/** Bound on the number of subschemas converted for one root (hostile input with many references). */
export const MAX_CONVERSIONS = 20_000;

type Path = readonly string[];

interface Ctx {
  readonly root: unknown;
  readonly onIssue: (issue: ToTypeIssue) => void;
  readonly memo: Map<object, Type>;
  readonly active: Map<object, number>;
  readonly reported: Set<string>;
  cuts: number;
  budget: number;
}

/** Convert a JSON Schema document (its root is the target of `#`). */
export function schemaToType(schema: unknown, options: ToTypeOptions = {}): Type {
  const ctx: Ctx = {
    root: schema,
    onIssue: options.onIssue ?? (() => {}),
    memo: new Map(),
    active: new Map(),
    reported: new Set(),
    cuts: 0,
    budget: MAX_CONVERSIONS,
  };
  return viaRef(ctx, schema, [], 0);
}

/** The object type a tool's arguments have, or undefined when the schema does not describe an object. */
export function asInputObject(t: Type): ObjectType | undefined {
  if (t.kind === "object") return t;
  if (t.kind === "union" && t.members.length > 0) {
    const objects = t.members.filter((m): m is ObjectType => m.kind === "object");
    if (objects.length === t.members.length) return mergeObjectUnion(objects);
  }
  return undefined;
}

function report(ctx: Ctx, issue: ToTypeIssue): void {
  const key = issue.path.join("\u0000");
  if (ctx.reported.has(key)) return;
  ctx.reported.add(key);
  ctx.onIssue(issue);
}

/** Convert a reference target: memoized, with recursion counted per target. */
function viaRef(ctx: Ctx, target: unknown, path: Path, depth: number): Type {
  if (typeof target !== "object" || target === null) return convert(ctx, target, path, depth);
  const memo = ctx.memo.get(target);
  if (memo !== undefined) return memo;
  const n = ctx.active.get(target) ?? 0;
  if (n >= MAX_UNROLL) {
    ctx.cuts++;
    return T_ANY;
  }
  ctx.active.set(target, n + 1);
  const cutsBefore = ctx.cuts;
  const t = convert(ctx, target, path, depth);
  ctx.active.set(target, n);
  if (ctx.cuts === cutsBefore) ctx.memo.set(target, t);
  return t;
}

function convert(ctx: Ctx, s: unknown, path: Path, depth: number): Type {
  if (--ctx.budget < 0 || depth > MAX_TYPE_DEPTH) {
    ctx.cuts++;
    return T_ANY;
  }
  if (!isRecord(s)) return T_ANY;
  let t: Type | undefined = baseType(ctx, s, path, depth);
  const ref = own(s, "$ref");
  if (typeof ref === "string") t = both(t, followRef(ctx, ref, [...path, "$ref"], depth));
  const allOf = own(s, "allOf");
  if (Array.isArray(allOf)) {
    allOf.forEach((m: unknown, i) => {
      t = both(t, convert(ctx, m, [...path, "allOf", String(i)], depth + 1));
    });
  }
  for (const key of ["oneOf", "anyOf"] as const) {
    const branches = own(s, key);
    if (!Array.isArray(branches) || branches.length === 0) continue;
    const base: Type = t ?? T_ANY;
    const out: Type[] = [];
    branches.forEach((m: unknown, i) => {
      const b = intersect(base, convert(ctx, m, [...path, key, String(i)], depth + 1));
      if (b !== undefined) out.push(b);
    });
    t = out.length === 0 ? T_ANY : unionOf(out);
  }
  return t ?? T_ANY;
}

/** Intersection of an optional accumulated type with another; a contradiction falls back to `any`. */
function both(acc: Type | undefined, next: Type): Type {
  if (acc === undefined) return next;
  return intersect(acc, next) ?? T_ANY;
}

function followRef(ctx: Ctx, ref: string, refPath: Path, depth: number): Type {
  const target = resolveRef(ctx.root, ref);
  if (target.kind === "found") return viaRef(ctx, target.schema, target.path, depth + 1);
  report(ctx, { kind: target.kind === "remote" ? "remoteRef" : "unresolvedRef", ref, path: refPath });
  return T_ANY;
}

/** The type from `type`, `enum`/`const` and the per-type keywords; undefined when unconstrained. */
function baseType(ctx: Ctx, s: Schema, path: Path, depth: number): Type | undefined {
  const names = typeNames(s);
  if (Object.hasOwn(s, "const")) return enumType([own(s, "const")], names);
  const values = own(s, "enum");
  if (Array.isArray(values)) return enumType(values, names);
  if (names === undefined || names.length === 0) return undefined;
  return unionOf([...new Set(names)].map((n) => typeFor(ctx, n, s, path, depth)));
}

function typeFor(ctx: Ctx, name: string, s: Schema, path: Path, depth: number): Type {
  switch (name) {
    case "string":
      return stringType(s);
    case "number":
    case "integer":
      return numberType(s, name === "integer");
    case "boolean":
      return T_BOOLEAN;
    case "null":
      return T_NULL;
    case "array":
      return listType(ctx, s, path, depth);
    case "object":
      return objectType(ctx, s, path, depth);
    default:
      return T_ANY;
  }
}

function listType(ctx: Ctx, s: Schema, path: Path, depth: number): Type {
  const parts: Type[] = [];
  const sub = (v: unknown, p: Path) => {
    if (v !== false) parts.push(convert(ctx, v, p, depth + 1));
  };
  const prefix = own(s, "prefixItems");
  const items = own(s, "items");
  if (Array.isArray(prefix)) prefix.forEach((v: unknown, i) => sub(v, [...path, "prefixItems", String(i)]));
  if (Array.isArray(items)) {
    // draft-07 tuple form: `items` is the prefix, `additionalItems` the rest.
    items.forEach((v: unknown, i) => sub(v, [...path, "items", String(i)]));
    const rest = own(s, "additionalItems");
    if (rest !== undefined) sub(rest, [...path, "additionalItems"]);
    else parts.push(T_ANY);
  } else if (items !== undefined) sub(items, [...path, "items"]);
  else parts.push(T_ANY);
  return {
    kind: "list",
    element: parts.length === 0 ? T_ANY : unionOf(parts),
    ...opt("minItems", nonNegInt(s, "minItems")),
    ...opt("maxItems", nonNegInt(s, "maxItems")),
  };
}

function objectType(ctx: Ctx, s: Schema, path: Path, depth: number): ObjectType {
  const req = own(s, "required");
  const required = new Set(Array.isArray(req) ? req.filter((x): x is string => typeof x === "string") : []);
  const properties = new Map<string, Property>();
  const props = own(s, "properties");
  if (isRecord(props)) {
    for (const [name, sub] of Object.entries(props)) {
      if (sub === false) continue; // the property may not appear at all
      const description = isRecord(sub) ? str(sub, "description") : undefined;
      const type = convert(ctx, sub, [...path, "properties", name], depth + 1);
      properties.set(name, { type, required: required.has(name), ...opt("description", description) });
    }
  }
  for (const name of required) {
    if (!properties.has(name)) properties.set(name, { type: T_ANY, required: true });
  }
  return { kind: "object", properties, additional: additionalType(ctx, s, path, depth) };
}

function additionalType(ctx: Ctx, s: Schema, path: Path, depth: number): Type | boolean {
  let key = "additionalProperties";
  let ap = own(s, key);
  if (ap === undefined) {
    key = "unevaluatedProperties";
    ap = own(s, key);
  }
  const maps: Type[] = [];
  if (isRecord(ap)) maps.push(convert(ctx, ap, [...path, key], depth + 1));
  const pp = own(s, "patternProperties");
  if (isRecord(pp)) {
    for (const [pattern, sub] of Object.entries(pp)) {
      if (sub !== false) maps.push(convert(ctx, sub, [...path, "patternProperties", pattern], depth + 1));
    }
  }
  if (maps.length === 0) return ap !== false;
  const t = unionOf(maps);
  return t.kind === "any" ? true : t;
}
