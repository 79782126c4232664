/**
 * The efficacy pipeline: read the AgentDojo sessions, load each suite's signed bundle, replay every session through
 * the runtime (each allowed action's result is recorded, so labels and provenance accumulate as they would in a
 * host), and score the replays (sessions/efficacy.ts). Decisions per second are measured over the replays only:
 * each decision and the recording of its result, not reading the data or compiling.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import {
  injectionGoals,
  replaySession,
  scoreSession,
  tally,
  type RecordedSession,
  type SessionOutcome,
  type Tally,
} from "../../sessions/index.js";
import { readAgentDojo } from "../../sessions/node.js";
import { EfficacyError, loadSuiteBundles } from "./bundles.js";

export interface EfficacyOptions {
  /** The AgentDojo data set (gzip JSONL, one session per line). */
  readonly data: string;
  /** The folder holding `agentdojo-SUITE/policy.aarm`. */
  readonly examples: string;
  /** Only these suites (default: every suite in the data). */
  readonly suites?: readonly string[];
}

/** What a bundle that decided was. */
export interface BundleInfo {
  readonly policy: string;
  readonly version: string | null;
  readonly bundleHash: string;
  readonly signedBy: string | null;
}

/** Decisions made and the wall-clock seconds spent replaying them. */
export interface Speed {
  decisions: number;
  seconds: number;
}

export interface EfficacyResult {
  readonly total: Tally;
  readonly suites: Record<string, Tally>;
  readonly outcomes: readonly SessionOutcome[];
  readonly bundles: Readonly<Record<string, BundleInfo>>;
  /** Per suite and in total. */
  readonly speed: { readonly total: Speed; readonly suites: Readonly<Record<string, Speed>> };
}

/** A problem with the input data (exit status 2), as opposed to a failing policy or bundle (EfficacyError). */
export class EfficacyInputError extends Error {}

function readSessions(path: string): RecordedSession[] {
  try {
    return readAgentDojo(path);
  } catch (e) {
    throw new EfficacyInputError(e instanceof Error ? e.message : String(e));
  }
}

const suiteOf = (s: RecordedSession): string => String(s.meta?.["suite"] ?? "");

/** Run the pipeline. Throws EfficacyInputError (bad data) or EfficacyError (a policy or bundle failed). */
export async function runEfficacy(options: EfficacyOptions): Promise<EfficacyResult> {
  const all = readSessions(options.data);
  const present = [...new Set(all.map(suiteOf))].sort();
  const unknown = (options.suites ?? []).filter((s) => !present.includes(s));
  if (unknown.length > 0) {
    throw new EfficacyInputError(
      `no sessions of suite '${unknown[0]}' in ${options.data} (it has: ${present.join(", ")})`,
    );
  }
  const suites = options.suites ? [...new Set(options.suites)].sort() : present;
  const goals = injectionGoals(all);
  const work = mkdtempSync(join(tmpdir(), "aarm-efficacy-"));
  try {
    const bundles = await loadSuiteBundles(options.examples, suites, work);
    const outcomes: SessionOutcome[] = [];
    const speed = new Map(suites.map((s) => [s, { decisions: 0, seconds: 0 }]));
    for (const session of all) {
      const bundle = bundles.get(suiteOf(session));
      if (!bundle) continue;
      const start = performance.now();
      let replay;
      try {
        replay = replaySession(bundle.policy, session);
      } catch (e) {
        throw new EfficacyError(`session '${session.id}': ${e instanceof Error ? e.message : String(e)}`);
      }
      const spent = speed.get(suiteOf(session))!;
      spent.seconds += (performance.now() - start) / 1000;
      spent.decisions += replay.actions.length;
      outcomes.push(scoreSession(replay, goals));
    }
    const info = Object.fromEntries(
      [...bundles].map(([suite, b]) => [
        suite,
        {
          policy: b.manifest.policy.name,
          version: b.manifest.policy.version ?? null,
          bundleHash: b.bundleHash,
          signedBy: b.signedBy,
        },
      ]),
    );
    const total = { decisions: 0, seconds: 0 };
    for (const v of speed.values())
      [total.decisions, total.seconds] = [total.decisions + v.decisions, total.seconds + v.seconds];
    return {
      ...tally(outcomes),
      outcomes,
      bundles: info,
      speed: { total, suites: Object.fromEntries(speed) },
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export { EfficacyError };
