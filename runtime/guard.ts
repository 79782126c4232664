/**
 * guard(): wrap a tool function so that it runs only when the policy says ALLOW or MODIFY (then with the modified
 * arguments), and never otherwise. The tool receives a copy of exactly the arguments the policy decided on. The
 * result is recorded so later decisions see it.
 */
import type { DecisionRecord, Session } from "./api.js";
import { cloneJson } from "./mediation/action.js";

/** Thrown to the caller of a guarded function when the action was not allowed to run. */
export class ActionBlocked extends Error {
  constructor(readonly decision: DecisionRecord) {
    super(`${decision.effect}: ${decision.reasons.join("; ")}`);
    this.name = "ActionBlocked";
  }
}

/** Wrap `fn` as the tool `tool` of `session`. */
export function guard<A extends Record<string, unknown>, R>(
  session: Session,
  tool: string,
  fn: (args: A) => R | Promise<R>,
): (args: A) => Promise<R> {
  return async (args: A) => {
    const d = session.decide({ tool, args });
    if (d.effect !== "ALLOW" && d.effect !== "MODIFY") throw new ActionBlocked(d);
    // Exactly the arguments that were decided on (a fresh copy, so the tool cannot alter the session's record),
    // never the caller's object, which a getter, a Proxy or a concurrent change could make say something else.
    const runArgs = cloneJson(d.effect === "MODIFY" ? d.modifiedArgs : d.action.args) as A;
    try {
      const out = await fn(runArgs);
      session.record(d.action.id, { output: out });
      return out;
    } catch (e) {
      session.record(d.action.id, { error: e instanceof Error ? e.message : String(e) });
      throw e;
    }
  };
}
