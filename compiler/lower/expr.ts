/**
 * Lowering of checked expressions to IR expressions. The checker's side tables say what every reference and call
 * denotes; constants are folded in; spans are kept on every node.
 */
import type { Expr, ToolPattern } from "../../language/index.js";
import { assertNever, KERNEL_ACTIONS } from "../../language/index.js";
import type { IrExpr, IrValue } from "../../runtime/ir/index.js";
import type { CheckedPolicy, ConstValue, PathKey } from "../model.js";

type At = readonly [number, number];

/** Internal invariant failure: the model promised a checked, error-free policy. */
export class LoweringError extends Error {}

/** A glob tool pattern (`*` = any run of characters) as a regular expression. */
function globRegex(pattern: string): RegExp {
  const parts = pattern.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`^${parts.join(".*")}$`, "s");
}

/** Glob match of a tool pattern (`*` = any run of characters) against a tool name. */
export function matchTool(pattern: string, name: string): boolean {
  if (!pattern.includes("*")) return pattern === name;
  return globRegex(pattern).test(name);
}

/**
 * The known tools a list of patterns matches, sorted. As in the checker: a quoted pattern is an exact name, and a
 * glob never matches the kernel actions (`seen(*)` does not count `file.open`). An exact name is looked up; only
 * globs are matched against every known tool.
 */
export function resolvePatterns(model: CheckedPolicy, patterns: readonly ToolPattern[]): string[] {
  const out = new Set<string>();
  const globs: RegExp[] = [];
  for (const p of patterns) {
    if (p.quoted || !p.text.includes("*")) {
      if (model.tools.has(p.text)) out.add(p.text);
    } else globs.push(globRegex(p.text));
  }
  if (globs.length > 0) {
    const kernel = KERNEL_ACTIONS as readonly string[];
    for (const name of model.tools.keys()) {
      if (!kernel.includes(name) && globs.some((g) => g.test(name))) out.add(name);
    }
  }
  return [...out].sort();
}

/** A constant's value as an IR value. */
export function constToIr(v: ConstValue): IrValue {
  if (Array.isArray(v)) return (v as readonly ConstValue[]).map(constToIr);
  if (v !== null && typeof v === "object") {
    const r = v as { kind: "regex"; pattern: string; flags: string };
    return { regex: r.pattern, flags: r.flags };
  }
  return v as string | number | boolean | null;
}

function index(v: IrValue, path: readonly PathKey[]): IrValue {
  let cur: IrValue = v;
  for (const k of path) {
    if (Array.isArray(cur) && typeof k === "number") cur = (cur as readonly IrValue[])[k] ?? null;
    else throw new LoweringError(`cannot index constant with ${String(k)}`);
  }
  return cur;
}

/** Lowers expressions of one policy. */
export class ExprLowerer {
  constructor(private readonly model: CheckedPolicy) {}

  lower(e: Expr): IrExpr {
    const at: At = [e.span.start, e.span.end];
    switch (e.kind) {
      case "StringLit":
      case "NumberLit":
      case "BoolLit":
        return { op: "lit", value: e.value, at };
      case "NullLit":
        return { op: "lit", value: null, at };
      case "DurationLit":
        return { op: "lit", value: e.ms, at };
      case "RegexLit":
        return { op: "lit", value: { regex: e.pattern, flags: e.flags }, at };
      case "ListLit": {
        const items = e.elements.map((x) => this.lower(x));
        if (items.every((i) => i.op === "lit")) {
          return { op: "lit", value: items.map((i) => (i as { value: IrValue }).value), at };
        }
        return { op: "list", items, at };
      }
      case "ParenExpr":
        return this.lower(e.expr);
      case "LogicalExpr":
        return { op: e.op, left: this.lower(e.left), right: this.lower(e.right), at };
      case "NotExpr":
        return { op: "not", arg: this.lower(e.operand), at };
      case "CompareExpr":
        return { op: "cmp", cmp: e.op, quant: e.quantifier ?? null, left: this.lower(e.left), right: this.lower(e.right), at };
      case "IsExpr":
        return { op: "is", test: e.test, arg: this.lower(e.operand), at };
      case "SeenExpr":
      case "CountExpr":
        return {
          op: e.kind === "SeenExpr" ? "seen" : "count",
          tools: resolvePatterns(this.model, e.tools),
          windowMs: e.window?.ms ?? null,
          at,
        };
      case "SequenceExpr":
        return {
          op: "sequence",
          steps: e.steps.map((s) => resolvePatterns(this.model, [s])),
          windowMs: e.window?.ms ?? null,
          at,
        };
      case "ResultSourceExpr":
        return { op: "src_result", tools: resolvePatterns(this.model, e.tools), at };
      case "CallExpr":
        return this.call(e, at);
      case "Ref":
        return this.ref(e, at);
      case "ErrorExpr":
        throw new LoweringError("ErrorExpr in a checked policy");
      default:
        return assertNever(e);
    }
  }

  private call(e: Extract<Expr, { kind: "CallExpr" }>, at: At): IrExpr {
    const fn = this.model.calls.get(e) ?? e.callee.name;
    if (fn === "provenance") {
      const arg = e.args[0];
      const target = arg?.kind === "Ref" ? this.model.refs.get(arg) : undefined;
      if (!target || target.kind !== "args") throw new LoweringError("provenance() of a non-argument");
      return { op: "provenance", path: target.path, at };
    }
    if (fn !== "domain" && fn !== "host" && fn !== "lower" && fn !== "upper" && fn !== "len") {
      throw new LoweringError(`unknown builtin ${fn}`);
    }
    return { op: "call", fn, args: e.args.map((a) => this.lower(a)), at };
  }

  private ref(e: Extract<Expr, { kind: "Ref" }>, at: At): IrExpr {
    const t = this.model.refs.get(e);
    if (!t) throw new LoweringError(`unresolved reference ${e.root.name}`);
    switch (t.kind) {
      case "args":
        return { op: "arg", path: t.path, at };
      case "tool":
        return { op: "tool", at };
      case "request":
        return { op: "request", at };
      case "requestSource":
        return { op: "src_request", at };
      case "session":
        return { op: "session", field: t.field, at };
      case "identity":
        return { op: "identity", field: t.field, at };
      case "context":
        return { op: "context", field: t.field, path: t.path, at };
      case "drift":
        return { op: "drift", at };
      case "result":
        return { op: "result", path: t.path, at };
      case "constant": {
        const c = this.model.constants.get(t.name);
        if (!c) throw new LoweringError(`unknown constant ${t.name}`);
        return { op: "lit", value: index(constToIr(c.value), t.path), at };
      }
      case "label":
        return { op: "lit", value: t.name, at };
      case "level":
        return { op: "lit", value: t.rank, at };
      default:
        return assertNever(t);
    }
  }
}
