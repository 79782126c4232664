/**
 * Comparison operators (AARM2201, 2202, 2204, 2205). The operand rules:
 *
 *   == !=                 same type (integers and numbers are one type; string enums are strings)
 *   < <= > >=             numbers, durations or levels, both sides the same
 *   in / not in           scalar in list; with a list on the left: subset
 *   matches               string matches regex (a literal or a regex constant)
 *   contains startsWith endsWith mentions    string, string
 *   has excludes          list or set on the left, an element on the right
 *   has any / has all     list or set on the left, a list on the right
 *   any X OP Y / all X OP Y    X is a list; OP applies to each element
 *
 * Once the types fit, impossible.ts checks the values against the schema.
 */
import type { CompareExpr } from "../../language/index.js";
import { assertNever, names } from "../../language/index.js";
import { T_BOOLEAN, T_ERROR, T_REGEX, T_STRING, type Type } from "../types.js";
import { checkImpossible } from "./impossible.js";
import type { Infer } from "./infer.js";
import {
  comparable,
  elementOf,
  isCollection,
  isLoose,
  isOrderable,
  isRegex,
  isString,
  orderedKind,
  shortType,
  withArticle,
} from "./type-ops.js";

const listOf = (t: Type): Type => ({ kind: "list", element: t });

/** The type the right operand should have, given the left one (steers `request` and label messages). */
function expectedRight(op: CompareExpr["op"], left: Type): Type | undefined {
  switch (op) {
    case "==":
    case "!=":
    case "<":
    case "<=":
    case ">":
    case ">=":
      return left;
    case "in":
    case "not in":
      return listOf(left.kind === "list" ? (elementOf(left) ?? left) : left);
    case "has":
    case "excludes":
      return elementOf(left);
    case "has any":
    case "has all": {
      const el = elementOf(left);
      return el ? listOf(el) : undefined;
    }
    case "matches":
      return T_REGEX;
    case "contains":
    case "startsWith":
    case "endsWith":
    case "mentions":
      return T_STRING;
    default:
      return assertNever(op);
  }
}

/** Type a comparison; always boolean. */
export function inferCompare(infer: Infer, e: CompareExpr): Type {
  const r = infer.cx.reporter;
  const lt = infer(e.left);
  let left = lt;
  if (e.quantifier && lt.kind !== "error") {
    const el = isCollection(lt) ? elementOf(lt) : undefined;
    if (!el) {
      r.add(
        names.quantifierNeedsList(r.sourceId, e.left.span, {
          quantifier: e.quantifier,
          found: withArticle(lt),
        }),
      );
      left = T_ERROR;
    } else left = el;
  }
  const right = infer(e.right, left.kind === "error" ? undefined : expectedRight(e.op, left));
  if (left.kind === "error" || right.kind === "error") return T_BOOLEAN;
  if (checkTypes(infer, e, left, right)) checkImpossible(infer.cx, e, left);
  return T_BOOLEAN;
}

/** Reports for one comparison: each returns false so that checks can `return report(...)`. */
interface Reports {
  operand(side: "left" | "right", expected: string, found: Type, help?: string): false;
  mismatch(a: Type, b: Type, help?: string): false;
}

function reports(infer: Infer, e: CompareExpr): Reports {
  const r = infer.cx.reporter;
  const extra = (help: string | undefined) => (help ? { help } : undefined);
  return {
    operand(side, expected, found, help) {
      const span = side === "left" ? e.left.span : e.right.span;
      r.add(
        names.invalidOperand(
          r.sourceId,
          span,
          { op: e.op, expected, side, found: withArticle(found) },
          extra(help),
        ),
      );
      return false;
    },
    mismatch(a, b, help) {
      r.add(names.typeMismatch(r.sourceId, e.span, { left: shortType(a), right: shortType(b) }, extra(help)));
      return false;
    },
  };
}

function checkIn(e: CompareExpr, left: Type, right: Type, rep: Reports): boolean {
  const el = isCollection(right) ? elementOf(right) : undefined;
  if (!el) {
    const help = isString(right) ? "to test for a substring use `contains`" : undefined;
    return rep.operand("right", "a list on the right", right, help);
  }
  const l = left.kind === "list" && !e.quantifier ? (elementOf(left) ?? left) : left;
  return comparable(l, el) ? true : rep.mismatch(l, el, `the list holds ${shortType(el)} values`);
}

function checkMatches(infer: Infer, e: CompareExpr, left: Type, right: Type, rep: Reports): boolean {
  if (!isString(left))
    return rep.operand("left", "a string", left, isCollection(left) ? "use `any X matches /re/`" : undefined);
  if (isLoose(right) || isRegex(right)) return true;
  const r = infer.cx.reporter;
  const regexList = right.kind === "list" && right.element.kind === "regex";
  const help = regexList
    ? { help: "matches takes one regex; write one `matches` per regex, joined with `or`" }
    : undefined;
  r.add(names.regexExpected(r.sourceId, e.right.span, { found: withArticle(right) }, help));
  return false;
}

function checkHas(e: CompareExpr, left: Type, right: Type, rep: Reports): boolean {
  const el = isCollection(left) ? elementOf(left) : undefined;
  if (!el)
    return rep.operand(
      "left",
      "a list or set",
      left,
      isString(left) ? "for strings use `contains`" : undefined,
    );
  if (comparable(el, right)) return true;
  const quoted = e.right.kind === "StringLit" ? e.right.value : undefined;
  const help =
    (el.kind === "label" || el.kind === "level") && quoted !== undefined
      ? `${el.kind}s are names, not strings: write ${quoted} without quotes`
      : `the ${left.kind} holds ${shortType(el)} values`;
  return rep.mismatch(el, right, help);
}

function checkHasAny(e: CompareExpr, left: Type, right: Type, rep: Reports): boolean {
  const el = isCollection(left) ? elementOf(left) : undefined;
  if (!el) return rep.operand("left", "a list or set", left);
  const rel = isCollection(right) ? elementOf(right) : undefined;
  if (!rel) return rep.operand("right", "a list", right, `write ${e.op} [x, y]`);
  return comparable(el, rel) ? true : rep.mismatch(el, rel);
}

/** Report operand type errors; true when the operands fit the operator. */
function checkTypes(infer: Infer, e: CompareExpr, left: Type, right: Type): boolean {
  const rep = reports(infer, e);
  const op = e.op;
  switch (op) {
    case "==":
    case "!=":
      if (comparable(left, right)) return true;
      return rep.mismatch(
        left,
        right,
        isCollection(left) && !isLoose(left) ? "to test membership use `has` or `excludes`" : undefined,
      );
    case "<":
    case "<=":
    case ">":
    case ">=":
      if (orderedKind(left, right)) return true;
      return isOrderable(left)
        ? rep.mismatch(left, right)
        : rep.operand("left", "numbers, durations or levels", left);
    case "in":
    case "not in":
      return checkIn(e, left, right, rep);
    case "matches":
      return checkMatches(infer, e, left, right, rep);
    case "contains":
    case "startsWith":
    case "endsWith":
    case "mentions":
      if (!isString(left)) {
        return rep.operand(
          "left",
          "a string",
          left,
          isCollection(left) && op === "contains" ? "for lists and sets use `has`" : undefined,
        );
      }
      return isString(right) ? true : rep.operand("right", "a string", right);
    case "has":
    case "excludes":
      return checkHas(e, left, right, rep);
    case "has any":
    case "has all":
      return checkHasAny(e, left, right, rep);
    default:
      return assertNever(op);
  }
}
