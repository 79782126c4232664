/**
 * Measurements that need a fresh process: peak RSS of a compile, and the heap a session or a loaded policy holds.
 * The parent (bench/suites/memory.ts) runs `node --import tsx --expose-gc bench/child.ts COMMAND ...` and reads one
 * JSON line from standard output.
 *
 *     compile RULES [OUTDIR]   compile a generated policy; seconds, peak RSS; write ir.json + evaluator.mjs to OUTDIR
 *     session ACTIONS          heap held by a session with ACTIONS prior actions (1,000-rule policy)
 *     bundle DIR               heap held by the runtime with DIR's ir.json + evaluator.mjs loaded
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadPolicy } from "../runtime/api.js";
import { evaluatorFromSource } from "../runtime/compiled.js";
import { compileBench, loadBoth } from "./workload/load.js";
import { generatePolicy } from "./workload/policy.js";
import { buildSession, makeRequests } from "./workload/session.js";

const MB = 1024 * 1024;

function settledHeap(): { heap: number; rss: number } {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("run with --expose-gc");
  for (let i = 0; i < 3; i++) gc();
  const m = process.memoryUsage();
  return { heap: m.heapUsed + m.external + m.arrayBuffers, rss: m.rss };
}

const peakRssMb = () => process.resourceUsage().maxRSS / 1024;

async function main(argv: readonly string[]): Promise<unknown> {
  const [command, arg, out] = argv;
  switch (command ?? "") {
    case "compile": {
      const g = generatePolicy(Number(arg));
      const baseline = peakRssMb();
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const r = compileBench(g.aarm);
      const seconds = (performance.now() - t0) / 1000;
      const cpu = process.cpuUsage(c0);
      const peak = peakRssMb();
      if (out) {
        writeFileSync(join(out, "ir.json"), JSON.stringify(r.ir));
        writeFileSync(join(out, "evaluator.mjs"), r.evaluatorSource);
      }
      return {
        rules: Number(arg),
        sourceKb: Math.round(g.aarm.length / 1024),
        seconds,
        cpuSeconds: (cpu.user + cpu.system) / 1e6,
        peakRssMb: peak,
        baselineRssMb: baseline,
      };
    }
    case "session": {
      const { compiled } = await loadBoth(compileBench(generatePolicy(1000).aarm));
      // A first session compiles every tool's argument validator and warms the code up: that memory belongs to the
      // runtime, not to a session.
      buildSession(compiled, 2000);
      const before = settledHeap();
      const s = buildSession(compiled, Number(arg));
      const after = settledHeap();
      // Keep the session alive until after the measurement, and check it is what was asked for.
      if (s.session.state.actions !== Number(arg))
        throw new Error("the session does not have the history asked for");
      return {
        actions: Number(arg),
        heapMb: (after.heap - before.heap) / MB,
        rssMb: (after.rss - before.rss) / MB,
      };
    }
    case "bundle": {
      const irText = readFileSync(join(arg!, "ir.json"), "utf8");
      const source = readFileSync(join(arg!, "evaluator.mjs"), "utf8");
      const before = settledHeap();
      const ir = JSON.parse(irText) as { source: { sha256: string } };
      const policy = loadPolicy(ir, { evaluator: await evaluatorFromSource(source, ir.source.sha256) });
      // One decision per tool, so every lazily built part (argument validators) is in place.
      const session = policy.openSession({ identity: { human: "bench" }, request: "bench" });
      for (const r of makeRequests(100, 0, { seed: 3 })) session.decide({ tool: r.tool, args: r.args });
      const after = settledHeap();
      return {
        rules: policy.ir.rules.length,
        heapMb: (after.heap - before.heap) / MB,
        rssMb: (after.rss - before.rss) / MB,
      };
    }
  }
  throw new Error(`unknown command '${command ?? ""}'`);
}

main(process.argv.slice(2)).then(
  (r) => process.stdout.write(`${JSON.stringify(r)}\n`),
  (e: unknown) => {
    process.stderr.write(`bench child: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
