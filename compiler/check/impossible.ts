/**
 * Impossible comparisons (AARM2209–2211): a comparison between a schema-typed value and a constant that the
 * schema rules out. `==`/`in` can then never be true (error); `!=`/`not in` are always true (warning); one bad
 * element in an `in` list is a warning. Orderings against `minimum`/`maximum` are checked the same way.
 */
import type { CompareExpr } from "../../language/index.js";
import { names } from "../../language/index.js";
import type { ConstValue } from "../model.js";
import type { Type } from "../types.js";
import { constValueOf, showValue } from "./const-value.js";
import type { CheckContext } from "./context.js";
import { closest, listNames } from "./suggest.js";
import { elementOf, members } from "./type-ops.js";

function codePoints(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function stringViolation(t: Extract<Type, { kind: "string" }>, v: string, what: string): string | undefined {
  if (t.enum && !t.enum.includes(v)) {
    const near = closest(v, t.enum);
    const hint = near === undefined ? "" : `; did you mean ${JSON.stringify(near)}?`;
    const allowed = listNames(t.enum.map((x) => JSON.stringify(x)));
    return `${JSON.stringify(v)} is not one of the values of ${what} (${allowed})${hint}`;
  }
  const n = codePoints(v);
  if (t.maxLength !== undefined && n > t.maxLength) {
    return `${JSON.stringify(v)} has ${n} characters, but ${what} has at most ${t.maxLength} (maxLength)`;
  }
  if (t.minLength !== undefined && n < t.minLength) {
    return `${JSON.stringify(v)} has ${n} characters, but ${what} has at least ${t.minLength} (minLength)`;
  }
  if (t.pattern !== undefined) {
    try {
      if (!new RegExp(t.pattern, "u").test(v))
        return `${JSON.stringify(v)} does not match the pattern /${t.pattern}/ of ${what}`;
    } catch {
      // An invalid schema pattern is the schema loader's to report.
    }
  }
  return undefined;
}

function numberViolation(t: Extract<Type, { kind: "number" }>, v: number, what: string): string | undefined {
  if (t.enum && !t.enum.includes(v))
    return `${v} is not one of the values of ${what} (${listNames(t.enum.map(String))})`;
  if (t.integer && !Number.isInteger(v)) return `${v} is not an integer, and ${what} is`;
  if (t.minimum !== undefined && v < t.minimum) return `${v} is below the minimum ${t.minimum} of ${what}`;
  if (t.maximum !== undefined && v > t.maximum) return `${v} is above the maximum ${t.maximum} of ${what}`;
  if (t.exclusiveMinimum !== undefined && v <= t.exclusiveMinimum) {
    return `${v} is not above the exclusive minimum ${t.exclusiveMinimum} of ${what}`;
  }
  if (t.exclusiveMaximum !== undefined && v >= t.exclusiveMaximum) {
    return `${v} is not below the exclusive maximum ${t.exclusiveMaximum} of ${what}`;
  }
  return undefined;
}

/** A reason, undefined (the member admits v), or null (the member rules v out for its type alone: not shown). */
function memberViolation(m: Type, v: ConstValue, what: string): string | undefined | null {
  if (m.kind === "string") return typeof v === "string" ? stringViolation(m, v, what) : null;
  if (m.kind === "number") return typeof v === "number" ? numberViolation(m, v, what) : null;
  if (m.kind === "null" || m.kind === "boolean")
    return (m.kind === "null" ? v === null : typeof v === "boolean") ? undefined : null;
  return undefined;
}

/** Why `v` can never be a value of `t` (described as `what`), or undefined if it can be (or the types differ). */
export function violation(t: Type, v: ConstValue, what: string): string | undefined {
  let first: string | undefined;
  for (const m of members(t)) {
    const why = memberViolation(m, v, what);
    if (why === undefined) return undefined;
    if (why !== null) first ??= why;
  }
  return first;
}

type Ordering = "<" | "<=" | ">" | ">=";
const FLIP: Readonly<Record<Ordering, Ordering>> = { "<": ">", "<=": ">=", ">": "<", ">=": "<=" };

/** Why `x OP c` can never hold for x of type `t`, or undefined. */
function orderingViolation(t: Type, op: Ordering, c: number, what: string): string | undefined {
  let first: string | undefined;
  for (const m of members(t)) {
    if (m.kind !== "number") return undefined;
    const { minimum: min, maximum: max, exclusiveMinimum: emin, exclusiveMaximum: emax } = m;
    let why: string | undefined;
    if ((op === ">" || op === ">=") && max !== undefined && (op === ">" ? max <= c : max < c)) {
      why = `${what} is at most ${max} (maximum)`;
    } else if ((op === ">" || op === ">=") && emax !== undefined && emax <= c) {
      why = `${what} is below ${emax} (exclusiveMaximum)`;
    } else if ((op === "<" || op === "<=") && min !== undefined && (op === "<" ? min >= c : min > c)) {
      why = `${what} is at least ${min} (minimum)`;
    } else if ((op === "<" || op === "<=") && emin !== undefined && emin >= c) {
      why = `${what} is above ${emin} (exclusiveMinimum)`;
    }
    if (why === undefined) return undefined;
    first ??= why;
  }
  return first;
}

/** `==` / `!=`: the constant may stand on either side. */
function checkEquality(
  cx: CheckContext,
  e: CompareExpr,
  left: Type,
  lv: ConstValue | undefined,
  rv: ConstValue | undefined,
): void {
  const r = cx.reporter;
  const right = cx.tables.types.get(e.right);
  const [t, v, what] =
    rv !== undefined && lv === undefined
      ? [left, rv, r.text(e.left.span)]
      : lv !== undefined && rv === undefined && !e.quantifier
        ? [right, lv, r.text(e.right.span)]
        : [undefined, undefined, ""];
  if (!t || v === undefined) return;
  const why = violation(t, v, what);
  if (why === undefined) return;
  if (e.op === "==") r.add(names.impossibleComparison(r.sourceId, e.span, { reason: why }));
  else r.add(names.alwaysTrueComparison(r.sourceId, e.span, { reason: why }));
}

/** `in` / `not in` with a constant list: every element impossible, or some. */
function checkMembership(cx: CheckContext, e: CompareExpr, left: Type, rv: readonly ConstValue[]): void {
  const r = cx.reporter;
  const elem = left.kind === "list" ? elementOf(left) : left;
  if (!elem) return;
  const what = r.text(e.left.span);
  const whys = rv.map((v) => violation(elem, v, what));
  if (rv.length > 0 && whys.every((w) => w !== undefined) && left.kind !== "list") {
    const reason =
      rv.length === 1 ? whys[0]! : `no element of the list is a possible value of ${what}; ${whys[0]!}`;
    if (e.op === "in") r.add(names.impossibleComparison(r.sourceId, e.span, { reason }));
    else r.add(names.alwaysTrueComparison(r.sourceId, e.span, { reason }));
    return;
  }
  const list = e.right.kind === "ListLit" ? e.right.elements : undefined;
  whys.forEach((why, i) => {
    if (why === undefined) return;
    const span = list?.[i]?.span ?? e.right.span;
    r.add(names.impossibleListElement(r.sourceId, span, { value: showValue(rv[i]!), reason: why }));
  });
}

/** `< <= > >=` against the schema's bounds; the constant may stand on either side. */
function checkOrdering(
  cx: CheckContext,
  e: CompareExpr & { op: Ordering },
  left: Type,
  lv: ConstValue | undefined,
  rv: ConstValue | undefined,
): void {
  const r = cx.reporter;
  const [t, op, c, what] =
    typeof rv === "number" && lv === undefined
      ? [left, e.op, rv, r.text(e.left.span)]
      : typeof lv === "number" && rv === undefined && !e.quantifier
        ? [cx.tables.types.get(e.right), FLIP[e.op], lv, r.text(e.right.span)]
        : [undefined, e.op, 0, ""];
  if (!t) return;
  const why = orderingViolation(t, op, c, what);
  if (why !== undefined) r.add(names.impossibleComparison(r.sourceId, e.span, { reason: why }));
}

const isOrdering = (e: CompareExpr): e is CompareExpr & { op: Ordering } => e.op in FLIP;

/**
 * Check a comparison whose operand types fit: `left` is the type of the left operand (its element type under a
 * quantifier).
 */
export function checkImpossible(cx: CheckContext, e: CompareExpr, left: Type): void {
  const lv = constValueOf(e.left, cx.scope);
  const rv = constValueOf(e.right, cx.scope);
  if (e.op === "==" || e.op === "!=") checkEquality(cx, e, left, lv, rv);
  else if ((e.op === "in" || e.op === "not in") && lv === undefined && Array.isArray(rv)) {
    checkMembership(cx, e, left, rv as readonly ConstValue[]);
  } else if (isOrdering(e)) checkOrdering(cx, e, left, lv, rv);
}
