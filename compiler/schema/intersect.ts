/**
 * Conservative type algebra for `allOf`, `$ref` with siblings, and `oneOf`/`anyOf` branches that refine a base
 * schema. "Conservative" means: never invent a value the schema forbids at the top level, but where the exact
 * intersection cannot be expressed in the type model keep the looser side (the runtime validator still applies
 * the exact JSON Schema).
 */
import {
  type ListType,
  type NumberType,
  type ObjectType,
  type Property,
  type StringType,
  type Type,
  T_ANY,
  union,
} from "../types.js";

/** A union without structurally equal members (compared with a step budget; past it, members are kept). */
export function unionOf(members: readonly Type[]): Type {
  const out: Type[] = [];
  for (const m of members) {
    const flat = m.kind === "union" ? m.members : [m];
    for (const f of flat) if (!out.some((o) => sameType(o, f, { steps: 1000 }))) out.push(f);
  }
  return out.length === 0 ? T_ANY : union(out);
}

/** Equal flat records: the same keys, with equal primitives or element-wise equal arrays (enums). */
function sameFlat(a: object, b: object): boolean {
  const ea = Object.entries(a);
  if (ea.length !== Object.keys(b).length) return false;
  const rb = b as Readonly<Record<string, unknown>>;
  return ea.every(([k, v]) => {
    const w = rb[k];
    if (Array.isArray(v) && Array.isArray(w)) return v.length === w.length && v.every((x, i) => x === w[i]);
    return v === w;
  });
}

/** Structural equality of two types (descriptions ignored); false once the budget is spent. */
function sameType(a: Type | boolean, b: Type | boolean, budget: { steps: number }): boolean {
  if (a === b) return true;
  if (typeof a === "boolean" || typeof b === "boolean" || a.kind !== b.kind || --budget.steps < 0) {
    return false;
  }
  switch (a.kind) {
    case "list": {
      const o = b as ListType;
      return a.minItems === o.minItems && a.maxItems === o.maxItems && sameType(a.element, o.element, budget);
    }
    case "object":
      return sameObject(a, b as ObjectType, budget);
    case "union": {
      const o = b as typeof a;
      const same = (m: Type, i: number): boolean => {
        const n = o.members[i];
        return n !== undefined && sameType(m, n, budget);
      };
      return a.members.length === o.members.length && a.members.every(same);
    }
    case "set":
      return sameType(a.element, (b as typeof a).element, budget);
    default:
      return sameFlat(a, b);
  }
}

function sameObject(a: ObjectType, o: ObjectType, budget: { steps: number }): boolean {
  if (a.properties.size !== o.properties.size || !sameType(a.additional, o.additional, budget)) return false;
  for (const [name, p] of a.properties) {
    const q = o.properties.get(name);
    if (q === undefined || q.required !== p.required || !sameType(p.type, q.type, budget)) return false;
  }
  return true;
}

/** The values both types admit, or undefined when there is none (for example `string & number`). */
export function intersect(a: Type, b: Type): Type | undefined {
  if (a.kind === "any") return b;
  if (b.kind === "any") return a;
  if (a.kind === "union" || b.kind === "union") {
    const as = a.kind === "union" ? a.members : [a];
    const bs = b.kind === "union" ? b.members : [b];
    const out: Type[] = [];
    for (const x of as) {
      for (const y of bs) {
        const t = intersect(x, y);
        if (t !== undefined) out.push(t);
      }
    }
    return out.length === 0 ? undefined : unionOf(out);
  }
  if (a.kind === "string" && b.kind === "string") return intersectStrings(a, b);
  if (a.kind === "number" && b.kind === "number") return intersectNumbers(a, b);
  if (a.kind === "list" && b.kind === "list") return intersectLists(a, b);
  if (a.kind === "object" && b.kind === "object") return intersectObjects(a, b);
  return a.kind === b.kind ? a : undefined;
}

function intersectEnums<T>(
  a: readonly T[] | undefined,
  b: readonly T[] | undefined,
): readonly T[] | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a.filter((v) => b.includes(v));
}

function maxOf(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.max(a, b);
}

function minOf(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.min(a, b);
}

/** `{ key: value }` when value is defined, else `{}` (exactOptionalPropertyTypes). */
export function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function intersectStrings(a: StringType, b: StringType): StringType | undefined {
  const values = intersectEnums(a.enum, b.enum);
  if (values !== undefined && values.length === 0) return undefined;
  return {
    kind: "string",
    ...opt("enum", values),
    ...opt("minLength", maxOf(a.minLength, b.minLength)),
    ...opt("maxLength", minOf(a.maxLength, b.maxLength)),
    ...opt("pattern", a.pattern ?? b.pattern),
    ...opt("format", a.format ?? b.format),
  };
}

function intersectNumbers(a: NumberType, b: NumberType): NumberType | undefined {
  const integer = a.integer || b.integer;
  let values = intersectEnums(a.enum, b.enum);
  if (values !== undefined && integer) values = values.filter((v) => Number.isInteger(v));
  if (values !== undefined && values.length === 0) return undefined;
  return {
    kind: "number",
    integer,
    ...opt("enum", values),
    ...opt("minimum", maxOf(a.minimum, b.minimum)),
    ...opt("maximum", minOf(a.maximum, b.maximum)),
    ...opt("exclusiveMinimum", maxOf(a.exclusiveMinimum, b.exclusiveMinimum)),
    ...opt("exclusiveMaximum", minOf(a.exclusiveMaximum, b.exclusiveMaximum)),
  };
}

function intersectLists(a: ListType, b: ListType): ListType {
  // An empty list satisfies both element types, so a contradiction in the elements is not a contradiction of
  // the lists; keep `any` for the element then.
  return {
    kind: "list",
    element: intersect(a.element, b.element) ?? T_ANY,
    ...opt("minItems", maxOf(a.minItems, b.minItems)),
    ...opt("maxItems", minOf(a.maxItems, b.maxItems)),
  };
}

function intersectAdditional(a: Type | boolean, b: Type | boolean): Type | boolean {
  if (a === false || b === false) return false;
  if (a === true) return b;
  if (b === true) return a;
  return intersect(a, b) ?? false;
}

/**
 * Both objects' properties (required if either requires it; a property in both has the intersection of the two
 * types). Properties one side lists and the other side forbids through `additionalProperties: false` are kept:
 * that combination is a common mistake in composed schemas and the runtime validator reports it per call.
 */
function intersectObjects(a: ObjectType, b: ObjectType): ObjectType {
  const properties = new Map<string, Property>(a.properties);
  for (const [name, pb] of b.properties) {
    const pa = properties.get(name);
    if (pa === undefined) {
      properties.set(name, pb);
      continue;
    }
    const description = pa.description ?? pb.description;
    properties.set(name, {
      type: intersect(pa.type, pb.type) ?? pa.type,
      required: pa.required || pb.required,
      ...opt("description", description),
    });
  }
  return { kind: "object", properties, additional: intersectAdditional(a.additional, b.additional) };
}

/**
 * One object type standing for a union of object types (a top-level `oneOf`/`anyOf` of argument shapes): every
 * property of any branch, required only when every branch requires it, typed as the union of the branches' types.
 */
export function mergeObjectUnion(members: readonly ObjectType[]): ObjectType {
  const names = new Set<string>();
  for (const m of members) for (const n of m.properties.keys()) names.add(n);
  const properties = new Map<string, Property>();
  for (const name of names) {
    const types: Type[] = [];
    let required = true;
    let description: string | undefined;
    for (const m of members) {
      const p = m.properties.get(name);
      if (p === undefined) {
        required = false;
        if (m.additional !== false) types.push(m.additional === true ? T_ANY : m.additional);
        continue;
      }
      types.push(p.type);
      required &&= p.required;
      description ??= p.description;
    }
    properties.set(name, { type: unionOf(types), required, ...opt("description", description) });
  }
  let additional: Type | boolean = false;
  const maps: Type[] = [];
  for (const m of members) {
    if (m.additional === true) additional = true;
    else if (m.additional !== false) maps.push(m.additional);
  }
  if (additional !== true && maps.length > 0) {
    const t = unionOf(maps);
    additional = t.kind === "any" ? true : t;
  }
  return { kind: "object", properties, additional };
}
