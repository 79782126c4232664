/**
 * What `aarm test` and `aarm explain` never print: an argument that one of the policy's `redact` modifications
 * targets for the action's tool is shown as "[REDACTED]" wherever it appears (the arguments, and the value of any
 * expression that reads it), whether or not the rule applied to this action.
 */
import { REDACTED } from "../runtime/decide/modify.js";
import type { IrExpr, IrPolicy } from "../runtime/ir/index.js";

type Path = readonly (string | number)[];

/** The argument paths the policy redacts for `tool`. */
export function redactedPaths(ir: IrPolicy, tool: string): Path[] {
  return ir.rules.flatMap((r) =>
    r.tools.includes(tool) ? r.mods.filter((m) => m.kind === "redact").map((m) => m.path) : [],
  );
}

const under = (p: Path, prefix: Path) => prefix.length <= p.length && prefix.every((k, i) => p[i] === k);

/** A copy of `args` with every redacted path (and what lies under it) replaced. */
export function redactArgs(args: unknown, paths: readonly Path[], at: Path = []): unknown {
  if (paths.some((p) => under(at, p))) return REDACTED;
  if (Array.isArray(args)) return args.map((v, i) => redactArgs(v, paths, [...at, i]));
  if (typeof args === "object" && args !== null) {
    return Object.fromEntries(Object.entries(args).map(([k, v]) => [k, redactArgs(v, paths, [...at, k])]));
  }
  return args;
}

/** Whether an expression reads a redacted argument (its value is then not shown). */
export function readsRedacted(e: IrExpr, paths: readonly Path[]): boolean {
  if (paths.length === 0) return false;
  switch (e.op) {
    case "arg":
    case "provenance":
      return paths.some((p) => under(e.path, p) || under(p, e.path));
    case "and":
    case "or":
    case "cmp":
      return readsRedacted(e.left, paths) || readsRedacted(e.right, paths);
    case "not":
    case "is":
      return readsRedacted(e.arg, paths);
    case "call":
      return e.args.some((a) => readsRedacted(a, paths));
    case "list":
      return e.items.some((a) => readsRedacted(a, paths));
    default:
      return false;
  }
}
