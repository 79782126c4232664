/**
 * The generators' view of tools.json: every tool with its argument paths (nested objects flattened to
 * `a.b.c`) and a small type model of each, taken from the JSON Schemas.
 */
import { readFileSync } from "node:fs";

export type ArgType =
  | {
      readonly kind: "string";
      readonly enum?: readonly string[];
      readonly maxLength: number;
      readonly nullable: boolean;
    }
  | { readonly kind: "number"; readonly integer: boolean; readonly min: number; readonly max: number }
  | { readonly kind: "bool" }
  | { readonly kind: "list"; readonly maxItems: number; readonly maxLength: number };

export interface ArgInfo {
  /** Dotted path below `args`. */
  readonly path: string;
  /** The last path step (what pools are keyed by). */
  readonly name: string;
  readonly type: ArgType;
  /** Absent in some valid calls (the argument or one of its parents is not required). */
  readonly optional: boolean;
}

export interface ToolInfo {
  readonly name: string;
  /** How a rule names it: quoted when it is not a dotted name. */
  readonly ref: string;
  readonly args: readonly ArgInfo[];
  readonly schema: Schema;
}

export interface Schema {
  readonly type?: string | readonly string[];
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly required?: readonly string[];
  readonly items?: Schema;
  readonly enum?: readonly string[];
  readonly maxLength?: number;
  readonly maxItems?: number;
  readonly minItems?: number;
  readonly minimum?: number;
  readonly maximum?: number;
}

/** The text of tools.json. */
export const TOOLS_JSON = readFileSync(new URL("./tools.json", import.meta.url), "utf8");

function argType(s: Schema): ArgType | undefined {
  const types = Array.isArray(s.type) ? s.type : [s.type];
  if (types.includes("string")) {
    return {
      kind: "string",
      ...(s.enum ? { enum: s.enum } : {}),
      maxLength: s.maxLength ?? 1000,
      nullable: types.includes("null"),
    };
  }
  if (types.includes("integer") || types.includes("number")) {
    return {
      kind: "number",
      integer: types.includes("integer"),
      min: s.minimum ?? -1e6,
      max: s.maximum ?? 1e6,
    };
  }
  if (types.includes("boolean")) return { kind: "bool" };
  if (types.includes("array"))
    return { kind: "list", maxItems: s.maxItems ?? 100, maxLength: s.items?.maxLength ?? 1000 };
  return undefined;
}

function flatten(s: Schema, prefix: string, optional: boolean, out: ArgInfo[]): void {
  for (const [name, p] of Object.entries(s.properties ?? {})) {
    const path = prefix === "" ? name : `${prefix}.${name}`;
    const opt = optional || !(s.required ?? []).includes(name);
    if (p.type === "object") flatten(p, path, opt, out);
    else {
      const type = argType(p);
      if (type) out.push({ path, name, type, optional: opt });
    }
  }
}

/** The tools of tools.json. */
export const TOOLS: readonly ToolInfo[] = (
  JSON.parse(TOOLS_JSON) as { tools: { name: string; inputSchema: Schema }[] }
).tools.map((t) => {
  const args: ArgInfo[] = [];
  flatten(t.inputSchema, "", false, args);
  return {
    name: t.name,
    ref: /^[A-Za-z_]\w*(\.\w+)*$/.test(t.name) ? t.name : JSON.stringify(t.name),
    args,
    schema: t.inputSchema,
  };
});

/** Look a tool up by name. */
export function tool(name: string): ToolInfo {
  const t = TOOLS.find((x) => x.name === name);
  if (!t) throw new Error(`no tool ${name}`);
  return t;
}
