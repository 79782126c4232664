/**
 * The checker's type model. JSON Schema (from tool schemas) is converted into these types by compiler/schema/;
 * the policy language adds its own (duration, regex, label, level, source). See docs/language.md, "Types".
 */

export interface StringType {
  readonly kind: "string";
  /** Allowed values (JSON Schema `enum`/`const` of strings). */
  readonly enum?: readonly string[];
  readonly minLength?: number;
  readonly maxLength?: number;
  /** JSON Schema `pattern` (ECMAScript syntax, kept for the runtime validator). */
  readonly pattern?: string;
  /** JSON Schema `format` (email, uri, date-time, ...). */
  readonly format?: string;
}

export interface NumberType {
  readonly kind: "number";
  readonly integer: boolean;
  readonly enum?: readonly number[];
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly exclusiveMaximum?: number;
}

export interface BooleanType {
  readonly kind: "boolean";
}

export interface NullType {
  readonly kind: "null";
}

export interface ListType {
  readonly kind: "list";
  readonly element: Type;
  readonly minItems?: number;
  readonly maxItems?: number;
}

export interface Property {
  readonly type: Type;
  readonly required: boolean;
  readonly description?: string;
}

export interface ObjectType {
  readonly kind: "object";
  readonly properties: ReadonlyMap<string, Property>;
  /**
   * Type of properties not listed: a Type (additionalProperties: schema, i.e. a map), `false` (none allowed),
   * or `true` (anything allowed, type unknown).
   */
  readonly additional: Type | boolean;
}

/** oneOf / anyOf / type arrays. Never nested, never of one member (see `union()`). */
export interface UnionType {
  readonly kind: "union";
  readonly members: readonly Type[];
}

/** A value the schema says nothing about. Any operation type-checks; the runtime still validates. */
export interface AnyType {
  readonly kind: "any";
}

/** Policy-language types. */
export interface DurationType {
  readonly kind: "duration";
}
export interface RegexType {
  readonly kind: "regex";
}
/** A declared label (PII, ...). */
export interface LabelType {
  readonly kind: "label";
}
/** A declared sensitivity level; ordered. */
export interface LevelType {
  readonly kind: "level";
}
/** A provenance source: `request` or `result(TOOLS)`. */
export interface SourceType {
  readonly kind: "source";
}
/** An unordered set (session.labels, provenance(...)). */
export interface SetType {
  readonly kind: "set";
  readonly element: Type;
}
/** The type of an erroneous expression: suppresses cascading diagnostics. */
export interface ErrorType {
  readonly kind: "error";
}

export type Type =
  | StringType
  | NumberType
  | BooleanType
  | NullType
  | ListType
  | ObjectType
  | UnionType
  | AnyType
  | DurationType
  | RegexType
  | LabelType
  | LevelType
  | SourceType
  | SetType
  | ErrorType;

export const T_STRING: StringType = { kind: "string" };
export const T_NUMBER: NumberType = { kind: "number", integer: false };
export const T_INTEGER: NumberType = { kind: "number", integer: true };
export const T_BOOLEAN: BooleanType = { kind: "boolean" };
export const T_NULL: NullType = { kind: "null" };
export const T_ANY: AnyType = { kind: "any" };
export const T_DURATION: DurationType = { kind: "duration" };
export const T_REGEX: RegexType = { kind: "regex" };
export const T_LABEL: LabelType = { kind: "label" };
export const T_LEVEL: LevelType = { kind: "level" };
export const T_SOURCE: SourceType = { kind: "source" };
export const T_ERROR: ErrorType = { kind: "error" };

/** A union of the given members, flattened; one member is returned as itself. */
export function union(members: readonly Type[]): Type {
  const flat: Type[] = [];
  for (const m of members) {
    if (m.kind === "union") flat.push(...m.members);
    else flat.push(m);
  }
  if (flat.some((m) => m.kind === "any")) return T_ANY;
  if (flat.length === 1) return flat[0]!;
  return { kind: "union", members: flat };
}

/** Human-readable type, for messages: `string`, `"a" | "b"`, `list<string>`, `{to: string, ...}`. */
export function typeToString(t: Type): string {
  switch (t.kind) {
    case "string":
      return t.enum ? t.enum.map((v) => JSON.stringify(v)).join(" | ") : "string";
    case "number":
      return t.enum ? t.enum.join(" | ") : t.integer ? "integer" : "number";
    case "boolean":
    case "null":
    case "any":
    case "duration":
    case "regex":
    case "label":
    case "level":
    case "source":
    case "error":
      return t.kind;
    case "list":
      return `list<${typeToString(t.element)}>`;
    case "set":
      return `set<${typeToString(t.element)}>`;
    case "object": {
      const names = [...t.properties.keys()];
      const shown = names.slice(0, 4).join(", ");
      return names.length > 4 ? `{${shown}, ...}` : `{${shown}}`;
    }
    case "union":
      return t.members.map(typeToString).join(" | ");
  }
}

/** One tool as the checker sees it. */
export interface ToolSchema {
  readonly name: string;
  readonly description?: string;
  /** The arguments, always an object type. */
  readonly input: ObjectType;
  /** The declared output (MCP outputSchema), if any. */
  readonly output?: Type;
  /** The raw inputSchema, kept for run-time validation with ajv. */
  readonly rawInputSchema: unknown;
  /** MCP tool annotations (readOnlyHint, destructiveHint, ...), if any. */
  readonly annotations?: Readonly<Record<string, unknown>>;
  /** The file it came from. */
  readonly sourceFile: string;
}
