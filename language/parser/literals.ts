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
  if (!body.includes("\\")) return { value: body, badEscapes: [] }; // no escapes: the text is the value
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

/**
 * Why an address for `forbid net.connect to ...` is malformed, or undefined if it is fine: an IPv4 or IPv6
 * address with an optional prefix length (`203.0.113.0/24`, `2001:db8::/32`).
 */
export function addressProblem(text: string): string | undefined {
  const slash = text.indexOf("/");
  const addr = slash < 0 ? text : text.slice(0, slash);
  const prefix = slash < 0 ? undefined : text.slice(slash + 1);
  const v6 = addr.includes(":");
  if (v6 ? !isIPv6(addr) : !isIPv4(addr)) return v6 ? "not an IPv6 address" : "an IPv4 address is four numbers from 0 to 255";
  const max = v6 ? 128 : 32;
  if (prefix !== undefined && (!/^\d{1,3}$/.test(prefix) || Number(prefix) > max)) {
    return `the prefix length is a number from 0 to ${max}`;
  }
  return undefined;
}

function isIPv4(s: string): boolean {
  const parts = s.split(".");
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

function isIPv6(s: string): boolean {
  if (!/^[0-9A-Fa-f:.]+$/.test(s)) return false;
  try {
    // The WHATWG URL parser implements the IPv6 address grammar (including `::` and embedded IPv4).
    new URL(`http://[${s}]/`);
    return true;
  } catch {
    return false;
  }
}
