/**
 * Values as `aarm test` and `aarm explain` print them: JSON, with the runtime's special values named (unknown,
 * errors, sets of labels or provenance sources, regexes), and long texts cut to keep one value on one line.
 */
import { EvalError, isRegex, UNKNOWN } from "../runtime/eval/values.js";

/** Longest text shown for one value. */
export const MAX_SHOWN = 160;

function cut(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

/** One line for a value. */
export function showValue(v: unknown, max: number = MAX_SHOWN): string {
  if (v === UNKNOWN) return "unknown";
  if (v === undefined) return "absent";
  if (v instanceof EvalError) return `error (${v.message})`;
  if (v instanceof Set) return cut(`{${[...(v as Set<unknown>)].map(String).sort().join(", ")}}`, max);
  if (isRegex(v)) return "regex";
  let text: string;
  try {
    text =
      JSON.stringify(v, (_k, x: unknown) => (x instanceof Set ? [...(x as Set<unknown>)] : x)) ?? String(v);
  } catch {
    text = String(v);
  }
  return cut(text.replace(/\s+/g, " "), max);
}
