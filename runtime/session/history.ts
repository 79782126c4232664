/**
 * Prior actions, indexed for the history predicates: per-tool timestamp lists for `seen` and `count` (binary
 * search over a window), and incremental trackers for `sequence` (built on first use, then updated in O(steps)
 * per action), so a decision never rescans the whole history.
 */

function lowerBound(xs: readonly number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
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

/** The history of one session. */
export class History {
  readonly #times = new Map<string, number[]>();
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
    if (!ts) this.#times.set(tool, (ts = []));
    ts.push(t);
    for (const tr of this.#trackers.values()) tr.push(tool, t);
  }

  seen(tools: readonly string[], since: number): boolean {
    for (const tool of tools) {
      const ts = this.#times.get(tool);
      if (ts && ts.length > 0 && ts[ts.length - 1]! >= since) return true;
    }
    return false;
  }

  count(tools: readonly string[], since: number): number {
    let n = 0;
    for (const tool of tools) {
      const ts = this.#times.get(tool);
      if (ts) n += ts.length - lowerBound(ts, since);
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
