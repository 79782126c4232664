/**
 * Regex literals (AARM2301–2304): RE2 syntax, checked by compiling with re2js so that what compiles here is
 * exactly what the runtime can match in linear time. Backreferences and lookaround get their own messages
 * (they are the common ECMAScript/PCRE habits), pointed at the offending characters.
 */
import { RE2JS } from "re2js";
import type { RegexLit, Span } from "../../language/index.js";
import { names } from "../../language/index.js";
import type { Reporter } from "./context.js";

const FLAG_BITS: Readonly<Record<string, number>> = {
  i: RE2JS.CASE_INSENSITIVE,
  m: RE2JS.MULTILINE,
  s: RE2JS.DOTALL,
};

/** The re2js flag bits for the policy flags (which must be valid). */
export function re2Flags(flags: string): number {
  let bits = 0;
  for (const f of flags) bits |= FLAG_BITS[f] ?? 0;
  return bits;
}

type Finding = { kind: "backreference" | "lookahead" | "lookbehind"; start: number; end: number };

/** Scan for the constructs RE2 lacks, outside character classes. Offsets are into the pattern. */
export function findUnsupported(pattern: string): Finding | undefined {
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "\\") {
      const n = pattern[i + 1] ?? "";
      if (!inClass && /[1-9]/.test(n)) {
        let j = i + 2;
        while (j < pattern.length && /[0-9]/.test(pattern[j]!)) j++;
        return { kind: "backreference", start: i, end: j };
      }
      if (!inClass && n === "k" && pattern[i + 2] === "<") {
        const close = pattern.indexOf(">", i);
        return { kind: "backreference", start: i, end: close < 0 ? i + 2 : close + 1 };
      }
      i++;
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
      continue;
    }
    if (c === "[") {
      inClass = true;
      if (pattern[i + 1] === "^") i++;
      if (pattern[i + 1] === "]") i++; // a leading ] is literal
      continue;
    }
    if (c === "(" && pattern[i + 1] === "?") {
      const rest = pattern.slice(i + 2, i + 4);
      if (rest.startsWith("=") || rest.startsWith("!")) return { kind: "lookahead", start: i, end: i + 3 };
      if (rest === "<=" || rest === "<!") return { kind: "lookbehind", start: i, end: i + 4 };
    }
  }
  return undefined;
}

/** Check a regex literal. Returns true when it is valid. */
export function checkRegex(r: Reporter, lit: RegexLit): boolean {
  const base = lit.span.start + 1;
  const at = (start: number, end: number): Span => ({ start: base + start, end: base + end });
  let ok = true;
  const flagBase = lit.span.end - lit.flags.length;
  const seen = new Set<string>();
  for (let i = 0; i < lit.flags.length; i++) {
    const f = lit.flags[i]!;
    const sp = { start: flagBase + i, end: flagBase + i + 1 };
    if (!(f in FLAG_BITS)) {
      const reason =
        f === "g" || f === "y"
          ? ": a match is a yes/no test, so global and sticky matching mean nothing"
          : "";
      r.add(names.invalidRegexFlag(r.sourceId, sp, { flag: f, reason }));
      ok = false;
    } else if (seen.has(f)) {
      r.add(names.invalidRegexFlag(r.sourceId, sp, { flag: f, reason: ": it is given twice" }));
      ok = false;
    }
    seen.add(f);
  }
  const bad = findUnsupported(lit.pattern);
  if (bad) {
    const text = lit.pattern.slice(bad.start, bad.end);
    if (bad.kind === "backreference")
      r.add(names.regexBackreference(r.sourceId, at(bad.start, bad.end), { text }));
    else r.add(names.regexLookaround(r.sourceId, at(bad.start, bad.end), { kind: bad.kind, text }));
    return false;
  }
  try {
    RE2JS.compile(lit.pattern, ok ? re2Flags(lit.flags) : 0);
  } catch (e) {
    const err = e as { error?: unknown; input?: unknown; message?: unknown };
    const reason = typeof err.error === "string" ? err.error : String(err.message);
    const input = typeof err.input === "string" ? err.input : "";
    const idx = input === "" ? -1 : lit.pattern.indexOf(input);
    const span = idx >= 0 ? at(idx, idx + input.length) : lit.span;
    const shown = input === "" ? reason : `${reason}: '${input}'`;
    r.add(names.invalidRegex(r.sourceId, span, { reason: shown }));
    return false;
  }
  return ok;
}
