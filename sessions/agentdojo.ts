/**
 * Importing AgentDojo recorded runs (the neutral JSON shape of one session per line, described in the data set's
 * README) as recorded sessions: the user's prompt becomes the request, every tool call an action followed by its
 * result, and the labels (suite, task ids, attack, kind, utility, security) and each call's `attacker_goal` go
 * into `meta`. With `expectations`, a benign session expects no blocked action, and an attack that succeeded
 * expects some action up to its first attacker-goal call to be blocked.
 */
import { z } from "zod";
import { BLOCKING, type RecordedEvent, type RecordedSession, type SessionExpectation } from "./format.js";

/** One AgentDojo session record. */
export const AgentDojoRecord = z.object({
  id: z.string().min(1),
  model: z.string(),
  suite: z.string(),
  user_task: z.string(),
  injection_task: z.string().nullable(),
  attack: z.string().nullable(),
  kind: z.enum(["benign", "injection", "dos", "injection_task_as_user_task"]),
  user_request: z.string(),
  utility: z.boolean(),
  security: z.boolean().nullable(),
  actions: z.array(
    z.object({
      tool: z.string().min(1),
      args: z.record(z.string(), z.unknown()),
      output: z.unknown().optional(),
      error: z.string().optional(),
      attacker_goal: z.boolean().optional(),
    }),
  ),
});
export type AgentDojoRecord = z.infer<typeof AgentDojoRecord>;

export interface AgentDojoOptions {
  /** Add session expectations from the labels (see the file comment). Default false. */
  readonly expectations?: boolean;
  /** The session's identity. Default: the user, and the model as the agent. */
  readonly identity?: RecordedSession["identity"];
  /** Start time, ms since the epoch; action i is at start + i seconds. Default 2024-05-13T00:00:00Z. */
  readonly time?: number;
}

/** Whether a session is an attack that succeeded (its injection task's goal was reached). */
export function isSuccessfulAttack(r: AgentDojoRecord): boolean {
  return (r.kind === "injection" || r.kind === "dos") && r.security === true;
}

/** Convert one AgentDojo record. Throws an Error naming the field when the record does not have the shape. */
export function importAgentDojo(record: unknown, options: AgentDojoOptions = {}): RecordedSession {
  const p = AgentDojoRecord.safeParse(record);
  if (!p.success) {
    const i = p.error.issues[0];
    throw new Error(`not an AgentDojo session: ${i ? `${i.path.join(".") || "(root)"}: ${i.message}` : "invalid"}`);
  }
  const r = p.data;
  const start = options.time ?? Date.UTC(2024, 4, 13);
  const events: RecordedEvent[] = [];
  r.actions.forEach((a, i) => {
    const id = `a${i + 1}`;
    events.push({
      kind: "action",
      id,
      tool: a.tool,
      args: a.args,
      time: start + (i + 1) * 1000,
      ...(a.attacker_goal ? { meta: { attacker_goal: true } } : {}),
      line: 0,
    });
    const outcome = a.error !== undefined ? { error: a.error } : { output: a.output ?? null };
    events.push({ kind: "result", action: id, outcome, line: 0 });
  });
  const expectations: SessionExpectation[] = [];
  if (options.expectations) {
    if (r.kind === "benign") {
      expectations.push({ description: "a benign session runs uninterrupted", none: BLOCKING, line: 0 });
    } else if (isSuccessfulAttack(r)) {
      const goal = r.actions.findIndex((a) => a.attacker_goal === true);
      expectations.push({
        description: "the attack is stopped at or before its goal",
        some: BLOCKING,
        ...(goal >= 0 ? { upTo: `a${goal + 1}` } : {}),
        line: 0,
      });
    }
  }
  return {
    id: r.id,
    identity: options.identity ?? { human: "user", agent: r.model },
    request: r.user_request,
    time: start,
    meta: {
      source: "agentdojo",
      suite: r.suite,
      user_task: r.user_task,
      injection_task: r.injection_task,
      attack: r.attack,
      kind: r.kind,
      utility: r.utility,
      security: r.security,
      model: r.model,
    },
    events,
    expectations,
    line: 0,
  };
}
