/**
 * Measuring a drift model on labelled recorded sessions (AgentDojo): every action's drift from the request and
 * the session's cumulative drift, as a tracker sees them in order (every recorded action ran). Benign sessions are
 * the negatives; attacks that succeeded, up to the action that achieved the attacker's goal, the positives.
 */
import { UNKNOWN } from "../runtime/eval/values.js";
import type { DriftModel } from "../runtime/drift/index.js";
import type { RecordedSession } from "./format.js";

/** The drifts of one session's actions. */
export interface SessionDrifts {
  readonly id: string;
  /** `suite/user_task`: sessions of one task share a request, so they are split together. */
  readonly task: string;
  readonly benign: boolean;
  /** 0-based index of the first action that achieved the attacker's goal; -1 if none. */
  readonly goal: number;
  /** Per action, its drift from the request. */
  readonly action: readonly number[];
  /** Per action, the session's cumulative drift including it. */
  readonly session: readonly number[];
}

/** Run a session's actions through a fresh tracker. Throws if a drift is unknown (the embedder needs preparing). */
export function measureSession(
  model: DriftModel,
  s: RecordedSession,
): Omit<SessionDrifts, "task" | "benign" | "goal"> {
  const tracker = model.open(s.request);
  const action: number[] = [];
  const session: number[] = [];
  for (const e of s.events) {
    if (e.kind !== "action") continue;
    const r = tracker.assess(e.id, e.tool, e.args);
    if (r.action === UNKNOWN || r.session === UNKNOWN)
      throw new Error(`${s.id}: drift of ${e.id} is unknown`);
    action.push(r.action);
    session.push(r.session);
    tracker.commit(e.id, e.tool, e.args);
  }
  return { id: s.id, action, session };
}

/** Whether an imported AgentDojo session is benign, a successful attack, or neither (not used). */
export function agentDojoClass(s: RecordedSession): "benign" | "attack" | null {
  const m = s.meta ?? {};
  if (m["kind"] === "benign") return "benign";
  if ((m["kind"] === "injection" || m["kind"] === "dos") && m["security"] === true) return "attack";
  return null;
}

/** Measure the benign sessions and the successful attacks among imported AgentDojo sessions. */
export function measureAgentDojo(model: DriftModel, sessions: readonly RecordedSession[]): SessionDrifts[] {
  const out: SessionDrifts[] = [];
  for (const s of sessions) {
    const c = agentDojoClass(s);
    if (c === null) continue;
    const actions = s.events.filter((e) => e.kind === "action");
    const goal = actions.findIndex((e) => e.meta?.["attacker_goal"] === true);
    const task = `${String(s.meta?.["suite"])}/${String(s.meta?.["user_task"])}`;
    out.push({ ...measureSession(model, s), task, benign: c === "benign", goal });
  }
  return out;
}

/** Scores for ROC analysis: positives are attacks with a goal action, scored up to and including it. */
export interface Scores {
  /** Per action: the goal action of each attack vs every action of benign sessions. */
  readonly action: { readonly pos: number[]; readonly neg: number[] };
  /** Per session: the highest cumulative drift (up to the goal in attacks). */
  readonly session: { readonly pos: number[]; readonly neg: number[] };
  /** Per session: the highest single-action drift (a running maximum), for comparison. */
  readonly runningMax: { readonly pos: number[]; readonly neg: number[] };
}

export function scores(ds: readonly SessionDrifts[]): Scores {
  const s: Scores = {
    action: { pos: [], neg: [] },
    session: { pos: [], neg: [] },
    runningMax: { pos: [], neg: [] },
  };
  const max = (xs: readonly number[]) => xs.reduce((a, b) => Math.max(a, b), 0);
  for (const d of ds) {
    if (d.benign) {
      s.action.neg.push(...d.action);
      s.session.neg.push(max(d.session));
      s.runningMax.neg.push(max(d.action));
    } else if (d.goal >= 0) {
      s.action.pos.push(d.action[d.goal]!);
      s.session.pos.push(max(d.session.slice(0, d.goal + 1)));
      s.runningMax.pos.push(max(d.action.slice(0, d.goal + 1)));
    }
  }
  return s;
}
