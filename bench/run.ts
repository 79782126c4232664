/**
 * `npm run bench`: the performance benchmark (docs/performance.md). Runs every suite side by side in one process
 * (plus a fresh process per memory measurement), writes bench/results.json and the generated section of
 * docs/performance.md, and prints a table.
 *
 *     npm run bench                      full run (about 5 minutes): results.json + docs/performance.md
 *     npm run bench -- --json            the same, printing the results as JSON on standard output
 *     npm run bench -- --smoke           small sizes, under a minute; writes nothing unless --out is given
 *     npm run bench -- --out FILE        write the results JSON to FILE instead
 *     npm run bench -- --agentdojo FILE  the AgentDojo data set for the replay suite
 *     npm run bench -- --only receipts   one suite (decide, receipts, compiler or replay; comma-separated for more):
 *                                        its progress line, and its results as JSON with --json; writes nothing
 *
 * Progress goes to standard error.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { installNodeCrypto } from "../host/node-crypto.js";
import { FULL, SMOKE, type BenchConfig } from "./config.js";
import { collectGarbage } from "./measure.js";
import { renderReport, spliceReport } from "./report.js";
import { machine, type Results, summarize, targets } from "./results.js";
import { compilerSuite } from "./suites/compiler.js";
import { decideSuite } from "./suites/decide.js";
import { receiptsSuite } from "./suites/receipts.js";
import { replaySuite } from "./suites/replay.js";

const root = (p: string) => fileURLToPath(new URL(`../${p}`, import.meta.url));

/** The AgentDojo recorded runs, next to the repository unless given. */
export const DEFAULT_AGENTDOJO = root("../shared/data/agentdojo/gpt-4o-2024-05-13.sessions.jsonl.gz");

/** Run every suite of a configuration. */
export async function runBench(
  config: BenchConfig,
  options: { agentdojo: string; log: (s: string) => void },
): Promise<Results> {
  const { log } = options;
  installNodeCrypto(); // every suite measures a Node host as the aarm command runs: SHA-256 on node:crypto
  const t0 = performance.now();
  const load = Number(loadavg()[0]!.toFixed(1));
  const decide = await decideSuite(config.decide, log);
  collectGarbage();
  const receipts = await receiptsSuite(config.receipts, log);
  collectGarbage();
  const compiler = await compilerSuite(config.compiler, log);
  collectGarbage();
  const replay = await replaySuite({ data: options.agentdojo, ...config.replay }, log);
  const summary = summarize(config, { decide, receipts, compiler, replay });
  return {
    schema: 1,
    mode: config.mode,
    date: new Date().toISOString().slice(0, 10),
    seconds: Math.round((performance.now() - t0) / 1000),
    machine: machine(),
    load: [load, Number(loadavg()[0]!.toFixed(1))],
    reference: config.reference,
    ...summary,
    targets: targets(summary),
    decide,
    receipts,
    compiler,
    replay,
  };
}

function option(argv: readonly string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  if (i < 0) return undefined;
  const v = argv[i + 1];
  if (v === undefined || v.startsWith("--")) throw new Error(`${name} needs a value`);
  return v;
}

const KNOWN = new Set(["--json", "--smoke", "--out", "--agentdojo", "--only"]);
const VALUED = new Set(["--out", "--agentdojo", "--only"]);

/** The suites --only can name. */
const SUITES = ["decide", "receipts", "compiler", "replay"] as const;
type SuiteName = (typeof SUITES)[number];

/** Run the named suites of a configuration alone (to compare one suite before and after a change). */
export async function runSuites(
  names: readonly SuiteName[],
  config: BenchConfig,
  options: { agentdojo: string; log: (s: string) => void },
): Promise<Record<string, unknown>> {
  const { log } = options;
  installNodeCrypto();
  const out: Record<string, unknown> = { mode: config.mode, load: [Number(loadavg()[0]!.toFixed(1))] };
  for (const name of names) {
    collectGarbage();
    if (name === "decide") out[name] = await decideSuite(config.decide, log);
    else if (name === "receipts") out[name] = await receiptsSuite(config.receipts, log);
    else if (name === "compiler") out[name] = await compilerSuite(config.compiler, log);
    else out[name] = await replaySuite({ data: options.agentdojo, ...config.replay }, log);
  }
  (out["load"] as number[]).push(Number(loadavg()[0]!.toFixed(1)));
  log(`load average ${(out["load"] as number[]).join(" → ")}`);
  return out;
}

function suiteNames(list: string): SuiteName[] {
  const names = list.split(",").filter((n) => n !== "");
  const bad = names.find((n) => !(SUITES as readonly string[]).includes(n));
  if (bad !== undefined || names.length === 0)
    throw new Error(`--only: unknown suite '${bad ?? list}' (suites: ${SUITES.join(", ")})`);
  return names as SuiteName[];
}

async function main(argv: readonly string[]): Promise<number> {
  const unknown = argv.find((a, i) => a.startsWith("--") && !KNOWN.has(a) && !VALUED.has(argv[i - 1] ?? ""));
  if (unknown) throw new Error(`unknown option ${unknown} (options: ${[...KNOWN].join(", ")})`);
  const smoke = argv.includes("--smoke");
  const out = option(argv, "--out");
  const agentdojo = option(argv, "--agentdojo") ?? process.env["AARM_AGENTDOJO"] ?? DEFAULT_AGENTDOJO;
  const only = option(argv, "--only");
  if (only !== undefined) {
    const names = suiteNames(only);
    if (out !== undefined) throw new Error("--only writes nothing; use --json to print its results");
    const results = await runSuites(names, smoke ? SMOKE : FULL, {
      agentdojo,
      log: (s) => process.stderr.write(`${s}\n`),
    });
    if (argv.includes("--json")) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
    return 0;
  }
  const results = await runBench(smoke ? SMOKE : FULL, {
    agentdojo,
    log: (s) => process.stderr.write(`${s}\n`),
  });
  const json = `${JSON.stringify(results, null, 2)}\n`;
  if (out) writeFileSync(out, json);
  const report = renderReport(results);
  if (!smoke) {
    writeFileSync(root("bench/results.json"), json);
    const page = root("docs/performance.md");
    writeFileSync(page, spliceReport(readFileSync(page, "utf8"), report));
  }
  process.stdout.write(argv.includes("--json") ? json : `${report}\n`);
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (e: unknown) => {
      process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 2;
    },
  );
}
