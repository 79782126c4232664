/**
 * Canonical JSON (RFC 8785, JCS): object keys sorted by UTF-16 code units, no whitespace, numbers in ECMAScript
 * shortest form, strings escaped as JSON.stringify does. Used for hashes (context log, receipts) so that the same
 * data always hashes the same.
 */

/** Serialise a JSON value canonically. Throws on values JSON cannot represent (NaN, Infinity, functions, cycles). */
export function canonicalJson(value: unknown): string {
  return ser(value, new Set());
}

function ser(v: unknown, stack: Set<object>): string {
  if (v === null) return "null";
  switch (typeof v) {
    case "boolean":
      return v ? "true" : "false";
    case "number":
      if (!Number.isFinite(v)) throw new TypeError("canonical JSON cannot represent a non-finite number");
      return Object.is(v, -0) ? "0" : String(v);
    case "string":
      return JSON.stringify(v);
    case "object": {
      if (stack.has(v)) throw new TypeError("canonical JSON cannot represent a cycle");
      stack.add(v);
      let out: string;
      if (Array.isArray(v)) {
        out = `[${v.map((x) => (x === undefined ? "null" : ser(x, stack))).join(",")}]`;
      } else {
        const obj = v as Record<string, unknown>;
        const keys = Object.keys(obj)
          .filter((k) => obj[k] !== undefined)
          .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        out = `{${keys.map((k) => `${JSON.stringify(k)}:${ser(obj[k], stack)}`).join(",")}}`;
      }
      stack.delete(v);
      return out;
    }
    default:
      throw new TypeError(`canonical JSON cannot represent a ${typeof v}`);
  }
}
