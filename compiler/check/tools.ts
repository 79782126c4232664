/**
 * The known tools (from `tools from` files, plus the built-in kernel actions) and tool-pattern resolution
 * (AARM2008, AARM2101). Matching: an unquoted pattern with `*` is a glob over full names where `*` matches any
 * run of characters, dots included; every other pattern (and every quoted one) is an exact name. Globs never
 * match the kernel actions: they are named exactly, so that `allow *` cannot open the kernel layer by accident.
 */
import type { ToolPattern, ToolsDecl } from "../../language/index.js";
import { KERNEL_ACTIONS, names } from "../../language/index.js";
import { T_INTEGER, T_STRING, type ObjectType, type Property, type ToolSchema } from "../types.js";
import type { Reporter } from "./context.js";
import { closest } from "./suggest.js";

/** The `sourceFile` of the built-in kernel actions. */
export const BUILTIN_SOURCE = "<built-in>";

function obj(props: Record<string, Property>): ObjectType {
  return { kind: "object", properties: new Map(Object.entries(props)), additional: false };
}

const str: Property = { type: T_STRING, required: true };

function raw(properties: Record<string, unknown>, required: string[]): unknown {
  return { type: "object", properties, required, additionalProperties: false };
}

const RAW_STRING = { type: "string" };

/** file.open {path}, process.exec {path, argv?}, net.connect {address, port}. */
export const KERNEL_TOOLS: readonly ToolSchema[] = [
  {
    name: "file.open",
    input: obj({ path: str }),
    rawInputSchema: raw({ path: RAW_STRING }, ["path"]),
    sourceFile: BUILTIN_SOURCE,
  },
  {
    name: "process.exec",
    input: obj({ path: str, argv: { type: { kind: "list", element: T_STRING }, required: false } }),
    rawInputSchema: raw({ path: RAW_STRING, argv: { type: "array", items: RAW_STRING } }, ["path"]),
    sourceFile: BUILTIN_SOURCE,
  },
  {
    name: "net.connect",
    input: obj({
      address: str,
      port: { type: { ...T_INTEGER, minimum: 0, maximum: 65535 }, required: true },
    }),
    rawInputSchema: raw({ address: RAW_STRING, port: { type: "integer", minimum: 0, maximum: 65535 } }, [
      "address",
      "port",
    ]),
    sourceFile: BUILTIN_SOURCE,
  },
];

/** One `tools from` declaration and what loading it gave. */
export interface ToolFile {
  readonly decl: ToolsDecl;
  readonly tools: readonly ToolSchema[];
  /** Loading reported errors: patterns that match nothing are then not reported (they may be in the file). */
  readonly failed: boolean;
}

const isKernel = (name: string): boolean => (KERNEL_ACTIONS as readonly string[]).includes(name);

/** A glob pattern as a RegExp (`*` → `.*`, everything else literal). */
function globRegExp(text: string): RegExp {
  const body = text
    .split("*")
    .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${body}$`, "s");
}

/** True for patterns that are globs (unquoted and containing `*`). */
export function isGlob(p: ToolPattern): boolean {
  return !p.quoted && p.text.includes("*");
}

/** Every known tool, and pattern resolution over them. */
export class ToolUniverse {
  readonly tools = new Map<string, ToolSchema>();
  /** The declaration each tool came from (absent for kernel actions). */
  readonly origin = new Map<string, ToolsDecl>();
  /** False when some tool file failed to load. */
  readonly complete: boolean;
  /** Names of the tools some pattern matched. */
  readonly used = new Set<string>();
  /** Some pattern matched nothing (so "unused" is not reliable). */
  unresolved = false;

  constructor(
    readonly files: readonly ToolFile[],
    private readonly r: Reporter,
  ) {
    for (const t of KERNEL_TOOLS) this.tools.set(t.name, t);
    for (const f of files) {
      for (const t of f.tools) {
        if (this.tools.has(t.name)) {
          const firstDecl = this.origin.get(t.name);
          const first = firstDecl ? firstDecl.path.value : "the built-in kernel actions";
          r.add(
            names.duplicateTool(
              r.sourceId,
              f.decl.path.span,
              { tool: t.name, first, second: f.decl.path.value },
              {
                ...(firstDecl
                  ? { related: [r.related(firstDecl.path.span, `'${t.name}' is first defined here`)] }
                  : {}),
              },
            ),
          );
          continue;
        }
        this.tools.set(t.name, t);
        this.origin.set(t.name, f.decl);
      }
    }
    this.complete = files.every((f) => !f.failed);
  }

  /** The names a pattern matches, sorted. */
  match(p: ToolPattern): string[] {
    if (!isGlob(p)) return this.tools.has(p.text) ? [p.text] : [];
    const re = globRegExp(p.text);
    return [...this.tools.keys()].filter((n) => !isKernel(n) && re.test(n)).sort();
  }

  /**
   * Resolve a tool list: the union of the names matched, sorted. A pattern matching nothing is AARM2101 (unless
   * a tool file failed to load); `known` is false when some pattern matched nothing.
   */
  resolve(patterns: readonly ToolPattern[]): { names: string[]; known: boolean } {
    const out = new Set<string>();
    let known = true;
    for (const p of patterns) {
      const m = this.match(p);
      if (m.length === 0) {
        known = false;
        this.unresolved = true;
        if (this.complete) {
          this.r.add(
            names.unknownTool(this.r.sourceId, p.span, { pattern: p.text, suggestion: this.suggest(p) }),
          );
        }
      }
      for (const n of m) {
        out.add(n);
        this.used.add(n);
      }
    }
    return { names: [...out].sort(), known };
  }

  /** The schemas of the given names. */
  schemas(toolNames: readonly string[]): ToolSchema[] {
    return toolNames.map((n) => this.tools.get(n)).filter((t) => t !== undefined);
  }

  private suggest(p: ToolPattern): string {
    const all = [...this.tools.keys()];
    if (isGlob(p)) {
      const globs = new Set<string>();
      for (const n of all) {
        const parts = n.split(".");
        for (let i = 1; i < parts.length; i++) globs.add(`${parts.slice(0, i).join(".")}.*`);
      }
      const c = closest(p.text, globs);
      return c ? `; did you mean '${c}'?` : "";
    }
    // A tool imported `as ns` is called `ns.NAME`: suggest the prefixed name.
    const prefixed = all.filter((n) => n.endsWith(`.${p.text}`));
    if (prefixed.length === 1) return `; did you mean '${prefixed[0]!}'?`;
    const c = closest(p.text, all);
    return c ? `; did you mean '${c}'?` : "";
  }
}
