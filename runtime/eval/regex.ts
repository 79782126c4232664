/**
 * Regexes with RE2 semantics (re2js): matching is linear in the input, so `(a+)+$` against 100 KB finishes in
 * milliseconds. Compiled patterns are cached by (pattern, flags).
 */
import { RE2JS } from "re2js";
import type { RegexHandle } from "./values.js";

const cache = new Map<string, RegexHandle>();
const MAX_CACHE = 4096;

/** Compile (or fetch from cache) a regex. Throws on an invalid pattern (the checker rejects those earlier). */
export function compileRegex(pattern: string, flags: string): RegexHandle {
  const key = `${flags}/${pattern}`;
  const hit = cache.get(key);
  if (hit) return hit;
  let f = 0;
  if (flags.includes("i")) f |= RE2JS.CASE_INSENSITIVE;
  if (flags.includes("m")) f |= RE2JS.MULTILINE;
  if (flags.includes("s")) f |= RE2JS.DOTALL;
  const re = RE2JS.compile(pattern, f);
  const handle: RegexHandle = { kind: "regex", test: (s: string) => re.matcher(s).find() };
  if (cache.size >= MAX_CACHE) cache.clear();
  cache.set(key, handle);
  return handle;
}
