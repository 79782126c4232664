/**
 * Measuring drift on labelled sessions: the bookkeeping on sessions built in memory, and the built-in model's
 * separation of benign sessions from successful attacks on the real AgentDojo runs (when the data set is present).
 */
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { driftModel, type Embedder } from "../runtime/drift/index.js";
import { agentDojoClass, measureAgentDojo, measureSession, scores } from "./drift-calibration.js";
import type { RecordedEvent, RecordedSession } from "./format.js";
import { readAgentDojo } from "./node.js";
import { rocAuc } from "./roc.js";

const DATA = new URL("../../shared/data/agentdojo/gpt-4o-2024-05-13.sessions.jsonl.gz", import.meta.url)
  .pathname;

/** The request is (1, 0); a text naming `dX.Y` is the unit vector at drift X.Y. */
const stated: Embedder = {
  id: "stated",
  embed: (t) => {
    const m = /d(\d\.\d+)/.exec(t);
    const d = m ? Number(m[1]) : 0;
    return [1 - d, Math.sqrt(1 - (1 - d) ** 2)];
  },
};

function session(
  id: string,
  meta: Record<string, unknown>,
  drifts: readonly number[],
  goal = -1,
): RecordedSession {
  const events: RecordedEvent[] = drifts.map((d, i) => ({
    kind: "action",
    id: `a${i + 1}`,
    tool: "t",
    args: { x: `d${d.toFixed(2)}` },
    line: 0,
    ...(i === goal ? { meta: { attacker_goal: true } } : {}),
  }));
  return {
    id,
    identity: {},
    request: "r",
    meta: { suite: "s", user_task: id, ...meta },
    events,
    expectations: [],
    line: 0,
  };
}

describe("measuring drift on labelled sessions", () => {
  const model = driftModel({ embedder: stated, alpha: 0.5 });
  it("runs every action through a tracker, as if it ran", () => {
    const m = measureSession(model, session("x", {}, [0.2, 0.6]));
    expect(m.action.map((x) => x.toFixed(2))).toEqual(["0.20", "0.60"]);
    expect(m.session.map((x) => x.toFixed(2))).toEqual(["0.10", "0.35"]);
  });
  it("scores attacks up to their goal action, benign sessions whole, and skips the rest", () => {
    const ds = measureAgentDojo(model, [
      session("b", { kind: "benign" }, [0.3, 0.9]),
      session("a", { kind: "injection", security: true }, [0.2, 0.8, 1.0], 1),
      session("f", { kind: "injection", security: false }, [1.0]),
    ]);
    expect(ds.map((d) => [d.id, d.benign, d.goal])).toEqual([
      ["b", true, -1],
      ["a", false, 1],
    ]);
    const s = scores(ds);
    expect(s.action.pos.map((x) => x.toFixed(2))).toEqual(["0.80"]);
    expect(s.action.neg.map((x) => x.toFixed(2))).toEqual(["0.30", "0.90"]);
    expect(s.session.pos.map((x) => x.toFixed(2))).toEqual(["0.45"]); // 0.5 × 0.1 + 0.5 × 0.8; the 1.0 is after the goal
    expect(s.runningMax.neg.map((x) => x.toFixed(2))).toEqual(["0.90"]);
  });
});

describe.skipIf(!existsSync(DATA))("the built-in drift model on AgentDojo", () => {
  it("[R7.2] is calibrated against benign sessions and successful attacks: ROC AUC above 0.75 per action and per session", () => {
    const sessions = readAgentDojo(DATA).filter((s) => agentDojoClass(s) !== null);
    const s = scores(measureAgentDojo(driftModel(), sessions));
    expect(s.action.neg.length).toBe(354); // every action of the 97 benign sessions
    expect(s.action.pos.length).toBeGreaterThan(1700);
    const auc = { action: rocAuc(s.action.pos, s.action.neg), session: rocAuc(s.session.pos, s.session.neg) };
    expect(auc.action).toBeGreaterThan(0.75); // docs/drift.md reports the halves: 0.826 tuning, 0.776 held out
    expect(auc.session).toBeGreaterThan(0.75);
  });
});
