/**
 * Replaying a recorded session through a loaded policy: open a runtime session with the recorded identity, request
 * and context; then, in order, decide each action at its time, record the result of each action the policy let
 * run (so later decisions see its labels and provenance), and set context fields. Each action's expected decision
 * and the session's expectations are checked; what failed is returned, never thrown.
 */
import type { DecisionRecord, Policy, Session } from "../runtime/api.js";
import type { DriftModel } from "../runtime/drift/index.js";
import { BLOCKING, type Effect, type RecordedAction, type RecordedSession, type SessionExpectation } from "./format.js";

/** Where a session without a `time` starts: 2025-01-01T00:00:00Z. */
export const DEFAULT_START = Date.UTC(2025, 0, 1);

/** One decided action. */
export interface ReplayedAction {
  /** 1-based position among the session's actions. */
  readonly index: number;
  readonly action: RecordedAction;
  readonly decision: DecisionRecord;
  /** Whether the tool ran (its result, if recorded, reached the session). */
  readonly ran: boolean;
}

/** An expectation that did not hold. */
export interface ReplayFailure {
  readonly session: string;
  /** Line of the action or expect record (0 when built in memory). */
  readonly line: number;
  /** The action at fault, when it is about one action. */
  readonly action?: ReplayedAction;
  readonly message: string;
}

export interface SessionReplay {
  readonly session: RecordedSession;
  readonly actions: readonly ReplayedAction[];
  readonly failures: readonly ReplayFailure[];
  /** Number of expectations checked (per-action `expect`/`expectRules` and session `expect` records). */
  readonly checks: number;
}

export interface ReplayOptions {
  /** Called with the live session just before an action is decided (e.g. to trace every rule against its state). */
  readonly beforeDecide?: (session: Session, action: RecordedAction, time: number, index: number) => void;
  /** Stop after deciding the action with this 1-based index. */
  readonly stopAfter?: number;
  /** A drift model for the session (runtime/drift), so that `drift` and `session.drift` are known. */
  readonly drift?: DriftModel;
}

const RUNS: readonly Effect[] = ["ALLOW", "MODIFY"];

function checkAction(s: RecordedSession, r: ReplayedAction): ReplayFailure[] {
  const out: ReplayFailure[] = [];
  const a = r.action;
  const d = r.decision;
  if (a.expect !== undefined && d.effect !== a.expect) {
    out.push({ session: s.id, line: a.line, action: r, message: `expected ${a.expect}, got ${d.effect}` });
  }
  const missing = (a.expectRules ?? []).filter((id) => !d.ruleIds.includes(id));
  if (missing.length > 0) {
    out.push({ session: s.id, line: a.line, action: r, message: `expected rule(s) ${missing.join(", ")} among the deciding rules, got ${d.ruleIds.join(", ") || "none"}` });
  }
  return out;
}

function checkSession(s: RecordedSession, e: SessionExpectation, actions: readonly ReplayedAction[]): ReplayFailure[] {
  const end = e.upTo === undefined ? actions.length : actions.findIndex((r) => r.action.id === e.upTo) + 1;
  const scope = actions.slice(0, end);
  const what = e.description ? ` (${e.description})` : "";
  const where = e.upTo === undefined ? "" : ` up to action '${e.upTo}'`;
  const out: ReplayFailure[] = [];
  const fail = (message: string, action?: ReplayedAction) => out.push({ session: s.id, line: e.line, message: message + what, ...(action ? { action } : {}) });
  if (e.none) {
    const hit = scope.find((r) => e.none!.includes(r.decision.effect));
    if (hit) fail(`expected no action${where} to be ${e.none.join("/")}, but action '${hit.action.id}' (${hit.action.tool}) was ${hit.decision.effect}`, hit);
  }
  if (e.some && !scope.some((r) => e.some!.includes(r.decision.effect))) {
    fail(`expected some action${where} to be ${e.some.join("/")}; got ${scope.map((r) => r.decision.effect).join(", ") || "no actions"}`);
  }
  for (const id of e.rules ?? []) {
    if (!actions.some((r) => r.decision.ruleIds.includes(id))) fail(`expected rule '${id}' to decide some action, but it decided none`);
  }
  return out;
}

/** Replay one session. Throws only if the policy refuses the session's identity or context (a PolicyLoadError). */
export function replaySession(policy: Policy, s: RecordedSession, options: ReplayOptions = {}): SessionReplay {
  const session = policy.openSession({
    id: s.id,
    identity: s.identity,
    ...(s.request !== undefined ? { request: s.request } : {}),
    ...(s.context !== undefined ? { context: s.context } : {}),
    ...(options.drift !== undefined ? { drift: options.drift } : {}),
  });
  const actions: ReplayedAction[] = [];
  const byId = new Map<string, ReplayedAction>();
  const failures: ReplayFailure[] = [];
  let checks = 0;
  let time = s.time ?? DEFAULT_START;
  for (const e of s.events) {
    if (options.stopAfter !== undefined && actions.length >= options.stopAfter) break;
    if (e.kind === "context") session.setContext(e.field, e.value);
    else if (e.kind === "result") {
      const r = byId.get(e.action);
      if (r?.ran) session.record(r.decision.action.id, e.outcome);
    } else {
      time = e.time ?? (actions.length === 0 ? time : time + 1000);
      options.beforeDecide?.(session, e, time, actions.length + 1);
      const decision = session.decide({ id: e.id, tool: e.tool, args: e.args, time });
      const r: ReplayedAction = { index: actions.length + 1, action: e, decision, ran: RUNS.includes(decision.effect) };
      actions.push(r);
      byId.set(e.id, r);
      checks += (e.expect !== undefined ? 1 : 0) + (e.expectRules !== undefined ? 1 : 0);
      failures.push(...checkAction(s, r));
    }
  }
  if (options.stopAfter === undefined) {
    for (const x of s.expectations) {
      checks += 1;
      failures.push(...checkSession(s, x, actions));
    }
  }
  return { session: s, actions, failures, checks };
}

export { BLOCKING };
