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
 *
 * Progress goes to standard error.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { installNodeCrypto } from "../host/node-crypto.js";
import { FULL, SMOKE, type BenchConfig } from "./config.js";
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
  const receipts = await receiptsSuite(config.receipts, log);
  const compiler = await compilerSuite(config.compiler, log);
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

const KNOWN = new Set(["--json", "--smoke", "--out", "--agentdojo"]);

async function main(argv: readonly string[]): Promise<number> {
  const unknown = argv.find(
    (a, i) => a.startsWith("--") && !KNOWN.has(a) && argv[i - 1] !== "--out" && argv[i - 1] !== "--agentdojo",
  );
  if (unknown) throw new Error(`unknown option ${unknown} (options: ${[...KNOWN].join(", ")})`);
  const smoke = argv.includes("--smoke");
  const out = option(argv, "--out");
  const agentdojo = option(argv, "--agentdojo") ?? process.env["AARM_AGENTDOJO"] ?? DEFAULT_AGENTDOJO;
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
