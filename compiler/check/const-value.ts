/**
 * Compile-time values: the literal value of an expression (a literal, a list of literals, or a reference to a
 * constant), used by constant declarations, impossible-comparison checks, `set` values and constant folding.
 */
import type { Expr, Literal } from "../../language/index.js";
import type { ConstValue } from "../model.js";
import {
  T_BOOLEAN,
  T_DURATION,
  T_INTEGER,
  T_NULL,
  T_NUMBER,
  T_REGEX,
  T_STRING,
  type Type,
} from "../types.js";
import type { Scope } from "./scope.js";

/** The value of an expression if it is known at compile time. Constants are looked up in `scope`. */
export function constValueOf(e: Expr, scope: Scope | undefined): ConstValue | undefined {
  switch (e.kind) {
    case "StringLit":
    case "NumberLit":
    case "BoolLit":
      return e.value;
    case "NullLit":
      return null;
    case "DurationLit":
      return e.ms;
    case "RegexLit":
      return { kind: "regex", pattern: e.pattern, flags: e.flags };
    case "ListLit": {
      const out: ConstValue[] = [];
      for (const el of e.elements) {
        const v = constValueOf(el, scope);
        if (v === undefined) return undefined;
        out.push(v);
      }
      return out;
    }
    case "ParenExpr":
      return constValueOf(e.expr, scope);
    case "Ref":
      if (e.segments.length > 0 || !scope) return undefined;
      return scope.constants.get(e.root.name)?.value;
    default:
      return undefined;
  }
}

/** The type of a scalar literal (lists are typed by the checker). */
export function literalType(e: Exclude<Literal, { kind: "ListLit" }>): Type {
  switch (e.kind) {
    case "StringLit":
      return T_STRING;
    case "NumberLit":
      return Number.isInteger(e.value) ? T_INTEGER : T_NUMBER;
    case "BoolLit":
      return T_BOOLEAN;
    case "NullLit":
      return T_NULL;
    case "DurationLit":
      return T_DURATION;
    case "RegexLit":
      return T_REGEX;
  }
}

/** A value as it is written in a policy: `"usd"`, `5`, `/x/i`, `["a", "b"]`. */
export function showValue(v: ConstValue): string {
  if (v === null) return "null";
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (Array.isArray(v)) {
    const shown = v.slice(0, 6).map(showValue).join(", ");
    return v.length > 6 ? `[${shown}, ...]` : `[${shown}]`;
  }
  const r = v as { pattern: string; flags: string };
  return `/${r.pattern}/${r.flags}`;
}

/** True when the value is a list. */
export function isListValue(v: ConstValue | undefined): v is readonly ConstValue[] {
  return Array.isArray(v);
}
