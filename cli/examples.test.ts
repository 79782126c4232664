/**
 * Every example policy passes its own tests (examples/NAME/tests/: hand-written test files, and for the AgentDojo
 * suites real recorded sessions) with at least 90% rule coverage: `aarm test POLICY --threshold 90`.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { memoryIo } from "./io.js";
import { aarmProgram, guarded } from "./main.js";
import { root } from "./test-support/run.js";

const examples = readdirSync(join(root, "examples"), { withFileTypes: true })
  .filter((e) => e.isDirectory() && existsSync(join(root, "examples", e.name, "policy.aarm")))
  .map((e) => e.name)
  .sort();

describe("aarm test on every example", () => {
  it("finds the examples", () => {
    expect(examples.length).toBeGreaterThanOrEqual(6);
  });

  it.each(examples)("examples/%s passes its tests with at least 90 percent rule coverage", async (name) => {
    const io = memoryIo(root);
    const policy = join("examples", name, "policy.aarm");
    const status = await guarded(
      aarmProgram(),
      ["test", policy, "--threshold", "90", "--format", "json"],
      io,
    );
    const report = JSON.parse(io.stdout()) as {
      passed: number;
      failed: number;
      failures: unknown[];
      coverage: { rules: { percent: number; missed: unknown[] } };
    };
    expect(report.failures).toEqual([]);
    expect(report.passed).toBeGreaterThan(0);
    expect(
      report.coverage.rules.percent,
      JSON.stringify(report.coverage.rules.missed),
    ).toBeGreaterThanOrEqual(90);
    expect(io.stderr()).toBe("");
    expect(status).toBe(0);
  });
});
