/**
 * Decoding of literal token text: strings (JSON escapes), numbers and durations.
 */

export interface DecodedString {
  readonly value: string;
  /** Offsets are relative to the token start (the opening quote is offset 0). */
  readonly badEscapes: readonly { readonly offset: number; readonly text: string }[];
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  "\\": "\\",
  "/": "/",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
};

/** Decode a double-quoted string token (with its quotes). */
export function decodeString(image: string): DecodedString {
  const body = image.endsWith('"') && image.length >= 2 ? image.slice(1, -1) : image.slice(1);
  let out = "";
  const badEscapes: { offset: number; text: string }[] = [];
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch !== "\\") {
      out += ch;
      continue;
    }
    const next = body[i + 1] ?? "";
    const simple = SIMPLE_ESCAPES[next];
    if (simple !== undefined) {
      out += simple;
      i++;
    } else if (next === "u" && /^[0-9a-fA-F]{4}$/.test(body.slice(i + 2, i + 6))) {
      out += String.fromCharCode(parseInt(body.slice(i + 2, i + 6), 16));
      i += 5;
    } else {
      const text = next === "u" ? body.slice(i, i + 6) : `\\${next}`;
      badEscapes.push({ offset: i + 1, text });
      i += Math.max(1, text.length - 1);
    }
  }
  return { value: out, badEscapes };
}

/** Parse a number token; returns the reason as a string when it is not representable. */
export function parseNumber(image: string): number | string {
  const v = Number(image);
  if (!Number.isFinite(v)) return "the number is too large";
  if (/^-?\d+$/.test(image) && !Number.isSafeInteger(v)) return "integers must be at most 2^53 - 1 in magnitude";
  return v;
}

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Maximum duration: 366 days. Longer windows or timeouts are mistakes. */
export const MAX_DURATION_MS = 366 * 86_400_000;

/** Parse a duration token (`10m`) into milliseconds; returns the reason as a string when invalid. */
export function parseDuration(image: string): number | string {
  const m = /^(\d+)(ms|s|m|h|d)$/.exec(image);
  if (!m) return "expected digits followed by ms, s, m, h or d";
  const ms = Number(m[1]) * (UNIT_MS[m[2]!] ?? NaN);
  if (!Number.isFinite(ms) || ms > MAX_DURATION_MS) return "durations are at most 366 days";
  if (ms === 0) return "a duration must be positive";
  return ms;
}
