/**
 * Canonical JSON (RFC 8785, JCS): object keys sorted by UTF-16 code units, no whitespace, numbers in ECMAScript
 * shortest form, strings escaped as JSON.stringify does. Used for hashes (context log, receipts) so that the same
 * data always hashes the same.
 *
 * It runs for every decision (the context log entry) and every receipt, so it builds its text in one pass:
 * no intermediate arrays, keys sorted in place (insertion sort; most objects have a handful of keys) and only when
 * they are out of order, the `{"key":` and `,"key":` of common keys kept, cycles found on a reused stack of the
 * objects being serialised.
 */

/** Serialise a JSON value canonically. Throws on values JSON cannot represent (NaN, Infinity, functions, cycles). */
export function canonicalJson(value: unknown): string {
  return ser(value, []);
}

/** Sort keys by UTF-16 code units, in place. */
function sortKeys(keys: string[]): void {
  const n = keys.length;
  if (n > 32) {
    keys.sort(); // the default order compares UTF-16 code units
    return;
  }
  for (let i = 1; i < n; i++) {
    const k = keys[i]!;
    if (keys[i - 1]! <= k) continue;
    let j = i - 1;
    while (j >= 0 && keys[j]! > k) {
      keys[j + 1] = keys[j]!;
      j--;
    }
    keys[j + 1] = k;
  }
}

/** What JSON.stringify escapes in a string: `"`, `\\`, control characters and (lone) surrogates. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what must be found
const ESCAPED = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * `{"key":` and `,"key":` (what opens an object with a member, and what adds one to it) for the keys seen most (a
 * receipt or a log entry repeats the same few dozen), built once each: a member then costs one concatenation less
 * (a receipt's text allocates a fifth less).
 */
const names = new Map<string, readonly [string, string]>();
const MAX_NAMES = 2048;

function memberNames(key: string): readonly [string, string] {
  let pair = names.get(key);
  if (pair === undefined) {
    const name = `${JSON.stringify(key)}:`;
    pair = [`{${name}`, `,${name}`];
    if (names.size < MAX_NAMES && key.length <= 64) names.set(key, pair);
  }
  return pair;
}

function ser(v: unknown, stack: object[]): string {
  if (v === null) return "null";
  switch (typeof v) {
    case "boolean":
      return v ? "true" : "false";
    case "number":
      if (!Number.isFinite(v)) throw new TypeError("canonical JSON cannot represent a non-finite number");
      return Object.is(v, -0) ? "0" : String(v);
    case "string":
      return ESCAPED.test(v) ? JSON.stringify(v) : `"${v}"`;
    case "object": {
      if (stack.includes(v)) throw new TypeError("canonical JSON cannot represent a cycle");
      stack.push(v);
      let out: string;
      if (Array.isArray(v)) {
        out = "[";
        for (let i = 0; i < v.length; i++) {
          const x: unknown = v[i];
          out += (i > 0 ? "," : "") + (x === undefined ? "null" : ser(x, stack));
        }
        out += "]";
      } else {
        const obj = v as Record<string, unknown>;
        const keys = Object.keys(obj);
        sortKeys(keys);
        out = "";
        for (const k of keys) {
          const x = obj[k];
          if (x === undefined) continue;
          out += memberNames(k)[out === "" ? 0 : 1]! + ser(x, stack);
        }
        out = out === "" ? "{}" : `${out}}`;
      }
      stack.pop();
      return out;
    }
    default:
      throw new TypeError(`canonical JSON cannot represent a ${typeof v}`);
  }
}
