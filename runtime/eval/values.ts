/**
 * Run-time values. Besides JSON values there are two special results:
 * - UNKNOWN: context the policy refers to is not known yet (three-valued logic; a rule that is unknown DEFERs);
 * - EvalError: a value of the wrong shape, a budget exceeded. Errors are values (cel-es style), carry the IR span
 *   of the expression that failed, and make the rule that produced them fail closed.
 */

/** The unknown value. */
export const UNKNOWN: unique symbol = Symbol("unknown");
export type Unknown = typeof UNKNOWN;

/** An evaluation error. */
export class EvalError {
  readonly brand = "EvalError";
  constructor(
    readonly message: string,
    readonly at: readonly [number, number],
  ) {}
}

/** A set of strings (labels, provenance sources). */
export type StrSet = ReadonlySet<string>;

/** Anything an expression can produce. */
export type Value = string | number | boolean | null | readonly Value[] | StrSet | RegexHandle | object;

/** A compiled regex (see regex.ts); opaque here. */
export interface RegexHandle {
  readonly kind: "regex";
  test(s: string): boolean;
}

export type Result = Value | Unknown | EvalError;

export function isUnknown(v: Result): v is Unknown {
  return v === UNKNOWN;
}

export function isError(v: Result): v is EvalError {
  return v instanceof EvalError;
}

export function isSet(v: unknown): v is StrSet {
  return v instanceof Set;
}

export function isRegex(v: unknown): v is RegexHandle {
  return typeof v === "object" && v !== null && (v as { kind?: unknown }).kind === "regex" && !Array.isArray(v) && !(v instanceof Set);
}

/** A short description of a value's type, for error messages. */
export function typeName(v: Result): string {
  if (v === UNKNOWN) return "unknown";
  if (v instanceof EvalError) return "error";
  if (v === null) return "null";
  if (Array.isArray(v)) return "list";
  if (v instanceof Set) return "set";
  if (isRegex(v)) return "regex";
  return typeof v;
}

/** Structural equality of JSON-like values (numbers by value, strings exactly, lists element-wise). */
export function valueEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!valueEquals(a[i], b[i])) return false;
    return true;
  }
  if (a instanceof Set && b instanceof Set) {
    if (a.size !== b.size) return false;
    for (const x of a) if (!b.has(x)) return false;
    return true;
  }
  if (typeof a === "object" && a !== null && typeof b === "object" && b !== null && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    if (ka.length !== kb.length) return false;
    for (const k of ka) if (!valueEquals((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
    return true;
  }
  return false;
}
