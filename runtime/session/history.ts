/**
 * Prior actions, indexed for the history predicates: per-tool timestamp lists for `seen` (the last one) and `count`
 * (where the window starts, found from where the last count's window started), and incremental trackers for
 * `sequence` (built on first use, then updated in O(steps) per action), so a decision never rescans the history.
 */

/** The first index in xs[lo, hi) whose value is not below x (xs sorted ascending). */
function lowerBound(xs: readonly number[], x: number, lo: number, hi: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * For steps S0..Sn, best[k] is the latest possible start time of an in-order occurrence of S0..Sk so far, or null
 * while there is none. The sequence occurred at or after `since` iff best[n] is not null and best[n] >= since.
 * (Null, not -Infinity: with no window `since` is -Infinity, and "no occurrence" must not compare as one.)
 */
class SequenceTracker {
  readonly best: (number | null)[];
  constructor(readonly steps: readonly (readonly string[])[]) {
    this.best = steps.map(() => null);
  }
  push(tool: string, time: number): void {
    // Highest step first, so that one action never counts as two consecutive steps.
    for (let k = this.steps.length - 1; k >= 0; k--) {
      if (!this.steps[k]!.includes(tool)) continue;
      const start = k === 0 ? time : this.best[k - 1]!;
      if (start === null) continue;
      const cur = this.best[k]!;
      if (cur === null || start > cur) this.best[k] = start;
    }
  }
  since(t: number): boolean {
    const last = this.best[this.best.length - 1];
    return last !== undefined && last !== null && last >= t;
  }
}

/** How far a count's window start is looked for step by step before halving the rest. */
const SCAN = 8;

/**
 * The times of one tool's actions (ascending), and a cursor: the last window start asked about and the index of
 * the first time at or after it. Every time before the cursor is before that start, and stays so as times are
 * appended (they never go backwards); so a window that starts at or after the last one is found by looking on from
 * the cursor. A session's clock only moves forward, so a policy's `count(T within W)` costs O(1) amortised; a
 * window that starts earlier (another window length) is found by binary search.
 */
class Times {
  readonly ts: number[] = [];
  /** The latest time (what `seen` reads); NaN, which no comparison holds for, before the first. */
  last = NaN;
  #since = -Infinity;
  #at = 0;

  add(t: number): void {
    this.ts.push(t);
    this.last = t;
  }

  /** How many times are at or after `since`. */
  countSince(since: number): number {
    const ts = this.ts;
    let i: number;
    if (since >= this.#since) {
      i = this.#at;
      const stop = Math.min(ts.length, i + SCAN);
      while (i < stop && ts[i]! < since) i++;
      if (i === stop && i < ts.length) i = lowerBound(ts, since, i, ts.length);
    } else {
      // Not only below the cursor: times appended since may lie between this start and the last one.
      i = lowerBound(ts, since, 0, ts.length);
    }
    this.#since = since;
    this.#at = i;
    return ts.length - i;
  }
}

/** The history of one session. */
export class History {
  readonly #times = new Map<string, Times>();
  readonly #log: { tool: string; time: number }[] = [];
  readonly #trackers = new Map<string, SequenceTracker>();
  /** The same trackers by the identity of the steps array (policies pass the same array every time). */
  readonly #byArray = new WeakMap<object, SequenceTracker>();

  get length(): number {
    return this.#log.length;
  }

  /** Record an action (times must not go backwards; a late timestamp is clamped to the latest seen). */
  push(tool: string, time: number): void {
    const last = this.#log[this.#log.length - 1];
    const t = last && time < last.time ? last.time : time;
    this.#log.push({ tool, time: t });
    let ts = this.#times.get(tool);
    if (!ts) this.#times.set(tool, (ts = new Times()));
    ts.add(t);
    for (const tr of this.#trackers.values()) tr.push(tool, t);
  }

  // Indexed loops, not for-of: in a decision's steady state V8 kept the array iterator and its result objects of
  // these loops (about 200 bytes a decision of the 1,000-rule benchmark policy, measured with its heap sampler).
  seen(tools: readonly string[], since: number): boolean {
    for (let i = 0; i < tools.length; i++) {
      const times = this.#times.get(tools[i]!);
      if (times !== undefined && times.last >= since) return true;
    }
    return false;
  }

  count(tools: readonly string[], since: number): number {
    let n = 0;
    for (let i = 0; i < tools.length; i++) {
      const ts = this.#times.get(tools[i]!);
      if (ts) n += ts.countSince(since);
    }
    return n;
  }

  sequence(steps: readonly (readonly string[])[], since: number): boolean {
    let tr = this.#byArray.get(steps);
    if (!tr) {
      const key = JSON.stringify(steps);
      tr = this.#trackers.get(key);
      if (!tr) {
        // A copy: the tracker must not change if the caller later changes its array.
        tr = new SequenceTracker(steps.map((s) => [...s]));
        for (const a of this.#log) tr.push(a.tool, a.time);
        this.#trackers.set(key, tr);
      }
      // Only frozen arrays (hoisted constants, IR) are remembered by identity: their content cannot change.
      if (Object.isFrozen(steps) && steps.every((s) => Object.isFrozen(s))) this.#byArray.set(steps, tr);
    }
    return tr.since(since);
  }
}
