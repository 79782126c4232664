/**
 * "Did you mean" suggestions: the closest candidate by optimal-string-alignment distance (Damerau–Levenshtein
 * with adjacent transpositions), offered only when it is close enough to be a plausible typo.
 */

/** Edit distance with insertions, deletions, substitutions and adjacent transpositions, each of cost 1. */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  if (m === 0) return n;
  if (n === 0) return m;
  let prev2: number[] = new Array<number>(n + 1).fill(0);
  let prev: number[] = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const cur: number[] = new Array<number>(n + 1).fill(0);
    cur[0] = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, prev2[j - 2]! + 1);
      cur[j] = d;
    }
    prev2 = prev;
    prev = cur;
  }
  return prev[n]!;
}

/**
 * The closest candidate to `name`, or undefined when none is close: the distance (ignoring case) must be at most
 * a third of the longer name's length (at least 1). Ties go to the alphabetically first candidate.
 */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  const lower = name.toLowerCase();
  for (const c of candidates) {
    if (c === name) continue;
    const d = editDistance(lower, c.toLowerCase());
    const limit = Math.max(1, Math.floor(Math.max(name.length, c.length) / 3));
    if (d > limit) continue;
    if (d < bestDistance || (d === bestDistance && best !== undefined && c < best)) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/** `; did you mean 'x'?` or the empty string: the `{suggestion}` hole of catalog messages. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const c = closest(name, candidates);
  return c === undefined ? "" : `; did you mean '${c}'?`;
}

/** A short human list: `a, b, c` or `a, b, c, ... (12 in all)`. */
export function listNames(names: readonly string[], max = 8): string {
  if (names.length === 0) return "(none)";
  if (names.length <= max) return names.join(", ");
  return `${names.slice(0, max).join(", ")}, ... (${names.length} in all)`;
}
