/**
 * Type inference for expressions. Every checked expression gets its type in the side table `tables.types`
 * (never on the AST); the `error` type marks an expression already reported, and suppresses cascades.
 * Operator rules are in compare.ts, builtins in builtins.ts, references in roots.ts.
 */
import type { Expr, IsExpr, ListLit, LogicalExpr } from "../../language/index.js";
import { assertNever, names } from "../../language/index.js";
import { T_BOOLEAN, T_ERROR, T_INTEGER, T_NUMBER, T_SOURCE, type Type } from "../types.js";
import { inferCall } from "./builtins.js";
import { inferCompare } from "./compare.js";
import { literalType } from "./const-value.js";
import type { CheckContext, ExprEnv } from "./context.js";
import { dependencies, mayBeUnknown } from "./purity.js";
import { inferRef } from "./roots.js";
import { comparable, elementOf, isBoolean, members, mergeTypes, shortType, withArticle } from "./type-ops.js";
import { leftSpine } from "./walk.js";

/** An expression checker bound to one environment. */
export interface Infer {
  (e: Expr, expected?: Type): Type;
  readonly cx: CheckContext;
  readonly env: ExprEnv;
}

/** Make the inference function for an environment. */
export function makeInfer(cx: CheckContext, env: ExprEnv): Infer {
  const infer = (e: Expr, expected?: Type): Type => {
    const t = inferNode(infer as Infer, e, expected);
    cx.tables.types.set(e, t);
    return t;
  };
  return Object.assign(infer, { cx, env });
}

/** Report AARM2203 unless `t` is boolean. */
export function requireBoolean(infer: Infer, e: Expr, t: Type, what: string): void {
  if (isBoolean(t)) return;
  const r = infer.cx.reporter;
  r.add(names.notBoolean(r.sourceId, e.span, { what, type: withArticle(t) }));
}

/** Type an expression that must be boolean (a condition or a constraint). */
export function inferCondition(infer: Infer, e: Expr, what: string): Type {
  const t = infer(e);
  requireBoolean(infer, e, t, what);
  return t;
}

function inferNode(infer: Infer, e: Expr, expected: Type | undefined): Type {
  const { cx, env } = infer;
  switch (e.kind) {
    case "StringLit":
    case "NumberLit":
    case "BoolLit":
    case "NullLit":
    case "DurationLit":
    case "RegexLit":
      return literalType(e);
    case "ListLit":
      return inferList(infer, e, expected);
    case "Ref":
      return inferRef(cx, env, e, expected);
    case "CallExpr":
      return inferCall(cx, e, (a) => infer(a));
    case "SeenExpr":
      cx.universe.resolve(e.tools);
      return T_BOOLEAN;
    case "CountExpr":
      cx.universe.resolve(e.tools);
      return { ...T_INTEGER, minimum: 0 };
    case "SequenceExpr": {
      cx.universe.resolve(e.steps);
      if (e.steps.length < 2) cx.reporter.add(names.sequenceTooShort(cx.reporter.sourceId, e.span, {}));
      return T_BOOLEAN;
    }
    case "ResultSourceExpr":
      cx.universe.resolve(e.tools);
      return T_SOURCE;
    case "LogicalExpr":
      return inferLogical(infer, e);
    case "NotExpr":
      requireBoolean(infer, e.operand, infer(e.operand), "the operand of 'not'");
      return T_BOOLEAN;
    case "CompareExpr":
      return inferCompare(infer, e);
    case "IsExpr":
      return inferIs(infer, e);
    case "ParenExpr":
      return infer(e.expr, expected);
    case "ErrorExpr":
      return T_ERROR;
    default:
      return assertNever(e);
  }
}

/** `a and b or c ...`: the left spine is walked in a loop (chains may be long; see walk.ts). */
function inferLogical(infer: Infer, e: LogicalExpr): Type {
  const { spine, leftmost } = leftSpine(e);
  const bottom = spine[spine.length - 1]!;
  requireBoolean(infer, leftmost, infer(leftmost), `the left operand of '${bottom.op}'`);
  for (let i = spine.length - 1; i >= 0; i--) {
    const node = spine[i]!;
    requireBoolean(infer, node.right, infer(node.right), `the right operand of '${node.op}'`);
    if (i > 0) infer.cx.tables.types.set(node, T_BOOLEAN);
  }
  return T_BOOLEAN;
}

function inferList(infer: Infer, e: ListLit, expected: Type | undefined): Type {
  const r = infer.cx.reporter;
  const want = expected ? elementOf(expected) : undefined;
  const types: Type[] = [];
  let first: Type | undefined;
  for (const el of e.elements) {
    const t = infer(el, want);
    if (t.kind === "error") continue;
    if (first === undefined) first = t;
    else if (!comparable(first, t)) {
      r.add(
        names.heterogeneousList(r.sourceId, el.span, { found: shortType(t), expected: shortType(first) }),
      );
      continue;
    }
    types.push(t);
  }
  const n = e.elements.length;
  const all = types.flatMap((t) => members(t));
  const element =
    all.length > 0 && all.every((m) => m.kind === "number")
      ? all.every((m) => m.kind === "number" && m.integer)
        ? T_INTEGER
        : T_NUMBER
      : mergeTypes(types);
  return { kind: "list", element, minItems: n, maxItems: n };
}

function inferIs(infer: Infer, e: IsExpr): Type {
  const { cx } = infer;
  const r = cx.reporter;
  const t = infer(e.operand);
  if (t.kind === "error") return T_BOOLEAN;
  if (e.test === "known" || e.test === "unknown") {
    if (!mayBeUnknown(dependencies(cx, e.operand))) {
      r.add(names.alwaysKnown(r.sourceId, e.operand.span, { expr: r.text(e.operand.span) }));
    }
    return T_BOOLEAN;
  }
  const op = e.operand.kind === "ParenExpr" ? e.operand.expr : e.operand;
  if (
    op.kind !== "Ref" ||
    (op.root.name !== "args" && op.root.name !== "result") ||
    op.segments.length === 0
  ) {
    r.add(
      names.presenceOfNonArgument(r.sourceId, e.operand.span, {
        test: e.test,
        found: `'${r.text(e.operand.span)}'`,
      }),
    );
    return T_BOOLEAN;
  }
  const info = cx.tables.presence.get(op);
  if (info && !info.optional && info.requiredIn !== undefined) {
    r.add(names.alwaysPresent(r.sourceId, e.span, { path: r.text(op.span), tool: info.requiredIn }));
  }
  return T_BOOLEAN;
}
