/**
 * What `aarm test` prints: each failure (where, the action, expected vs actual, the rules that decided and why),
 * a line per file, the coverage report, and the closing `N passed, N failed` line; or the same as JSON.
 */
import type { Policy } from "../runtime/api.js";
import type { CoverageReport } from "../sessions/coverage.js";
import { redactArgs, redactedPaths } from "../sessions/redact.js";
import type { ReplayedAction, ReplayFailure } from "../sessions/replay.js";
import type { TestOutcome, TestRun } from "../sessions/run-tests.js";
import { showValue } from "../sessions/show.js";

function actionLines(policy: Policy, r: ReplayedAction, failures: readonly ReplayFailure[]): string[] {
  const a = r.action;
  const d = r.decision;
  const args = redactArgs(a.args, redactedPaths(policy.ir, a.tool));
  const out = [`     action   #${r.index} ${a.id}: ${a.tool} ${showValue(args)}`];
  for (const f of failures) {
    if (f.message === `expected ${a.expect}, got ${d.effect}`) out.push(`     expected ${a.expect}`);
    else out.push(`     problem  ${f.message}`);
  }
  out.push(
    `     actual   ${d.effect}${d.ruleIds.length > 0 ? ` by ${d.ruleIds.join(", ")}` : ` (${d.decidedBy})`}`,
  );
  for (const reason of d.reasons) out.push(`              ${reason}`);
  return out;
}

/** One block per failing action (all its unmet expectations), or per failed session expectation. */
function failureBlocks(policy: Policy, o: TestOutcome): string[] {
  const out: string[] = [];
  const done = new Set<ReplayFailure>();
  for (const f of o.failures) {
    if (done.has(f)) continue;
    const same = f.action ? o.failures.filter((g) => g.action === f.action) : [f];
    same.forEach((g) => done.add(g));
    out.push(`FAIL ${o.file}:${f.line}  ${JSON.stringify(o.session.id)}`);
    out.push(...(f.action ? actionLines(policy, f.action, same) : [`     problem  ${f.message}`]), "");
  }
  return out;
}

/** The human-readable coverage section. */
export function coverageText(c: CoverageReport): string {
  const out = [
    `coverage: rules ${c.rules.percent}% (${c.rules.covered} of ${c.rules.total}), ` +
      `conditions ${c.conditions.percent}% (${c.conditions.covered} of ${c.conditions.total} outcomes)`,
  ];
  if (c.rules.missed.length > 0) {
    out.push("  rules no test exercised:");
    for (const r of c.rules.missed)
      out.push(`    ${r.id} (${r.kind === "tag" ? "on result" : r.effect}${r.where ? `, ${r.where}` : ""})`);
  }
  if (c.conditions.missed.length > 0) {
    out.push("  conditions that never took an outcome:");
    for (const m of c.conditions.missed) {
      const never = m.missing.map((x) => `never ${x}`).join(", ");
      const seen = m.seen.length > 0 ? `; seen ${m.seen.join(", ")}` : "; never evaluated";
      out.push(`    ${m.owner}${m.where ? ` (${m.where})` : ""}: ${m.text} — ${never}${seen}`);
    }
  }
  return `${out.join("\n")}\n`;
}

/** The text report (everything but the coverage section). */
export function testText(policy: Policy, run: TestRun): string {
  const out: string[] = [];
  const byFile = new Map<string, TestOutcome[]>();
  for (const o of run.outcomes) byFile.set(o.file, [...(byFile.get(o.file) ?? []), o]);
  for (const o of run.outcomes) out.push(...failureBlocks(policy, o));
  for (const [file, list] of byFile) {
    const failed = list.filter((o) => o.failures.length > 0).length;
    const checks = list.reduce((n, o) => n + o.checks, 0);
    out.push(
      `${failed > 0 ? "FAIL" : "ok  "} ${file} (${list.length} test${list.length === 1 ? "" : "s"}, ${checks} check${checks === 1 ? "" : "s"})`,
    );
  }
  return `${out.join("\n")}\n`;
}

/** The closing line. */
export function totalsLine(run: TestRun): string {
  return `${run.passed} passed, ${run.failed} failed${run.unchecked > 0 ? `, ${run.unchecked} without expectations` : ""}\n`;
}

/** The `--format json` document. */
export function testJson(policy: Policy, run: TestRun, coverage: CoverageReport | undefined): unknown {
  return {
    policy: { name: policy.ir.name, version: policy.ir.version, hash: policy.hash },
    passed: run.passed,
    failed: run.failed,
    unchecked: run.unchecked,
    failures: run.outcomes.flatMap((o) =>
      o.failures.map((f) => ({
        file: o.file,
        line: f.line,
        test: o.session.id,
        message: f.message,
        ...(f.action
          ? {
              action: {
                index: f.action.index,
                id: f.action.action.id,
                tool: f.action.action.tool,
                args: redactArgs(f.action.action.args, redactedPaths(policy.ir, f.action.action.tool)),
                expected: f.action.action.expect ?? null,
                actual: f.action.decision.effect,
                ruleIds: f.action.decision.ruleIds,
                reasons: f.action.decision.reasons,
              },
            }
          : {}),
      })),
    ),
    coverage: coverage ? { rules: coverage.rules, conditions: coverage.conditions } : null,
  };
}
