/**
 * Operator and builtin semantics, shared by the reference interpreter and the generated evaluator (which imports
 * these functions by name). Documented in docs/semantics.md ("Values and unknown") and docs/language.md.
 *
 * Conventions: an EvalError operand gives an EvalError; otherwise an UNKNOWN operand gives UNKNOWN; a null operand
 * (absent optional argument) makes every comparison false except `==` / `!=`.
 */
import { compileRegex } from "./regex.js";
import {
  EvalError,
  isRegex,
  isSet,
  type RegexHandle,
  type Result,
  typeName,
  UNKNOWN,
  valueEquals,
} from "./values.js";

type At = readonly [number, number];

const NO_AT: At = [0, 0];

/** A logical operand: a boolean, UNKNOWN or an error; any other value is a type error (fail closed, not false). */
function logical(v: Result, op: "and" | "or", at: At): Result {
  if (v === true || v === false || v === UNKNOWN || v instanceof EvalError) return v;
  return new EvalError(`'${op}' needs booleans, got ${typeName(v)}`, at);
}

/** Kleene AND that is commutative over errors: false absorbs everything, then error, then unknown. */
export function and3(l: Result, r: () => Result, at: At = NO_AT): Result {
  if (l === false) return false;
  const rv = r();
  if (rv === false) return false;
  const lv = logical(l, "and", at);
  const rb = logical(rv, "and", at);
  if (lv instanceof EvalError) return lv;
  if (rb instanceof EvalError) return rb;
  if (lv === UNKNOWN || rb === UNKNOWN) return UNKNOWN;
  return true;
}

/** Kleene OR, commutative over errors: true absorbs everything, then error, then unknown. */
export function or3(l: Result, r: () => Result, at: At = NO_AT): Result {
  if (l === true) return true;
  const rv = r();
  if (rv === true) return true;
  const lv = logical(l, "or", at);
  const rb = logical(rv, "or", at);
  if (lv instanceof EvalError) return lv;
  if (rb instanceof EvalError) return rb;
  if (lv === UNKNOWN || rb === UNKNOWN) return UNKNOWN;
  return false;
}

export function not3(v: Result, at: At): Result {
  if (v === UNKNOWN || v instanceof EvalError) return v;
  if (typeof v !== "boolean") return new EvalError(`'not' needs a boolean, got ${typeName(v)}`, at);
  return !v;
}

/** A condition's outcome for the decision procedure. */
export type Truth = true | false | typeof UNKNOWN | EvalError;

/** Coerce a condition result: anything but a boolean, UNKNOWN or an error is an error. */
export function truth(v: Result, at: At): Truth {
  if (v === true || v === false || v === UNKNOWN || v instanceof EvalError) return v;
  return new EvalError(`a condition must be boolean, got ${typeName(v)}`, at);
}

function asRegex(r: unknown, at: At): RegexHandle | EvalError {
  if (isRegex(r)) return r;
  if (typeof r === "object" && r !== null && typeof (r as { regex?: unknown }).regex === "string") {
    const rx = r as { regex: string; flags?: string };
    try {
      return compileRegex(rx.regex, rx.flags ?? "");
    } catch (e) {
      return new EvalError(`invalid regex: ${e instanceof Error ? e.message : String(e)}`, at);
    }
  }
  return new EvalError(`'matches' needs a regex, got ${typeName(r as Result)}`, at);
}

function elements(v: unknown): readonly unknown[] | undefined {
  if (Array.isArray(v)) return v;
  if (isSet(v)) return [...v];
  return undefined;
}

function member(x: unknown, coll: readonly unknown[]): boolean {
  for (const c of coll) if (valueEquals(x, c)) return true;
  return false;
}

/** `has` for one element: a set-valued RHS (a provenance source) means "shares any member". */
function hasOne(coll: readonly unknown[] | ReadonlySet<unknown>, x: unknown): boolean {
  if (isSet(coll)) {
    // Sets (labels, provenance) answer membership themselves; AllSources contains everything.
    if (isSet(x)) {
      for (const s of x) if (coll.has(s as string)) return true;
      return false;
    }
    return coll.has(x as string);
  }
  const arr = coll as readonly unknown[];
  if (isSet(x)) {
    for (const s of x) if (member(s, arr)) return true;
    return false;
  }
  return member(x, arr);
}

/** Case-insensitive whole-word phrase search. */
export function mentions(text: string, phrase: string): boolean {
  const t = text.toLowerCase();
  const p = phrase.toLowerCase().trim().replace(/\s+/g, " ");
  if (p === "") return false;
  const norm = t.replace(/\s+/g, " ");
  let i = norm.indexOf(p);
  while (i >= 0) {
    const before = i === 0 ? "" : norm[i - 1]!;
    const after = norm[i + p.length] ?? "";
    if (!/[\p{L}\p{N}_]/u.test(before) && !/[\p{L}\p{N}_]/u.test(after)) return true;
    i = norm.indexOf(p, i + 1);
  }
  return false;
}

function stringOp(op: string, l: unknown, r: unknown, at: At): Result {
  if (typeof l !== "string" || typeof r !== "string") {
    return new EvalError(`'${op}' needs strings, got ${typeName(l as Result)} and ${typeName(r as Result)}`, at);
  }
  if (op === "contains") return l.includes(r);
  if (op === "startsWith") return l.startsWith(r);
  if (op === "endsWith") return l.endsWith(r);
  return mentions(l, r);
}

function compareScalar(op: string, l: unknown, r: unknown, at: At): Result {
  switch (op) {
    case "==":
      return valueEquals(l, r);
    case "!=":
      return !valueEquals(l, r);
  }
  if (l === null || r === null) return false;
  switch (op) {
    case "<":
    case "<=":
    case ">":
    case ">=": {
      if (typeof l !== "number" || typeof r !== "number") {
        return new EvalError(`cannot order ${typeName(l as Result)} and ${typeName(r as Result)}`, at);
      }
      return op === "<" ? l < r : op === "<=" ? l <= r : op === ">" ? l > r : l >= r;
    }
    case "in":
    case "not in": {
      const coll = elements(r);
      if (!coll) return new EvalError(`'${op}' needs a list on the right, got ${typeName(r as Result)}`, at);
      const left = Array.isArray(l) ? l : [l];
      const inside = left.every((x) => member(x, coll));
      return op === "in" ? inside : !inside;
    }
    case "matches": {
      if (typeof l !== "string") return new EvalError(`'matches' needs a string, got ${typeName(l as Result)}`, at);
      const re = asRegex(r, at);
      return re instanceof EvalError ? re : re.test(l);
    }
    case "contains":
    case "startsWith":
    case "endsWith":
    case "mentions":
      return stringOp(op, l, r, at);
    case "has":
    case "excludes":
    case "has any":
    case "has all": {
      const coll = isSet(l) ? l : elements(l);
      if (!coll) return new EvalError(`'${op}' needs a list or set on the left, got ${typeName(l as Result)}`, at);
      if (op === "has") return hasOne(coll, r);
      if (op === "excludes") return !hasOne(coll, r);
      const wanted = elements(r);
      if (!wanted) return new EvalError(`'${op}' needs a list on the right, got ${typeName(r as Result)}`, at);
      return op === "has any" ? wanted.some((w) => hasOne(coll, w)) : wanted.every((w) => hasOne(coll, w));
    }
  }
  return new EvalError(`unknown operator ${op}`, at);
}

/** A comparison, with an optional quantifier over a list left operand. */
export function compare(op: string, quant: "any" | "all" | null, l: Result, r: Result, at: At): Result {
  if (l instanceof EvalError) return l;
  if (r instanceof EvalError) return r;
  if (l === UNKNOWN || r === UNKNOWN) return UNKNOWN;
  if (quant === null) return compareScalar(op, l, r, at);
  if (l === null) return false;
  if (!Array.isArray(l)) return new EvalError(`'${quant}' needs a list, got ${typeName(l)}`, at);
  let acc: Result = quant === "all";
  for (const x of l as readonly unknown[]) {
    const v = compareScalar(op, x, r, at);
    acc = quant === "any" ? or3(acc, () => v, at) : and3(acc, () => v, at);
    if (acc === (quant === "any")) return acc;
  }
  return acc;
}

/** `is known | unknown | present | absent`. Never UNKNOWN for known/unknown; an error stays an error (fail closed). */
export function isTest(test: string, v: Result): Result {
  if (v instanceof EvalError) return v;
  if (test === "known") return v !== UNKNOWN;
  if (test === "unknown") return v === UNKNOWN;
  if (v === UNKNOWN) return v;
  return test === "present" ? v !== null && v !== undefined : v === null || v === undefined;
}

const URL_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * The domain of an e-mail address, or the host of a URL. An `@` makes the text an e-mail address only when what
 * follows it cannot be part of a URL's path, query or fragment: `https://evil.example/?to=a@corp.example` is on
 * evil.example, not corp.example.
 */
function domainOf(s: string): string {
  const t = s.trim();
  const at = t.lastIndexOf("@");
  const url = URL_SCHEME.test(t) || t.startsWith("//");
  if (at >= 0 && !url && !/[/?#\\]/.test(t.slice(at + 1))) return t.slice(at + 1).trim().toLowerCase();
  return hostOf(url && t.startsWith("//") ? `http:${t}` : t);
}

/** The host of a URL (or of `host[:port][/path]`), lower-cased; an IPv6 literal without its brackets. */
function hostOf(s: string): string {
  const t = s.trim();
  try {
    const u = new URL(URL_SCHEME.test(t) ? t : `http://${t}`);
    return u.hostname.toLowerCase().replace(/^\[(.*)\]$/, "$1");
  } catch {
    return t.toLowerCase();
  }
}

function mapStrings(v: unknown, f: (s: string) => string, fn: string, at: At): Result {
  if (v === null) return null;
  if (typeof v === "string") return f(v);
  if (Array.isArray(v)) {
    const out: string[] = [];
    for (const x of v as readonly unknown[]) {
      if (typeof x !== "string") return new EvalError(`${fn}() needs strings, got a list of ${typeName(x as Result)}`, at);
      out.push(f(x));
    }
    return out;
  }
  return new EvalError(`${fn}() needs a string, got ${typeName(v as Result)}`, at);
}

/** The builtins domain, host, lower, upper, len. */
export function callBuiltin(fn: string, args: readonly Result[], at: At): Result {
  const a = args[0];
  if (a === undefined) return new EvalError(`${fn}() needs an argument`, at);
  if (a instanceof EvalError || a === UNKNOWN) return a;
  switch (fn) {
    case "domain":
      return mapStrings(a, domainOf, fn, at);
    case "host":
      return mapStrings(a, hostOf, fn, at);
    case "lower":
      return mapStrings(a, (s) => s.toLowerCase(), fn, at);
    case "upper":
      return mapStrings(a, (s) => s.toUpperCase(), fn, at);
    case "len":
      if (a === null) return null;
      if (typeof a === "string") return [...a].length;
      if (Array.isArray(a)) return a.length;
      if (isSet(a)) return a.size;
      return new EvalError(`len() needs a string or list, got ${typeName(a)}`, at);
  }
  return new EvalError(`unknown builtin ${fn}`, at);
}

/** Follow a path into a JSON value; a missing step gives null (an absent optional argument). */
export function getPath(v: unknown, path: readonly (string | number)[]): unknown {
  let cur = v;
  for (let i = 0; i < path.length; i++) {
    const k = path[i]!;
    if (cur === null || cur === undefined) return null;
    if (typeof k === "number") cur = Array.isArray(cur) ? cur[k] : undefined;
    else if (typeof cur === "object" && !Array.isArray(cur) && Object.prototype.hasOwnProperty.call(cur, k)) {
      cur = (cur as Record<string, unknown>)[k];
    } else cur = undefined;
  }
  return cur === undefined ? null : cur;
}

/** Combine the two sides of AND once both are evaluated (used by generated code): and3 without a closure. */
export function and3v(l: Result, r: Result, at: At = NO_AT): Result {
  if (l === false || r === false) return false;
  if (l === true && r === true) return true;
  return and3(l, () => r, at);
}

/** Combine the two sides of OR once both are evaluated (used by generated code): or3 without a closure. */
export function or3v(l: Result, r: Result, at: At = NO_AT): Result {
  if (l === true || r === true) return true;
  if (l === false && r === false) return false;
  return or3(l, () => r, at);
}

/** A list of evaluated items: UNKNOWN or an error in any item is the list's value. */
export function listOf(items: readonly Result[]): Result {
  for (const x of items) if (x === UNKNOWN || x instanceof EvalError) return x;
  return items as readonly unknown[] as Result;
}

/** A context field's value followed by a path; UNKNOWN stays UNKNOWN. */
export function ctxPath(v: unknown, path: readonly (string | number)[]): Result {
  if (v === UNKNOWN) return UNKNOWN;
  return getPath(v, path) as Result;
}

export { compileRegex } from "./regex.js";
export { UNKNOWN, EvalError } from "./values.js";
