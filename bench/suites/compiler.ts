/**
 * The compiler: compile time and peak RSS of generated policies (each in a fresh process), `aarm check` of a
 * 1,000-rule file, and parse time per KB from 10 KB to 10 MB. Memory: the heap held by a session with many
 * actions, and by the runtime with the largest policy loaded (each in a fresh process).
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { aarmProgram, guarded } from "../../cli/main.js";
import { memoryIo } from "../../cli/io.js";
import type { SizeResult } from "../parse-linear.js";
import { median } from "../measure.js";
import { generatePolicy, toolsJson } from "../workload/policy.js";

const CHILD = fileURLToPath(new URL("../child.ts", import.meta.url));
const CHECK_CHILD = fileURLToPath(new URL("../check-child.ts", import.meta.url));
const PARSE_CHILD = fileURLToPath(new URL("../parse-linear.ts", import.meta.url));

/** Run a measurement in a fresh Node process and parse its JSON line. */
export async function child<T>(args: readonly string[], script: string = CHILD): Promise<T> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ["--import", "tsx", "--expose-gc", script, ...args],
    {
      maxBuffer: 1 << 20,
      timeout: 300_000,
    },
  );
  return JSON.parse(stdout.trim().split("\n").pop()!) as T;
}

export interface CompilerConfig {
  readonly compileRules: readonly number[];
  readonly checkRules: number;
  readonly checkRuns: number;
  readonly parseSizes: readonly (readonly [kb: number, runs: number])[];
  readonly sessionActions: number;
}

export interface CompileRow {
  readonly rules: number;
  readonly sourceKb: number;
  /** Wall-clock seconds. */
  readonly seconds: number;
  /** CPU seconds (user + system, every thread): steadier than wall time on a shared machine. */
  readonly cpuSeconds: number;
  readonly peakRssMb: number;
  readonly baselineRssMb: number;
}

export interface CompilerResult {
  readonly compile: readonly CompileRow[];
  /**
   * `aarm check`: cold (a fresh process each, through the process entry; the command's own time once its modules
   * are loaded, and the CPU time loading them took under tsx; medians of `runs` processes) and warm (in this
   * process, median of `runs`).
   */
  readonly check: {
    readonly rules: number;
    readonly coldMs: number;
    readonly coldCpuMs: number;
    readonly loadCpuMs: number;
    readonly medianMs: number;
    readonly runs: number;
  };
  readonly parse: {
    readonly sizes: readonly { kb: number; msPerKb: number; cpuMsPerKb: number }[];
    readonly ratio: number;
    readonly cpuRatio: number;
  };
  readonly memory: {
    readonly session: { readonly actions: number; readonly heapMb: number };
    readonly bundle: { readonly rules: number; readonly heapMb: number; readonly rssMb: number };
  };
}

const r2 = (x: number) => Number(x.toFixed(2));

export async function compilerSuite(
  config: CompilerConfig,
  log: (s: string) => void,
): Promise<CompilerResult> {
  const dir = mkdtempSync(join(tmpdir(), "aarm-bench-"));
  try {
    const compile: CompileRow[] = [];
    for (const rules of config.compileRules) {
      const last = rules === config.compileRules[config.compileRules.length - 1];
      const row = await child<CompileRow>(["compile", String(rules), ...(last ? [dir] : [])]);
      compile.push({
        ...row,
        seconds: r2(row.seconds),
        cpuSeconds: r2(row.cpuSeconds),
        peakRssMb: Math.round(row.peakRssMb),
        baselineRssMb: Math.round(row.baselineRssMb),
      });
      log(
        `compile ${rules} rules: ${row.seconds.toFixed(2)} s (CPU ${row.cpuSeconds.toFixed(2)} s), peak RSS ${Math.round(row.peakRssMb)} MB`,
      );
    }
    const bundle = await child<{ rules: number; heapMb: number; rssMb: number }>(["bundle", dir]);
    const session = await child<{ actions: number; heapMb: number }>([
      "session",
      String(config.sessionActions),
    ]);
    log(
      `memory: session of ${session.actions} actions ${session.heapMb.toFixed(1)} MB; runtime with ${bundle.rules} rules ${bundle.heapMb.toFixed(1)} MB`,
    );

    writeFileSync(join(dir, "tools.json"), toolsJson());
    const file = join(dir, "policy.aarm");
    writeFileSync(file, generatePolicy(config.checkRules).aarm);
    const times: number[] = [];
    for (let i = 0; i <= config.checkRuns; i++) {
      const io = memoryIo(dir);
      const t0 = performance.now();
      const code = await guarded(aarmProgram(), ["check", "--quiet", file], io);
      if (i > 0) times.push(performance.now() - t0); // the first run warms the process up
      if (code !== 0) throw new Error(`aarm check failed (${code}): ${io.stdout()}${io.stderr()}`);
    }
    // Cold runs, one fresh process each (as many as warm ones): on a shared machine one sample is not a figure.
    const cold: { ms: number; cpuMs: number; loadCpuMs: number }[] = [];
    for (let i = 0; i < Math.max(1, config.checkRuns); i++) cold.push(await child([file], CHECK_CHILD));
    const check = {
      rules: config.checkRules,
      coldMs: r2(median(cold.map((c) => c.ms))),
      coldCpuMs: r2(median(cold.map((c) => c.cpuMs))),
      loadCpuMs: r2(median(cold.map((c) => c.loadCpuMs))),
      medianMs: r2(median(times)),
      runs: times.length,
    };
    log(
      `aarm check ${config.checkRules} rules: cold ${check.coldMs} ms (CPU ${check.coldCpuMs} ms, after ${check.loadCpuMs} ms loading), warm ${check.medianMs} ms`,
    );

    // In a fresh process, like compiling: in this one the heap the suites before left (hundreds of MB of live
    // policies, and V8's limits set after the collection between suites) made every major GC during the 10 MB
    // parse longer (1.07 ms/KB here against 0.76-0.84 alone): that measures the benchmark, not the parser.
    const parsed = await child<{ results: SizeResult[]; ratio: number; cpuRatio: number }>(
      ["--json", "--sizes", config.parseSizes.map(([kb, runs]) => `${kb}:${runs}`).join(",")],
      PARSE_CHILD,
    );
    const parse = {
      sizes: parsed.results.map((s) => ({
        kb: s.targetKb,
        msPerKb: Number(s.msPerKb.toFixed(4)),
        cpuMsPerKb: Number(s.cpuMsPerKb.toFixed(4)),
      })),
      ratio: r2(parsed.ratio),
      cpuRatio: r2(parsed.cpuRatio),
    };
    log(`parse: ${parse.sizes.map((s) => `${s.kb} KB ${s.msPerKb} ms/KB`).join(", ")}; ratio ${parse.ratio}`);
    return {
      compile,
      check,
      parse,
      memory: {
        session: { actions: session.actions, heapMb: r2(session.heapMb) },
        bundle: { rules: bundle.rules, heapMb: r2(bundle.heapMb), rssMb: r2(bundle.rssMb) },
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
