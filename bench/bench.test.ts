/**
 * The benchmark keeps working: `npm run bench -- --smoke --json` runs every suite at small sizes and prints results
 * of the promised shape. Only structure and correctness are asserted (every figure is a finite number, aarm and
 * Cedar reach the same decisions), never timing: timing belongs in the benchmark.
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import type { Results } from "./results.js";
import { BEGIN, END, spliceReport } from "./report.js";

const RUN = fileURLToPath(new URL("./run.ts", import.meta.url));

const KEYS = [
  "decide_p50_us_1k",
  "decide_p99_us_1k",
  "rules_10k_vs_10_ratio",
  "cedar_over_aarm_ratio",
  "signed_receipts_per_s",
  "compile_10k_s",
  "compile_10k_peak_mb",
  "session_10k_mb",
] as const;

describe("npm run bench -- --smoke --json", () => {
  it("runs every suite and prints the promised keys", async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--import", "tsx", RUN, "--smoke", "--json"],
      {
        maxBuffer: 16 << 20,
        timeout: 230_000,
      },
    );
    const r = JSON.parse(stdout) as Results;
    expect(r.mode).toBe("smoke");
    for (const k of KEYS) expect(Number.isFinite(r[k]), k).toBe(true);
    expect(r.machine.cores).toBeGreaterThan(0);
    expect(r.decide.length).toBeGreaterThan(0);
    for (const d of r.decide) {
      // The Cedar translation means the same as the aarm policy: same decision on every request.
      expect(d.decisions.compared).toBeGreaterThan(0);
      expect(d.decisions.agreeWithCedar).toBe(d.decisions.compared);
      expect(d.decisions.allow).toBeGreaterThan(0);
      expect(d.decisions.deny).toBeGreaterThan(0);
      for (const l of [d.compiled, d.interpreter, d.cedar, d.cedarBoundary, d.probe, d.session]) {
        expect(l.samples).toBeGreaterThan(0);
        expect(Number.isFinite(l.p50Us) && Number.isFinite(l.p99Us)).toBe(true);
      }
    }
    expect(r.targets.map((t) => t.name)).toContain("decision p50, 1,000 rules");
    expect(r.compiler.compile.every((c) => c.peakRssMb > 0 && c.seconds > 0)).toBe(true);
    expect(r.receipts.verify.receipts).toBeGreaterThan(0);
  }, 240_000);
});

describe("spliceReport", () => {
  it("replaces only the generated section and keeps the rest of the page", () => {
    const page = `# P\n\nintro\n\n${BEGIN}\nold\n${END}\n\n## BPF\n\nkept\n`;
    expect(spliceReport(page, "new")).toBe(`# P\n\nintro\n\n${BEGIN}\n\nnew\n\n${END}\n\n## BPF\n\nkept\n`);
  });
  it("appends a section to a page without markers", () => {
    expect(spliceReport("# P\n", "new")).toBe(`# P\n\n${BEGIN}\n\nnew\n\n${END}\n`);
  });
});
