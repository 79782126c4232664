/**
 * Decision latency: for every policy size and history length, the same pool of requests decided by the compiled
 * evaluator, the reference interpreter and Cedar (the rules translated to Cedar, the session facts precomputed into
 * its context), measured side by side; decisions of aarm and Cedar are compared request by request. Also the probe
 * tool (five rules whatever the policy size) and the whole `session.decide` call (input validation, the
 * hash-chained context log, history).
 */
import * as cedar from "@cedar-policy/cedar-wasm/nodejs";
import { setFlagsFromString } from "node:v8";
import type { Policy } from "../../runtime/api.js";
import { cycling, type Latency, measureSideBySide, type Timing } from "../measure.js";
import { compileBench, loadBoth } from "../workload/load.js";
import { generatePolicy, toolName } from "../workload/policy.js";
import { buildSession, canonical, cedarCall, makeRequests, type BenchRequest } from "../workload/session.js";

export interface DecideConfig {
  readonly rules: readonly number[];
  readonly histories: readonly number[];
  readonly pool: number;
  /** How many requests of the pool are also decided by Cedar and compared (Cedar takes ms per call at 10k rules). */
  readonly agreement: number;
  readonly timing: Timing;
  readonly rounds: number;
}

export interface DecideRow {
  readonly rules: number;
  readonly history: number;
  readonly compiled: Latency;
  readonly interpreter: Latency;
  readonly cedar: Latency;
  /** Cedar with an empty policy set: the cost of crossing into Wasm and parsing the request, entities and context. */
  readonly cedarBoundary: Latency;
  /** Compiled evaluator, requests on the probe tool t00 only (it has five rules in every policy). */
  readonly probe: Latency;
  /** `session.decide` end to end with the compiled evaluator (the session grows while it is measured). */
  readonly session: Latency;
  /** Cedar's median over aarm's (compiled). */
  readonly cedarOverAarm: number;
  /** Interpreter's median over the compiled evaluator's. */
  readonly interpreterOverCompiled: number;
  /** aarm's decisions over the pool; how many of the `compared` first ones Cedar decided the same way. */
  readonly decisions: {
    readonly allow: number;
    readonly deny: number;
    readonly compared: number;
    readonly agreeWithCedar: number;
  };
}

// Node 20.20's V8 aborts ("unreachable code" in the deoptimizer) when an optimized function that inlined a call
// into Cedar's Wasm is lazily deoptimized. Not inlining JS→Wasm calls avoids it; it changes nothing for aarm, whose
// evaluator is plain JavaScript, and adds at most a call's overhead to Cedar's hundreds of microseconds.
setFlagsFromString("--no-turbo-inline-js-wasm-calls");

const EMPTY_SET = "bench-empty";

type CedarAnswer =
  | { readonly type: "success"; readonly response: { readonly decision: "allow" | "deny" } }
  | { readonly type: "failure"; readonly errors: readonly { readonly message: string }[] };

/** Cedar's call for a request against a preparsed policy set (built before timing, not inside the timed call). */
function cedarCallFor(call: object, set: string): object {
  return { ...call, preparsedPolicySetId: set };
}

function cedarDecide(call: object): "allow" | "deny" {
  const a = cedar.statefulIsAuthorized(call as never) as unknown as CedarAnswer;
  if (a.type !== "success") throw new Error(`Cedar failed: ${a.errors.map((e) => e.message).join("; ")}`);
  return a.response.decision;
}

async function measureOne(
  policies: { compiled: Policy; interpreted: Policy },
  setId: string,
  sequences: ReturnType<typeof generatePolicy>["sequences"],
  rules: number,
  history: number,
  config: DecideConfig,
): Promise<DecideRow> {
  const { session, now } = buildSession(policies.compiled, history);
  const requests: BenchRequest[] = makeRequests(config.pool, history);
  const actions = requests.map((r, i) => canonical(session, r, now, i));
  const cedarCalls = requests.map((r) => cedarCall(session, r, now, sequences));
  const calls = cedarCalls.map((c) => cedarCallFor(c, setId));
  const emptyCalls = cedarCalls.map((c) => cedarCallFor(c, EMPTY_SET));
  const probeActions = makeRequests(config.pool, history, { seed: 29, tools: [toolName(0)] }).map((r, i) =>
    canonical(session, r, now, i),
  );
  // Same decisions? (aarm's only effects here are ALLOW and DENY: the generated policies have no unknowns.)
  let allow = 0;
  let agree = 0;
  actions.forEach((a, i) => {
    const mine = policies.compiled.decideIn(session.state, a).effect;
    const theirs = policies.interpreted.decideIn(session.state, a).effect;
    if (mine !== theirs)
      throw new Error(`compiled and interpreted decisions differ on request ${i}: ${mine} vs ${theirs}`);
    if (mine === "ALLOW") allow++;
    if (i < config.agreement && (mine === "ALLOW" ? "allow" : "deny") === cedarDecide(calls[i]!))
      agree++;
  });
  const compared = Math.min(config.agreement, actions.length);
  const state = session.state;
  const lat = await measureSideBySide(
    {
      compiled: cycling(actions, (a) => policies.compiled.decideIn(state, a)),
      interpreter: cycling(actions, (a) => policies.interpreted.decideIn(state, a)),
      cedar: cycling(calls, cedarDecide),
      cedarBoundary: cycling(emptyCalls, cedarDecide),
      probe: cycling(probeActions, (a) => policies.compiled.decideIn(state, a)),
    },
    config.timing,
    config.rounds,
  );
  // Last, because it changes the session: each allowed action enters its history and every decision its log.
  let n = 0;
  const sessionLat = await measureSideBySide(
    {
      session: cycling(requests, (r) =>
        session.decide({ id: `s${++n}`, tool: r.tool, args: r.args, time: now }),
      ),
    },
    // No long pre-warm here: every call adds an action to the session.
    { ...config.timing, preWarmMs: 0 },
    1,
  );
  const compiled = lat["compiled"]!;
  return {
    rules,
    history,
    compiled,
    interpreter: lat["interpreter"]!,
    cedar: lat["cedar"]!,
    cedarBoundary: lat["cedarBoundary"]!,
    probe: lat["probe"]!,
    session: sessionLat["session"]!,
    cedarOverAarm: Number((lat["cedar"]!.p50Us / compiled.p50Us).toFixed(2)),
    interpreterOverCompiled: Number((lat["interpreter"]!.p50Us / compiled.p50Us).toFixed(2)),
    decisions: { allow, deny: actions.length - allow, compared, agreeWithCedar: agree },
  };
}

/** Run the decision benchmark over every policy size and history length. */
export async function decideSuite(config: DecideConfig, log: (s: string) => void): Promise<DecideRow[]> {
  const rows: DecideRow[] = [];
  cedar.preparsePolicySet(EMPTY_SET, { staticPolicies: "" });
  for (const rules of config.rules) {
    const g = generatePolicy(rules);
    const policies = await loadBoth(compileBench(g.aarm));
    const setId = `bench-${rules}`;
    const parsed = cedar.preparsePolicySet(setId, { staticPolicies: g.cedar }) as {
      type: string;
      errors?: unknown;
    };
    if (parsed.type !== "success")
      throw new Error(`Cedar refused the translated policies: ${JSON.stringify(parsed.errors)}`);
    for (const history of config.histories) {
      const row = await measureOne(policies, setId, g.sequences, rules, history, config);
      log(
        `decide ${rules} rules, history ${history}: aarm p50 ${row.compiled.p50Us} µs p99 ${row.compiled.p99Us} µs; ` +
          `interpreter ${row.interpreter.p50Us} µs; Cedar ${row.cedar.p50Us} µs (×${row.cedarOverAarm}, empty set ${row.cedarBoundary.p50Us} µs); probe ${row.probe.p50Us} µs; ` +
          `session.decide ${row.session.p50Us} µs; agree ${row.decisions.agreeWithCedar}/${row.decisions.compared}`,
      );
      rows.push(row);
    }
  }
  return rows;
}
