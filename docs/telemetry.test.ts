/**
 * Keeps docs/telemetry.md true: its ```ts run blocks form one program, in page order, which is type-checked and
 * run; and the page describes every exporter option, every counter and every metric.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { TelemetryMetrics } from "../runtime/telemetry/index.js";
import { blocks, program, ROOT, typeErrors } from "./test-support/doc-program.js";

const DOC = readFileSync(join(ROOT, "docs", "telemetry.md"), "utf8");
const parsed = blocks(DOC);
const runBlocks = parsed.blocks.filter((b) => /^ts\s+run$/.test(b.info));
const built = program(runBlocks);
const file = join(mkdtempSync(join(tmpdir(), "aarm-telemetry-doc-")), "telemetry-doc.mts");
writeFileSync(file, built.text);

describe("docs/telemetry.md", () => {
  it("has well-formed code blocks", () => {
    expect(parsed.problems).toEqual([]);
    expect(runBlocks.length).toBeGreaterThanOrEqual(1);
  });

  it("type-checks", () => {
    expect(typeErrors(file, built.lineMap, "telemetry.md")).toEqual([]);
  });

  it("runs", async () => {
    await import(/* @vite-ignore */ pathToFileURL(file).href);
  });

  it("describes every option, counter and metric", () => {
    const options = [
      "destination",
      "filter",
      "redaction",
      "capacity",
      "maxBatch",
      "flushIntervalMs",
      "maxRetries",
    ];
    const counters = [
      "observed",
      "filtered",
      "queued",
      "dropped",
      "exported",
      "failed",
      "batches",
      "retries",
    ];
    const metrics = new TelemetryMetrics(0)
      .toOtlp(0, { exported: 0, dropped: 0, failed: 0, queued: 0 })
      .map((m) => m.name.replace(/^aarm\.actions\.(denied|deferred|stepup)$/, "aarm.actions.denied"));
    const missing = [...options, ...metrics].filter((w) => !DOC.includes(`\`${w}\``));
    expect(missing).toEqual([]);
    expect(counters.filter((c) => !DOC.includes(c))).toEqual([]);
  });
});
