/**
 * The length of a value's JSON text, as `JSON.stringify(v).length` gives it, without building the text: the
 * decision budget charges scanning operations by the input's size, and a decision should not pay for serialising
 * its arguments only to measure them. Plain JSON data (what canonical actions hold) is measured directly; anything
 * else (a toJSON method, a class instance, undefined, a function, a bigint, a cycle, deep nesting) is left to
 * JSON.stringify itself, which then also decides whether the value is JSON at all.
 */

/** Characters JSON.stringify escapes (quote, backslash, controls) or may escape (lone surrogates). */
// eslint-disable-next-line no-control-regex -- the control characters are exactly what JSON escapes
const ESCAPED = /["\\\u0000-\u001f\ud800-\udfff]/;
const MAX_DEPTH = 64;
const NOT_PLAIN = -1;

function stringLength(s: string, exact: boolean): number {
  // Unless exact: at most six characters per UTF-16 unit (\u001f), plus the quotes.
  if (!exact) return 6 * s.length + 2;
  return ESCAPED.test(s) ? JSON.stringify(s).length : s.length + 2;
}

/**
 * The length of a number's JSON text (`null` for NaN and infinities). An integer below 10^21 is written in plain
 * decimal digits, counted here without converting it to a string (the usual numeric argument is an integer, and a
 * conversion allocates a string whenever V8's small number-to-string cache misses); other numbers are converted.
 */
function numberLength(v: number): number {
  if (!Number.isFinite(v)) return 4;
  const a = v < 0 ? -v : v;
  if (!Number.isInteger(a) || a >= 1e21) return String(v).length;
  // Powers of ten up to 10^21 are exact doubles, and `a` is an integer: every comparison is exact.
  let n = v < 0 ? 2 : 1;
  for (let p = 10; a >= p; p *= 10) n++;
  return n;
}

function measure(v: unknown, depth: number, exact: boolean): number {
  switch (typeof v) {
    case "string":
      return stringLength(v, exact);
    case "number":
      return numberLength(v);
    case "boolean":
      return v ? 4 : 5;
    case "object": {
      if (v === null) return 4;
      if (depth > MAX_DEPTH) return NOT_PLAIN;
      if (Array.isArray(v)) {
        let n = 1 + Math.max(v.length, 1);
        for (let i = 0; i < v.length; i++) {
          const m = measure(v[i], depth + 1, exact);
          if (m < 0) return NOT_PLAIN;
          n += m;
        }
        return n;
      }
      const proto = Object.getPrototypeOf(v) as unknown;
      // JSON.stringify calls a toJSON method wherever it is found (own or inherited).
      if ((proto !== Object.prototype && proto !== null) || typeof (v as { toJSON?: unknown }).toJSON === "function") {
        return NOT_PLAIN;
      }
      let n = 1;
      let keys = 0;
      for (const k in v) {
        if (!Object.prototype.hasOwnProperty.call(v, k)) continue;
        const x = (v as Record<string, unknown>)[k];
        // Strings and numbers (most members) without a recursive call.
        const m =
          typeof x === "string" ? stringLength(x, exact) : typeof x === "number" ? numberLength(x) : measure(x, depth + 1, exact);
        if (m < 0) return NOT_PLAIN;
        n += stringLength(k, exact) + 1 + m;
        keys++;
      }
      return n + Math.max(keys, 1);
    }
    default:
      return NOT_PLAIN;
  }
}

/** `JSON.stringify(v).length`; throws where JSON.stringify throws (cycles, bigints). */
export function jsonLength(v: unknown): number {
  return length(v, true);
}

/**
 * At least `JSON.stringify(v).length`, cheaper to find (strings are not scanned for characters to escape); throws
 * where JSON.stringify throws. Enough to know that a decision cannot exceed its budget.
 */
export function jsonLengthBound(v: unknown): number {
  return length(v, false);
}

function length(v: unknown, exact: boolean): number {
  const n = measure(v, 0, exact);
  if (n >= 0) return n;
  const text = JSON.stringify(v) as string | undefined;
  if (text === undefined) throw new TypeError("the value has no JSON form");
  return text.length;
}
