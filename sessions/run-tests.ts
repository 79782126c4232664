/**
 * Running policy tests (`aarm test`): every test (a test-file entry or a recorded session) is replayed through
 * the policy as loaded — the compiled evaluator of a bundle or of a freshly compiled source — and its
 * expectations are checked. With coverage, each test is replayed a second time through the tracing reference
 * interpreter; the two must decide every action alike (a difference is reported as a failure, never hidden).
 */
import { Policy } from "../runtime/api.js";
import { tracingEvaluator } from "../runtime/eval/trace.js";
import { CoverageCollector } from "./coverage.js";
import type { RecordedSession } from "./format.js";
import { replaySession, type ReplayFailure, type SessionReplay } from "./replay.js";

/** The sessions read from one file. */
export interface TestSource {
  readonly file: string;
  readonly sessions: readonly RecordedSession[];
}

/** The outcome of one test. */
export interface TestOutcome {
  readonly file: string;
  readonly session: RecordedSession;
  /** Absent when the session could not be replayed at all (see `error`). */
  readonly replay?: SessionReplay;
  readonly failures: readonly ReplayFailure[];
  /** Expectations checked. A test with none is replayed (for coverage) but neither passes nor fails. */
  readonly checks: number;
}

export interface TestRun {
  readonly outcomes: readonly TestOutcome[];
  readonly passed: number;
  readonly failed: number;
  /** Tests without any expectation. */
  readonly unchecked: number;
  /** Set when the run traced coverage. */
  readonly coverage?: CoverageCollector;
}

function replayOrFail(policy: Policy, s: RecordedSession): SessionReplay | ReplayFailure {
  try {
    return replaySession(policy, s);
  } catch (e) {
    return {
      session: s.id,
      line: s.line,
      message: `cannot replay: ${e instanceof Error ? e.message : String(e)}`,
    };
  }
}

/** Differences between the decisions of the loaded policy and of the tracing interpreter. */
function disagreements(real: SessionReplay, traced: SessionReplay): ReplayFailure[] {
  const out: ReplayFailure[] = [];
  real.actions.forEach((a, i) => {
    const t = traced.actions[i];
    if (
      t &&
      t.decision.effect === a.decision.effect &&
      t.decision.ruleIds.join() === a.decision.ruleIds.join()
    )
      return;
    const other = t ? `${t.decision.effect} [${t.decision.ruleIds.join(", ")}]` : "nothing";
    out.push({
      session: real.session.id,
      line: a.action.line,
      action: a,
      message: `the policy's evaluator decided ${a.decision.effect} [${a.decision.ruleIds.join(", ")}] but the reference interpreter ${other}`,
    });
  });
  return out;
}

/** Run every session of every source through `policy`; with `coverage`, trace it too. */
export function runTests(
  policy: Policy,
  sources: readonly TestSource[],
  options: { readonly coverage: boolean },
): TestRun {
  const collector = options.coverage ? new CoverageCollector(policy.ir) : undefined;
  const traced = collector
    ? new Policy(policy.ir, { evaluator: tracingEvaluator(policy.ir, collector.listener) })
    : undefined;
  const outcomes: TestOutcome[] = [];
  for (const src of sources) {
    for (const s of src.sessions) {
      const r = replayOrFail(policy, s);
      if (!("actions" in r)) {
        outcomes.push({ file: src.file, session: s, failures: [r], checks: 1 });
        continue;
      }
      const failures = [...r.failures];
      if (traced && collector) {
        const t = replayOrFail(traced, s);
        if ("actions" in t) {
          for (const a of t.actions) collector.decided(a.decision.ruleIds);
          failures.push(...disagreements(r, t));
        } else failures.push(t);
      }
      outcomes.push({ file: src.file, session: s, replay: r, failures, checks: r.checks });
    }
  }
  const failed = outcomes.filter((o) => o.failures.length > 0).length;
  const unchecked = outcomes.filter((o) => o.failures.length === 0 && o.checks === 0).length;
  return {
    outcomes,
    passed: outcomes.length - failed - unchecked,
    failed,
    unchecked,
    ...(collector ? { coverage: collector } : {}),
  };
}
