/**
 * Constant declarations (AARM2006, AARM2007): a constant is a scalar literal (string, number, boolean, duration,
 * regex) or a flat, non-empty-typed list of literals of one kind. Regex syntax is checked with every other regex
 * (regex.ts).
 */
import type { ConstDecl, Expr } from "../../language/index.js";
import { names } from "../../language/index.js";
import type { ConstValue } from "../model.js";
import { T_ANY, T_ERROR, T_INTEGER, T_NUMBER, type Type } from "../types.js";
import { constValueOf, literalType } from "./const-value.js";
import type { Reporter } from "./context.js";
import { shortType } from "./type-ops.js";

/** What a non-literal expression is, for AARM2006's message. */
function describeNonLiteral(e: Expr, r: Reporter): string {
  switch (e.kind) {
    case "NullLit":
      return "null is not a constant value (test optional arguments with `is absent`)";
    case "ListLit":
      return "lists cannot be nested";
    case "Ref":
      return `'${r.text(e.span)}' is a reference, not a literal`;
    case "CallExpr":
      return `'${r.text(e.span)}' is a function call, not a literal`;
    default:
      return `'${r.text(e.span)}' is an expression, not a literal`;
  }
}

function isScalarLiteral(
  e: Expr,
): e is Extract<Expr, { kind: "StringLit" | "NumberLit" | "BoolLit" | "DurationLit" | "RegexLit" }> {
  return (
    e.kind === "StringLit" ||
    e.kind === "NumberLit" ||
    e.kind === "BoolLit" ||
    e.kind === "DurationLit" ||
    e.kind === "RegexLit"
  );
}

/** Check one constant declaration; returns its type and value (value undefined if invalid). */
export function checkConstant(d: ConstDecl, r: Reporter): { type: Type; value: ConstValue | undefined } {
  const e = d.value.kind === "ParenExpr" ? d.value.expr : d.value;
  if (e.kind === "ErrorExpr") return { type: T_ERROR, value: undefined };
  if (isScalarLiteral(e)) return { type: literalType(e), value: constValueOf(e, undefined) };
  if (e.kind !== "ListLit") {
    r.add(names.invalidConstant(r.sourceId, e.span, { reason: describeNonLiteral(e, r) }));
    return { type: T_ERROR, value: undefined };
  }
  let first: Type | undefined;
  let ok = true;
  let allIntegers = true;
  for (const el of e.elements) {
    if (el.kind === "ErrorExpr") {
      ok = false;
      continue;
    }
    if (!isScalarLiteral(el)) {
      r.add(names.invalidConstant(r.sourceId, el.span, { reason: describeNonLiteral(el, r) }));
      ok = false;
      continue;
    }
    const t = literalType(el);
    if (t.kind === "number" && !t.integer) allIntegers = false;
    if (first === undefined) first = t;
    else if (first.kind !== t.kind) {
      r.add(
        names.heterogeneousList(r.sourceId, el.span, { found: shortType(t), expected: shortType(first) }),
      );
      ok = false;
    }
  }
  if (!ok) return { type: T_ERROR, value: undefined };
  const element =
    first === undefined ? T_ANY : first.kind === "number" ? (allIntegers ? T_INTEGER : T_NUMBER) : first;
  const n = e.elements.length;
  return { type: { kind: "list", element, minItems: n, maxItems: n }, value: constValueOf(e, undefined) };
}
