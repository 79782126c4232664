/**
 * Injection-safe JavaScript building, after ajv's codegen: generated code can only be made with the `js` tag.
 * Interpolated JsCode/JsName values are inserted verbatim; strings always become JSON string literals (with
 * U+2028/U+2029 escaped); numbers must be finite; booleans, null and bigints become literals; anything else is
 * rejected. So no user-controlled text can ever become code.
 */

const RESERVED = new Set(
  (
    "break case catch class const continue debugger default delete do else enum export extends false finally for " +
    "function if import in instanceof new null return super switch this throw true try typeof var void while with " +
    "yield let static implements interface package private protected public await arguments eval undefined NaN Infinity"
  ).split(" "),
);

/** A piece of generated code. */
export class JsCode {
  /** @internal use the `js` tag */
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** Passed by Scope only (not exported), for names already known to be valid. */
const CHECKED = Symbol("checked");

/** A validated identifier. */
export class JsName extends JsCode {
  constructor(name: string, trust?: symbol) {
    if (trust !== CHECKED && (!/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) || RESERVED.has(name))) {
      throw new Error(`invalid JS identifier: ${name}`);
    }
    super(name);
  }
}

/** A string as a JS string literal, safe inside any JS context. */
export function safeString(s: string): string {
  const json = JSON.stringify(s);
  return LINE_SEPARATORS.test(json) ? json.replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029") : json;
}

const LINE_SEPARATORS = /[\u2028\u2029]/;

export type Interpolable = JsCode | string | number | boolean | null | bigint | readonly Interpolable[];

function interpolate(v: Interpolable): string {
  if (v instanceof JsCode) return v.text;
  if (typeof v === "string") return safeString(v);
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new Error(`cannot interpolate non-finite number ${v}`);
    return Object.is(v, -0) ? "-0" : String(v);
  }
  if (typeof v === "boolean" || v === null) return String(v);
  if (typeof v === "bigint") return `${v}n`;
  if (Array.isArray(v)) return `[${v.map(interpolate).join(", ")}]`;
  throw new Error(`cannot interpolate a ${typeof v}`);
}

/** The only way to make code. */
export function js(strings: TemplateStringsArray, ...values: Interpolable[]): JsCode {
  let out = strings[0] ?? "";
  for (let i = 0; i < values.length; i++) out += interpolate(values[i]!) + (strings[i + 1] ?? "");
  return new JsCode(out);
}

/** Join code pieces with a separator. */
export function joinCode(parts: readonly JsCode[], sep: string): JsCode {
  return new JsCode(parts.map((p) => p.text).join(sep));
}

/** A JSON value as a JS expression (objects and arrays built from safe parts). */
export function jsonLiteral(v: unknown): JsCode {
  if (v === null || typeof v === "string" || typeof v === "number" || typeof v === "boolean") return js`${v}`;
  if (Array.isArray(v)) return js`[${joinCode(v.map(jsonLiteral), ", ")}]`;
  if (typeof v === "object") {
    // A literal `"__proto__": x` would set the prototype instead of making a property; a computed key does not.
    const parts = Object.entries(v as Record<string, unknown>).map(([k, x]) =>
      k === "__proto__" ? js`[${k}]: ${jsonLiteral(x)}` : js`${k}: ${jsonLiteral(x)}`,
    );
    return js`{${joinCode(parts, ", ")}}`;
  }
  throw new Error(`not JSON: ${typeof v}`);
}

/** Comment text made safe: `*\/` cannot close the comment, and no line terminators. */
export function safeComment(s: string): JsCode {
  if (!COMMENT_BREAKERS.test(s)) return new JsCode(s);
  return new JsCode(s.replace(/\*\//g, "* /").replace(/[\r\n\u2028\u2029]/g, " "));
}

const COMMENT_BREAKERS = /\*\/|[\r\n\u2028\u2029]/;

/** Fresh, unique names with a prefix (`K0`, `K1`, ...). */
export class Scope {
  readonly #counters = new Map<string, number>();
  name(prefix: string): JsName {
    const n = this.#counters.get(prefix);
    if (n === undefined) {
      // The first name of a prefix is checked as any name is; a prefix that makes one identifier followed by
      // digits makes identifiers with any other digits (and no reserved word ends in a digit).
      const first = new JsName(`${prefix}0`); // throws for a bad prefix, which then stays unregistered
      this.#counters.set(prefix, 1);
      return first;
    }
    this.#counters.set(prefix, n + 1);
    return new JsName(`${prefix}${n}`, CHECKED);
  }
}
