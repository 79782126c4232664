/**
 * Type predicates and combinators the checker's operator rules are written in. Unions (from oneOf/anyOf, or from
 * one argument typed differently by several tools) are accepted by an operator when every non-null member is;
 * `null` members only make the value optional. `any` and `error` are accepted everywhere (error suppresses
 * cascades; any is what the schema left open, and the runtime still validates).
 */
import { T_ANY, typeToString, union, type Type } from "../types.js";

/** The members of a union, or the type itself. */
export function members(t: Type): readonly Type[] {
  return t.kind === "union" ? t.members : [t];
}

/** The type without its `null` members (a nullable string is a string here). */
export function stripNull(t: Type): Type {
  if (t.kind !== "union") return t;
  const rest = t.members.filter((m) => m.kind !== "null");
  return rest.length === 0 ? t : union(rest);
}

/** True for types that accept every operation without a diagnostic. */
export function isLoose(t: Type): boolean {
  return t.kind === "any" || t.kind === "error";
}

/** True when every non-null member satisfies `pred` (loose types always do). */
export function every(t: Type, pred: (m: Type) => boolean): boolean {
  const s = stripNull(t);
  if (isLoose(s)) return true;
  return members(s).every((m) => isLoose(m) || pred(m));
}

/** Every non-null member is a string (loose types pass). */
export const isString = (t: Type): boolean => every(t, (m) => m.kind === "string");
/** Every non-null member is a number. */
export const isNumber = (t: Type): boolean => every(t, (m) => m.kind === "number");
/** Every non-null member is a boolean. */
export const isBoolean = (t: Type): boolean => every(t, (m) => m.kind === "boolean");
/** Every non-null member is a regex. */
export const isRegex = (t: Type): boolean => every(t, (m) => m.kind === "regex");
/** Every non-null member is a list or a set. */
export const isCollection = (t: Type): boolean => every(t, (m) => m.kind === "list" || m.kind === "set");
/** Every non-null member is a list. */
export const isList = (t: Type): boolean => every(t, (m) => m.kind === "list");

/** The element type of a list or set (a union of element types for a union of lists); undefined if not one. */
export function elementOf(t: Type): Type | undefined {
  const s = stripNull(t);
  if (isLoose(s)) return s;
  const out: Type[] = [];
  for (const m of members(s)) {
    if (isLoose(m)) return m;
    if (m.kind !== "list" && m.kind !== "set") return undefined;
    out.push(m.element);
  }
  return mergeTypes(out);
}

/** The base kind used for compatibility: string enums are strings, integers are numbers. */
function base(t: Type): string {
  return t.kind;
}

/** Can values of these two types be tested for equality (==, in, has)? */
export function comparable(a: Type, b: Type): boolean {
  if (isLoose(a) || isLoose(b)) return true;
  // An absent optional argument is null, so anything may be compared with null (docs/semantics.md).
  if (a.kind === "null" || b.kind === "null") return true;
  const as = stripNull(a);
  const bs = stripNull(b);
  if (isLoose(as) || isLoose(bs)) return true;
  return members(as).every((m) => members(bs).some((n) => sameBase(m, n)));
}

function sameBase(a: Type, b: Type): boolean {
  if (isLoose(a) || isLoose(b)) return true;
  if ((a.kind === "list" || a.kind === "set") && (b.kind === "list" || b.kind === "set")) {
    return comparable(a.element, b.element);
  }
  if (a.kind === "object" || b.kind === "object") return a.kind === "object" && b.kind === "object";
  return base(a) === base(b);
}

/** The orderable kind shared by both sides (`< <= > >=`), or undefined. */
export function orderedKind(a: Type, b: Type): "number" | "duration" | "level" | "loose" | undefined {
  for (const k of ["number", "duration", "level"] as const) {
    const ok = (t: Type) => every(t, (m) => m.kind === k);
    if (ok(a) && ok(b)) return isLoose(stripNull(a)) && isLoose(stripNull(b)) ? "loose" : k;
  }
  return undefined;
}

/** True when the type is (only) one of the orderable kinds. */
export function isOrderable(t: Type): boolean {
  return ["number", "duration", "level"].some((k) => every(t, (m) => m.kind === k));
}

/** A structural key, so that equal types from different tools merge. */
export function typeKey(t: Type): string {
  return JSON.stringify(t, (_k, v: unknown) =>
    v instanceof Map ? Object.fromEntries([...(v as Map<string, unknown>).entries()].sort()) : v,
  );
}

/** One type for several (one argument in several tools): the type itself if they agree, else their union. */
export function mergeTypes(ts: readonly Type[]): Type {
  if (ts.length === 0) return T_ANY;
  if (ts.every((t) => t === ts[0])) return ts[0]!;
  const seen = new Map<string, Type>();
  for (const t of ts) for (const m of members(t)) seen.set(typeKey(m), m);
  return union([...seen.values()]);
}

/** The short form used in messages: enums and bounds are dropped (`string`, `integer`, `list<string>`). */
export function shortType(t: Type): string {
  switch (t.kind) {
    case "string":
      return "string";
    case "number":
      return t.integer ? "integer" : "number";
    case "list":
      return `list<${shortType(t.element)}>`;
    case "set":
      return `set<${shortType(t.element)}>`;
    case "union": {
      const parts = [...new Set(t.members.map(shortType))];
      return parts.join(" | ");
    }
    case "object":
      return `object ${typeToString(t)}`;
    default:
      return typeToString(t);
  }
}

/** `a string`, `a number`, `an integer`: the short type with an article, for "found ..." messages. */
export function withArticle(t: Type): string {
  const s = shortType(t);
  if (t.kind === "union" || t.kind === "any" || t.kind === "error") return s;
  return /^[aeiou]/.test(s) ? `an ${s}` : `a ${s}`;
}
