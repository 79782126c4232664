/**
 * The conditions of a policy as `aarm test --coverage` and `aarm explain` see them: every rule, tag rule and
 * validation constraint, its atomic conditions (the operands of `and`, `or` and `not` that are not themselves
 * `and`, `or` or `not`), and a readable text for each — the policy's own words when its source is at hand, else the
 * IR printed back in the language's syntax.
 */
import type { IrExpr, IrPolicy } from "../runtime/ir/index.js";

/** Who a condition belongs to. */
export interface ConditionOwner {
  readonly kind: "rule" | "tag" | "constraint";
  /** The rule or tag id; `validate <tools>` for a constraint. */
  readonly id: string;
  /** Index into ir.rules, ir.tagRules or ir.validations. */
  readonly index: number;
  readonly constraint?: number;
  readonly at: readonly [number, number];
}

/** One atomic condition. */
export interface Atom {
  readonly expr: IrExpr;
  readonly owner: ConditionOwner;
}

/** The atoms of an expression, left to right. */
export function atomsOf(e: IrExpr | null, out: IrExpr[] = []): IrExpr[] {
  if (!e) return out;
  if (e.op === "and" || e.op === "or") {
    atomsOf(e.left, out);
    atomsOf(e.right, out);
  } else if (e.op === "not") atomsOf(e.arg, out);
  else out.push(e);
  return out;
}

/** Every atom of a policy, by owner in source order: rules, then tag rules, then validation constraints. */
export function policyAtoms(ir: IrPolicy): Atom[] {
  const out: Atom[] = [];
  ir.rules.forEach((r, index) => {
    for (const expr of atomsOf(r.cond))
      out.push({ expr, owner: { kind: "rule", id: r.id, index, at: r.at } });
  });
  ir.tagRules.forEach((t, index) => {
    for (const expr of atomsOf(t.cond)) out.push({ expr, owner: { kind: "tag", id: t.id, index, at: t.at } });
  });
  ir.validations.forEach((v, index) => {
    v.constraints.forEach((c, constraint) => {
      const id = `validate ${v.tools.join(", ")}`;
      for (const expr of atomsOf(c.expr))
        out.push({ expr, owner: { kind: "constraint", id, index, constraint, at: c.at } });
    });
  });
  return out;
}

const DURATIONS: readonly [number, string][] = [
  [86_400_000, "d"],
  [3_600_000, "h"],
  [60_000, "m"],
  [1000, "s"],
];

function duration(ms: number): string {
  for (const [unit, name] of DURATIONS) if (ms % unit === 0) return `${ms / unit}${name}`;
  return `${ms}ms`;
}

function path(base: string, p: readonly (string | number)[]): string {
  return (
    base +
    p
      .map((k) =>
        typeof k === "number"
          ? `[${k}]`
          : /^[A-Za-z_][A-Za-z0-9_]*$/.test(k)
            ? `.${k}`
            : `[${JSON.stringify(k)}]`,
      )
      .join("")
  );
}

function literal(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(literal).join(", ")}]`;
  if (typeof v === "object" && v !== null && "regex" in v) {
    const r = v as { regex: string; flags: string };
    return `/${r.regex.replace(/\//g, "\\/")}/${r.flags}`;
  }
  return JSON.stringify(v) ?? "null";
}

const window = (w: number | null) => (w === null ? "" : ` within ${duration(w)}`);

/** An IR expression in the language's syntax (constants appear by value: the IR has inlined them). */
export function irText(e: IrExpr): string {
  const inner = (x: IrExpr, parent: "and" | "or" | "not" | "cmp") => {
    const t = irText(x);
    const wrap =
      (x.op === "or" && parent !== "or") || (x.op === "and" && parent !== "and" && parent !== "or");
    return wrap ? `(${t})` : t;
  };
  switch (e.op) {
    case "lit":
      return literal(e.value);
    case "list":
      return `[${e.items.map(irText).join(", ")}]`;
    case "arg":
      return path("args", e.path);
    case "tool":
    case "request":
    case "drift":
      return e.op;
    case "session":
      return `session.${e.field}`;
    case "identity":
      return `identity.${e.field}`;
    case "context":
      return path(`context.${e.field}`, e.path);
    case "result":
      return path("result", e.path);
    case "and":
    case "or":
      return `${inner(e.left, e.op)} ${e.op} ${inner(e.right, e.op)}`;
    case "not":
      return e.arg.op === "and" || e.arg.op === "or" || e.arg.op === "cmp"
        ? `not (${irText(e.arg)})`
        : `not ${irText(e.arg)}`;
    case "cmp":
      return `${e.quant ? `${e.quant} ` : ""}${inner(e.left, "cmp")} ${e.cmp} ${inner(e.right, "cmp")}`;
    case "is":
      return `${irText(e.arg)} is ${e.test}`;
    case "call":
      return `${e.fn}(${e.args.map(irText).join(", ")})`;
    case "provenance":
      return `provenance(${path("args", e.path)})`;
    case "src_request":
      return "request";
    case "src_result":
      return `result(${e.tools.join(", ")})`;
    case "seen":
    case "count":
      return `${e.op}(${e.tools.join(", ")}${window(e.windowMs)})`;
    case "sequence":
      return `sequence(${e.steps.map((s) => s.join(" | ")).join(", ")}${window(e.windowMs)})`;
  }
}

/** How expressions and rules are shown: from the source text when it is the policy's, else from the IR. */
export interface PolicyText {
  /** The text of an expression. */
  expr(e: IrExpr): string;
  /** `line N` of a span, or "" without the source. */
  where(at: readonly [number, number]): string;
}

/** A PolicyText; `source` is used only when given (and must be the text the IR was compiled from). */
export function policyText(source?: string): PolicyText {
  if (source === undefined) return { expr: irText, where: () => "" };
  return {
    expr: (e) => source.slice(e.at[0], e.at[1]).replace(/\s*\n\s*/g, " ") || irText(e),
    where: (at) => {
      let line = 1;
      for (let i = 0; i < at[0] && i < source.length; i++) if (source.charCodeAt(i) === 10) line++;
      return `line ${line}`;
    },
  };
}
