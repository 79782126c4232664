/**
 * Replay: every recorded AgentDojo session, each through the example policy of its suite (compiled evaluator),
 * end to end — open the session, decide each action, record each result — in actions per second.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { compileFile } from "../../compiler/compile.js";
import { loadPolicy, type Policy } from "../../runtime/api.js";
import { evaluatorFromSource } from "../../runtime/compiled.js";
import { replaySession } from "../../sessions/index.js";
import { readAgentDojo } from "../../sessions/node.js";

export interface ReplayConfig {
  /** The AgentDojo data set (gzip JSONL); the suite is skipped when it is absent. */
  readonly data: string;
  /** At most this many sessions (all when undefined). */
  readonly maxSessions?: number;
}

export type ReplayResult =
  | { readonly skipped: string }
  | {
      readonly sessions: number;
      readonly actions: number;
      readonly seconds: number;
      readonly actionsPerS: number;
      readonly blocked: number;
    };

const SUITES = ["banking", "slack", "travel", "workspace"] as const;

async function suitePolicy(suite: string): Promise<Policy> {
  const file = fileURLToPath(new URL(`../../examples/agentdojo-${suite}/policy.aarm`, import.meta.url));
  const r = compileFile(file);
  if (!r.ir || r.evaluatorSource === undefined)
    throw new Error(`examples/agentdojo-${suite}/policy.aarm does not compile`);
  return loadPolicy(r.ir, { evaluator: await evaluatorFromSource(r.evaluatorSource, r.ir.source.sha256) });
}

export async function replaySuite(config: ReplayConfig, log: (s: string) => void): Promise<ReplayResult> {
  if (!existsSync(config.data)) {
    log(`replay: skipped (no AgentDojo data at ${config.data})`);
    return { skipped: "AgentDojo data set not found" };
  }
  let count = 0;
  const all = readAgentDojo(config.data, {
    filter: () => config.maxSessions === undefined || count++ < config.maxSessions,
  });
  const policies = new Map<string, Policy>();
  for (const suite of SUITES) policies.set(suite, await suitePolicy(suite));
  const jobs = all.map((s) => ({ session: s, policy: policies.get(String(s.meta?.["suite"] ?? "")) }));
  let actions = 0;
  let blocked = 0;
  const t0 = performance.now();
  for (const { session, policy } of jobs) {
    if (!policy) continue;
    const r = replaySession(policy, session);
    actions += r.actions.length;
    blocked += r.actions.filter((a) => !a.ran).length;
  }
  const seconds = (performance.now() - t0) / 1000;
  const result = {
    sessions: jobs.length,
    actions,
    seconds: Number(seconds.toFixed(3)),
    actionsPerS: Math.round(actions / seconds),
    blocked,
  };
  log(
    `replay: ${result.sessions} sessions, ${actions} actions in ${result.seconds} s: ${result.actionsPerS} actions/s`,
  );
  return result;
}
