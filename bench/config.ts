/**
 * What `npm run bench` measures: the full run (the sizes the performance targets are stated for) and the smoke run
 * (small sizes, under a minute, so CI keeps the benchmark working; its figures mean nothing).
 */
import type { CompilerConfig } from "./suites/compiler.js";
import type { DecideConfig } from "./suites/decide.js";
import type { ReceiptsConfig } from "./suites/receipts.js";

export interface BenchConfig {
  readonly mode: "full" | "smoke";
  readonly decide: DecideConfig;
  readonly receipts: ReceiptsConfig;
  readonly compiler: CompilerConfig;
  readonly replay: { readonly maxSessions?: number };
  /** Which measured sizes the summary keys refer to (1k/10k/10 rules in the full run). */
  readonly reference: {
    readonly rules: number;
    readonly small: number;
    readonly large: number;
    readonly history: number;
  };
}

export const FULL: BenchConfig = {
  mode: "full",
  decide: {
    rules: [10, 100, 1000, 10000],
    histories: [0, 100, 10000],
    pool: 1000,
    agreement: 200,
    timing: { timeMs: 250, warmupMs: 100, preWarmMs: 2000 },
    rounds: 3,
  },
  receipts: {
    rules: 1000,
    pipelined: 5000,
    verifyReceipts: 10000,
    timing: { timeMs: 500, warmupMs: 200 },
    rounds: 3,
  },
  compiler: {
    compileRules: [1000, 10000],
    checkRules: 1000,
    checkRuns: 5,
    parseSizes: [
      [10, 31],
      [100, 15],
      [1024, 5],
      [10 * 1024, 3],
    ],
    sessionActions: 10000,
  },
  replay: {},
  reference: { rules: 1000, small: 10, large: 10000, history: 100 },
};

export const SMOKE: BenchConfig = {
  mode: "smoke",
  decide: {
    rules: [10, 100],
    histories: [0, 100],
    pool: 100,
    agreement: 100,
    timing: { timeMs: 20, warmupMs: 5 },
    rounds: 1,
  },
  receipts: {
    rules: 100,
    pipelined: 100,
    verifyReceipts: 100,
    timing: { timeMs: 20, warmupMs: 5 },
    rounds: 1,
  },
  compiler: {
    compileRules: [10, 100],
    checkRules: 100,
    checkRuns: 1,
    parseSizes: [
      [10, 2],
      [50, 1],
    ],
    sessionActions: 300,
  },
  replay: { maxSessions: 20 },
  reference: { rules: 100, small: 10, large: 100, history: 100 },
};
