/**
 * Static cost bounds (AARM4004). Every condition has a bound on the work its evaluation does, in cost units:
 *
 *   - 1 per operator, reference and call; literals are free;
 *   - text bounds: a string has at most its `maxLength` characters; a list of strings at most `maxItems` ×
 *     `maxLength` in total. Where the schema leaves either open, the argument is assumed to hold at most
 *     UNBOUNDED_STRING (64 KiB) of text in total, and a list at most UNBOUNDED_LIST (1,024) elements;
 *   - `matches`: pattern length × the text bound of the string (or of all the elements, under a quantifier);
 *   - `contains`, `mentions` and the string builtins scan their text: its text bound;
 *     `startsWith`/`endsWith` compare the constant's length (or the text bound);
 *   - `in`, `has any`, `has all`: the size of the list on the right (its length if constant, else its element
 *     bound); `has`/`excludes`: 1 (a set lookup);
 *   - a quantifier adds 1 per element on top of the text its comparison scans;
 *   - `seen`, `count`, `sequence`: 1 per tool pattern or step (the session keeps per-tool indexes).
 *
 * A condition above COST_LIMIT is reported (a warning): it could slow every decision for its tools. At the limit
 * a regex of about 256 characters fits over an argument without `maxLength`.
 */
import type { CompareExpr, Expr } from "../../language/index.js";
import { assertNever, target } from "../../language/index.js";
import type { Type } from "../types.js";
import { constValueOf } from "./const-value.js";
import type { CheckContext } from "./context.js";
import { members, stripNull } from "./type-ops.js";
import { leftSpine, walk } from "./walk.js";

/** Assumed total text of an argument the schema does not bound. */
export const UNBOUNDED_STRING = 65_536;
/** Assumed maximum size of a list without `maxItems`. */
export const UNBOUNDED_LIST = 1_024;
/** Conditions above this bound are reported. */
export const COST_LIMIT = 16_777_216;

/** The maximum number of characters of one string of this type. */
function lengthBound(t: Type): number | undefined {
  let max = 0;
  for (const m of members(stripNull(t))) {
    if (m.kind === "string" && m.enum) max = Math.max(max, ...m.enum.map((s) => s.length));
    else if (m.kind === "string" && m.maxLength !== undefined) max = Math.max(max, m.maxLength);
    else return undefined;
  }
  return max;
}

/** The maximum number of elements of a list or set. */
export function listBound(cx: CheckContext, t: Type | undefined): number {
  if (!t) return UNBOUNDED_LIST;
  let max = 0;
  for (const m of members(stripNull(t))) {
    if (m.kind === "list" && m.maxItems !== undefined) max = Math.max(max, m.maxItems);
    else if (m.kind === "set" && m.element.kind === "label") max = Math.max(max, cx.scope.labels.size);
    else if (m.kind === "set" && m.element.kind === "source") max = Math.max(max, 1 + cx.universe.tools.size);
    else return UNBOUNDED_LIST;
  }
  return max;
}

/** The maximum total text of a string, or of all the strings of a list. */
export function textBound(cx: CheckContext, t: Type | undefined): number {
  if (!t) return UNBOUNDED_STRING;
  const s = stripNull(t);
  if (s.kind === "list" || s.kind === "set") {
    const each = lengthBound(s.element);
    const n = s.kind === "list" ? s.maxItems : undefined;
    return each !== undefined && n !== undefined
      ? each * n
      : Math.min(UNBOUNDED_STRING, each === undefined ? UNBOUNDED_STRING : each * listBound(cx, s));
  }
  return lengthBound(s) ?? UNBOUNDED_STRING;
}

function compareCost(cx: CheckContext, e: CompareExpr): number {
  const types = cx.tables.types;
  const lt = types.get(e.left);
  const rt = types.get(e.right);
  // Under a quantifier the comparison runs once per element, over all the elements' text.
  const perElement = e.quantifier ? listBound(cx, lt) : 1;
  const text = Math.max(1, textBound(cx, lt));
  let op: number;
  switch (e.op) {
    case "matches": {
      const v = constValueOf(e.right, cx.scope);
      const len =
        v !== null && typeof v === "object" && !Array.isArray(v)
          ? (v as { pattern: string }).pattern.length
          : 64;
      op = Math.max(1, len) * text + perElement;
      break;
    }
    case "contains":
    case "mentions":
      op = text + perElement;
      break;
    case "startsWith":
    case "endsWith": {
      const v = constValueOf(e.right, cx.scope);
      op = typeof v === "string" ? Math.max(1, v.length) * perElement : text + perElement;
      break;
    }
    case "in":
    case "not in":
    case "has any":
    case "has all":
      op = Math.max(1, listBound(cx, rt)) * perElement;
      break;
    default:
      op = perElement;
  }
  return costOf(cx, e.left) + costOf(cx, e.right) + op;
}

/** The cost bound of an (inferred) expression. */
export function costOf(cx: CheckContext, e: Expr): number {
  switch (e.kind) {
    case "StringLit":
    case "NumberLit":
    case "BoolLit":
    case "NullLit":
    case "DurationLit":
    case "RegexLit":
    case "ErrorExpr":
    case "ResultSourceExpr":
      return 0;
    case "ListLit":
      return e.elements.reduce((s, x) => s + costOf(cx, x), 0);
    case "Ref":
      return 1;
    case "CallExpr": {
      const arg = e.args[0];
      const at = arg ? cx.tables.types.get(arg) : undefined;
      const inner = e.args.reduce((s, x) => s + costOf(cx, x), 0);
      if (e.callee.name === "len" || e.callee.name === "provenance") return 1 + inner;
      return 1 + inner + textBound(cx, at);
    }
    case "SeenExpr":
    case "CountExpr":
      return e.tools.length;
    case "SequenceExpr":
      return e.steps.length;
    case "LogicalExpr": {
      const { spine, leftmost } = leftSpine(e);
      return spine.reduce((sum, node) => sum + 1 + costOf(cx, node.right), costOf(cx, leftmost));
    }
    case "NotExpr":
      return 1 + costOf(cx, e.operand);
    case "IsExpr":
      return 1 + costOf(cx, e.operand);
    case "ParenExpr":
      return costOf(cx, e.expr);
    case "CompareExpr":
      return compareCost(cx, e);
    default:
      return assertNever(e);
  }
}

/** A hint for AARM4004: what bound to add to which schema. */
export function costHint(cx: CheckContext, e: Expr): string {
  const refs: string[] = [];
  walk(e, (x) => {
    if (x.kind !== "Ref" || x.root.name !== "args") return undefined;
    const t = cx.tables.types.get(x);
    if (t && (textBound(cx, t) >= UNBOUNDED_STRING || (t.kind === "list" && t.maxItems === undefined))) {
      refs.push(cx.reporter.text(x.span));
    }
    return false;
  });
  const uniq = [...new Set(refs)];
  return uniq.length > 0
    ? `add maxLength (strings) or maxItems (lists) to ${uniq.join(", ")} in the tool's inputSchema`
    : "simplify the condition: shorter regexes, smaller lists";
}

/** Compute the cost of a condition and report AARM4004 when it is above COST_LIMIT. */
export function boundCost(cx: CheckContext, e: Expr, what: string): number {
  const cost = costOf(cx, e);
  if (cost > COST_LIMIT) {
    const r = cx.reporter;
    r.add(
      target.costBoundExceeded(
        r.sourceId,
        e.span,
        { what, cost, limit: COST_LIMIT },
        { help: costHint(cx, e) },
      ),
    );
  }
  return cost;
}
