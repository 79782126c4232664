/**
 * Injection-safe C building, the C twin of targets/js/code.ts: generated C can only be made with the `c` tag.
 * Interpolated CCode/CName values are inserted verbatim; strings become C string literals escaped byte by byte
 * (UTF-8, three-digit octal escapes for every byte outside printable ASCII, and for `"`, `\` and `?` so no
 * trigraph can form); numbers must be safe integers and carry an explicit type (`cInt`). So no text from a
 * policy can ever become C code.
 */

const C_KEYWORDS = new Set(
  (
    "auto break case char const continue default do double else enum extern float for goto if inline int long " +
    "register restrict return short signed sizeof static struct switch typedef union unsigned void volatile while " +
    "_Bool _Complex _Imaginary _Alignas _Alignof _Atomic _Generic _Noreturn _Static_assert _Thread_local"
  ).split(" "),
);

/** The prefix of every generated identifier, so none can collide with a template's own symbols. */
export const C_PREFIX = "pl_";

/** A piece of generated C. */
export class CCode {
  /** @internal use the `c` tag */
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** A validated, prefixed identifier: `cName("rules")` is `pl_rules`. */
export class CName extends CCode {
  constructor(name: string) {
    const full = `${C_PREFIX}${name}`;
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(full) || C_KEYWORDS.has(full) || full.length > 63) {
      throw new Error(`invalid C identifier: ${JSON.stringify(name)}`);
    }
    super(full);
  }
}

/** A C identifier with the generated-name prefix. */
export function cName(name: string): CName {
  return new CName(name);
}

/** A C string literal holding the UTF-8 bytes of `s` (or the given bytes), every unsafe byte octal-escaped. */
export function cString(s: string | Uint8Array): CCode {
  const bytes = typeof s === "string" ? new TextEncoder().encode(s) : s;
  let out = '"';
  for (const b of bytes) {
    const safe = b >= 0x20 && b < 0x7f && b !== 0x22 && b !== 0x5c && b !== 0x3f;
    out += safe ? String.fromCharCode(b) : `\\${b.toString(8).padStart(3, "0")}`;
  }
  return new CCode(`${out}"`);
}

const INT_RANGES = {
  __u8: [0, 0xff, "U"],
  __u16: [0, 0xffff, "U"],
  __u32: [0, 0xffffffff, "U"],
  __s32: [-0x80000000, 0x7fffffff, ""],
  __u64: [0, Number.MAX_SAFE_INTEGER, "ULL"],
} as const;

/** An integer constant of a C type, range-checked, with its suffix: `cInt(7, "__u32")` is `7U`. */
export function cInt(n: number, type: keyof typeof INT_RANGES): CCode {
  const [min, max, suffix] = INT_RANGES[type];
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new Error(`${n} is not a ${type}`);
  return new CCode(n < 0 ? `(${n})` : `${n}${suffix}`);
}

/** A block comment built from any text: `*\/` cannot close it early, and it stays on one line. */
export function cComment(s: string): CCode {
  const clean = s
    .replace(/[\r\n\u2028\u2029]/g, " ")
    .replace(/\*\//g, "* /")
    .replace(/\/\*/g, "/ *");
  return new CCode(`/* ${clean} */`);
}

/** What may be interpolated into the `c` tag. */
export type CInterpolable = CCode | readonly CCode[];

/** The only way to make C. Raw strings and numbers are refused: use cString, cInt, cName or cComment. */
export function c(strings: TemplateStringsArray, ...values: CInterpolable[]): CCode {
  let out = strings[0] ?? "";
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v instanceof CCode) out += v.text;
    else if (Array.isArray(v) && v.every((x) => x instanceof CCode))
      out += v.map((x: CCode) => x.text).join("\n");
    else throw new Error(`cannot interpolate a ${typeof v} into C: use cString, cInt, cName or cComment`);
    out += strings[i + 1] ?? "";
  }
  return new CCode(out);
}

/** Join pieces of C with line breaks. */
export function cLines(parts: readonly CCode[]): CCode {
  return new CCode(parts.map((p) => p.text).join("\n"));
}
