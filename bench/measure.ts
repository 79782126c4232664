/**
 * Measuring: latency percentiles and throughput of a synchronous or asynchronous operation with tinybench (one
 * sample per call, high-resolution timer, timer overhead subtracted), and helpers shared by the suites.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { Bench } from "tinybench";

/** What one measured task gives: per-call latency percentiles in µs, throughput, and the number of samples. */
export interface Latency {
  readonly p50Us: number;
  readonly p99Us: number;
  readonly meanUs: number;
  readonly opsPerS: number;
  readonly samples: number;
}

/** How long to measure each task. */
export interface Timing {
  /** Time budget per task, ms. */
  readonly timeMs: number;
  /** Warm-up budget per task, ms. */
  readonly warmupMs: number;
  /**
   * Once, before the first round: how long to run each task, ms. A long-running host decides in steady state, with
   * V8's optimised code for the policy; a 1,000-rule policy has a generated function per tool, each reached by a
   * hundredth of the requests, so reaching that state takes a few seconds, not tinybench's short warm-up.
   */
  readonly preWarmMs?: number;
}

const round = (x: number, digits = 3) => Number(x.toFixed(digits));

/**
 * Measure several tasks side by side: the tasks run one after another, `rounds` times in turn, and each figure is
 * the median over the rounds (a shared, noisy machine slows some rounds down; the median of interleaved rounds
 * is robust to that and keeps the comparison fair).
 */
export async function measureSideBySide(
  tasks: Readonly<Record<string, () => unknown>>,
  timing: Timing,
  rounds: number,
): Promise<Record<string, Latency>> {
  const perTask: Record<string, Latency[]> = {};
  for (const fn of Object.values(tasks)) {
    const until = performance.now() + (timing.preWarmMs ?? 0);
    while (performance.now() < until) {
      for (let i = 0; i < 100; i++) {
        const x = fn();
        if (x instanceof Promise) await x;
      }
    }
  }
  for (let r = 0; r < rounds; r++) {
    const bench = new Bench({
      time: timing.timeMs,
      warmupTime: timing.warmupMs,
      iterations: 16,
      warmupIterations: 4,
      timestampProvider: "hrtimeNow",
      subtractTimerOverhead: true,
      throws: true,
    });
    for (const [name, fn] of Object.entries(tasks)) bench.add(name, fn);
    await bench.run();
    for (const task of bench.tasks) {
      const res = task.result;
      if (res.state !== "completed")
        throw new Error(`benchmark task '${task.name}' did not complete (${res.state})`);
      (perTask[task.name] ??= []).push({
        p50Us: res.latency.p50 * 1000,
        p99Us: res.latency.p99 * 1000,
        meanUs: res.latency.mean * 1000,
        opsPerS: res.throughput.mean,
        samples: res.latency.samplesCount,
      });
    }
  }
  const out: Record<string, Latency> = {};
  for (const [name, ls] of Object.entries(perTask)) {
    out[name] = {
      p50Us: round(median(ls.map((l) => l.p50Us))),
      p99Us: round(median(ls.map((l) => l.p99Us))),
      meanUs: round(median(ls.map((l) => l.meanUs))),
      opsPerS: Math.round(median(ls.map((l) => 1e6 / l.meanUs))),
      samples: ls.reduce((n, l) => n + l.samples, 0),
    };
  }
  return out;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** A function that calls `f` on the items of a pool in turn (so one task measures a realistic mix). */
export function cycling<T>(pool: readonly T[], f: (item: T, i: number) => unknown): () => unknown {
  let i = 0;
  return () => {
    i = i + 1 === pool.length ? 0 : i + 1;
    return f(pool[i]!, i);
  };
}

export { round };

/**
 * A full garbage collection, between suites: each suite then starts without the garbage of the one before, as a
 * host that runs only its own work would. The decide suite leaves about 250 MB of it; in one run the receipts suite
 * collected it while its pipelined rounds ran (a mark-compact from 438 to 104 MB, 72 incremental marking steps of
 * up to 24 ms among its calls).
 */
export function collectGarbage(): void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed();
  // Without --expose-gc (npm run bench passes it): a function of a new context. Measured, that context slows what
  // runs after it (the 10 MB parse by a quarter), so the benchmark does not rely on it.
  setFlagsFromString("--expose-gc");
  (runInNewContext("gc") as () => void)();
}
