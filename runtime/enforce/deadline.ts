/**
 * Waiting on a service with a deadline the enforcer keeps itself: whatever the service does — answers, fails,
 * throws, or never settles — the wait ends, by the deadline at the latest, and the caller maps each way it ended
 * to a verdict (never ALLOW for a timeout or a failure).
 */
import type { Timers } from "./timers.js";

export interface DeadlineHandlers<T> {
  readonly timeout: () => T;
  readonly aborted: () => T;
  readonly failed: (e: unknown) => T;
}

/** Run `start` with an AbortSignal that fires when the wait ends for any reason. */
export function withDeadline<T>(
  timers: Timers,
  ms: number,
  signal: AbortSignal | undefined,
  start: (signal: AbortSignal) => Promise<T>,
  on: DeadlineHandlers<T>,
): Promise<T> {
  return new Promise<T>((resolve) => {
    const controller = new AbortController();
    let done = false;
    let cancel = (): void => undefined;
    const onAbort = (): void => finish(on.aborted);
    function finish(value: () => T): void {
      if (done) return;
      done = true;
      cancel();
      signal?.removeEventListener("abort", onAbort);
      let v: T;
      try {
        v = value();
      } finally {
        controller.abort();
      }
      resolve(v);
    }
    if (signal?.aborted) return finish(on.aborted);
    signal?.addEventListener("abort", onAbort, { once: true });
    cancel = timers.set(() => finish(on.timeout), ms);
    let p: Promise<T>;
    try {
      p = start(controller.signal);
    } catch (e) {
      return finish(() => on.failed(e));
    }
    p.then(
      (v) => finish(() => v),
      (e: unknown) => finish(() => on.failed(e)),
    );
  });
}
