/**
 * Constant folding of conditions, for AARM2502 (a condition that is always true or always false) and for the
 * reachability analysis (a condition that is always true makes a rule unconditional). Only literals and
 * constants fold; anything that reads the action or the session does not.
 */
import { RE2JS } from "re2js";
import type { CompareExpr, Expr } from "../../language/index.js";
import type { ConstValue } from "../model.js";
import { constValueOf } from "./const-value.js";
import { re2Flags } from "./regex.js";
import { leftSpine } from "./walk.js";
import type { Scope } from "./scope.js";

function equal(a: ConstValue, b: ConstValue): boolean {
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => equal(x, b[i]!));
  return a === b;
}

function foldOrdering(op: "<" | "<=" | ">" | ">=", l: ConstValue, r: ConstValue): boolean | undefined {
  if (typeof l !== "number" || typeof r !== "number") return undefined;
  return op === "<" ? l < r : op === "<=" ? l <= r : op === ">" ? l > r : l >= r;
}

function foldString(
  op: "contains" | "startsWith" | "endsWith",
  l: ConstValue,
  r: ConstValue,
): boolean | undefined {
  if (typeof l !== "string" || typeof r !== "string") return undefined;
  return op === "contains" ? l.includes(r) : op === "startsWith" ? l.startsWith(r) : l.endsWith(r);
}

function foldMatches(l: ConstValue, r: ConstValue): boolean | undefined {
  if (typeof l !== "string" || r === null || typeof r !== "object" || Array.isArray(r)) return undefined;
  const re = r as { pattern: string; flags: string };
  try {
    return RE2JS.compile(re.pattern, re2Flags(re.flags)).matcher(l).find();
  } catch {
    return undefined;
  }
}

function foldCompare(e: CompareExpr, scope: Scope): boolean | undefined {
  if (e.quantifier) return undefined;
  const l = constValueOf(e.left, scope);
  const r = constValueOf(e.right, scope);
  if (l === undefined || r === undefined) return undefined;
  switch (e.op) {
    case "==":
      return equal(l, r);
    case "!=":
      return !equal(l, r);
    case "<":
    case "<=":
    case ">":
    case ">=":
      return foldOrdering(e.op, l, r);
    case "in":
    case "not in": {
      if (!Array.isArray(r) || Array.isArray(l)) return undefined;
      const found = (r as readonly ConstValue[]).some((x) => equal(x, l));
      return e.op === "in" ? found : !found;
    }
    case "contains":
    case "startsWith":
    case "endsWith":
      return foldString(e.op, l, r);
    case "matches":
      return foldMatches(l, r);
    default:
      return undefined;
  }
}

/** Kleene `and` / `or` over known (true/false) and not-constant (undefined) operands. */
function foldLogical(op: "and" | "or", l: boolean | undefined, r: boolean | undefined): boolean | undefined {
  if (op === "and") return l === false || r === false ? false : l === true && r === true ? true : undefined;
  return l === true || r === true ? true : l === false && r === false ? false : undefined;
}

/** The constant value of a boolean condition, or undefined when it depends on anything at run time. */
export function foldBool(e: Expr, scope: Scope): boolean | undefined {
  switch (e.kind) {
    case "BoolLit":
      return e.value;
    case "ParenExpr":
      return foldBool(e.expr, scope);
    case "NotExpr": {
      const v = foldBool(e.operand, scope);
      return v === undefined ? undefined : !v;
    }
    case "LogicalExpr": {
      const { spine, leftmost } = leftSpine(e);
      let acc = foldBool(leftmost, scope);
      for (let i = spine.length - 1; i >= 0; i--)
        acc = foldLogical(spine[i]!.op, acc, foldBool(spine[i]!.right, scope));
      return acc;
    }
    case "CompareExpr":
      return foldCompare(e, scope);
    case "Ref": {
      const v = constValueOf(e, scope);
      return typeof v === "boolean" ? v : undefined;
    }
    default:
      return undefined;
  }
}
