/**
 * Time for the enforcement layer: a clock and one-shot timers, both injectable so that hosts (and tests) decide
 * what "later" means. The defaults are the web-standard `Date.now` and `setTimeout`, available in every
 * JavaScript host.
 */

/** One-shot timers. `set` returns a function that cancels the timer (idempotent). */
export interface Timers {
  set(callback: () => void, ms: number): () => void;
}

/** `setTimeout`/`clearTimeout` of the host. Timers do not keep a Node process alive on their own. */
export const systemTimers: Timers = {
  set(callback, ms) {
    const handle = setTimeout(callback, Math.max(0, ms)) as unknown as { unref?: () => void };
    handle.unref?.();
    return () => clearTimeout(handle as unknown as ReturnType<typeof setTimeout>);
  },
};

/**
 * Timers driven by hand: `advance(ms)` moves the clock and fires every timer that falls due, in order. For hosts
 * that simulate time (replaying a recorded session) and for tests that must not sleep.
 */
export class ManualTimers implements Timers {
  #now: number;
  #seq = 0;
  readonly #due = new Map<number, { readonly at: number; readonly callback: () => void }>();

  constructor(start = 0) {
    this.#now = start;
  }

  /** The current time, ms. Use as the clock: `clock: () => timers.now()`. */
  now(): number {
    return this.#now;
  }

  /** How many timers are waiting. */
  get pending(): number {
    return this.#due.size;
  }

  set(callback: () => void, ms: number): () => void {
    const id = ++this.#seq;
    this.#due.set(id, { at: this.#now + Math.max(0, ms), callback });
    return () => void this.#due.delete(id);
  }

  /** Move time forward by `ms`, firing due timers in time order (ties in the order they were set). */
  advance(ms: number): void {
    const end = this.#now + ms;
    for (;;) {
      let next: [number, { at: number; callback: () => void }] | undefined;
      for (const e of this.#due) if (e[1].at <= end && (!next || e[1].at < next[1].at)) next = e;
      if (!next) break;
      this.#due.delete(next[0]);
      this.#now = next[1].at;
      next[1].callback();
    }
    this.#now = end;
  }
}
