/**
 * Dependencies between the actions of one session (AARM R4: "Dependent actions (those relying on a deferred
 * action's output) must also be deferred; independent actions should proceed without blocking; cascading
 * deferrals bounded by a configurable limit"). docs/enforcement.md states the rules:
 *
 * - An action *depends on* the actions whose output it uses. A deferred action has produced no output yet, so no
 *   argument value can be traced to it by provenance; the host says what an action uses (`dependsOn`: the ids
 *   of earlier actions of the session, e.g. the tool calls whose results an agent's next call quotes).
 * - An action that depends on an action that is *held* (awaiting approval, deferred, or itself held on a
 *   dependency) is held too: deferred with the trigger "dependency". One that depends only on actions that ran
 *   (or are running: it waits for their output) proceeds; one that depends on a denied action is denied (its input
 *   will never exist); a dependency on an id this session never saw is denied (fail closed).
 * - Cascade depth: a held action has depth 1 + the greatest depth of the held actions it depends on (a policy
 *   DEFER or STEP_UP has depth 1). Beyond the limit the action is denied.
 * - Order: actions held on a common action are released in the order they were submitted; each is decided (and
 *   its tool started) before the next one is released.
 */

/** Where an action of the session stands. */
export type ActionState = "running" | "held" | "ran" | "denied";

/** How a held action ended. */
export type Settlement = "ran" | "denied";

interface Entry {
  state: ActionState;
  depth: number;
  readonly settled: Promise<Settlement>;
  readonly settle: (s: Settlement) => void;
  /** The last dependent released after this action: the next waits for it to start. */
  tail: Promise<void>;
}

/** What a new action's dependencies mean for it. */
export type DependencyCheck =
  | { readonly kind: "free"; readonly wait: readonly string[] }
  | { readonly kind: "held"; readonly on: readonly string[]; readonly depth: number }
  | { readonly kind: "denied"; readonly id: string; readonly reason: string };

/** A held dependent's release: wait for `gate`, then call `started` once it was decided (or denied). */
export interface Release {
  readonly gate: Promise<{ readonly ok: true } | { readonly ok: false; readonly denied: string }>;
  readonly started: () => void;
}

/** The dependency state of one session's actions. */
export class Dependencies {
  readonly #entries = new Map<string, Entry>();

  constructor(readonly maxDepth: number) {}

  /** Track an action from its submission on. `depth`: 0 unless it is held. */
  track(id: string, state: ActionState, depth = 0): void {
    let settle!: (s: Settlement) => void;
    const settled = new Promise<Settlement>((r) => (settle = r));
    const entry: Entry = { state, depth, settled, settle, tail: settled.then(() => undefined) };
    if (state === "ran" || state === "denied") settle(state);
    this.#entries.set(id, entry);
  }

  /** The state of an action, or undefined if this session never saw it. */
  state(id: string): ActionState | undefined {
    return this.#entries.get(id)?.state;
  }

  /** Mark an action held (awaiting approval or deferred) at a depth. */
  hold(id: string, depth: number): void {
    const e = this.#entries.get(id);
    if (!e) return;
    e.state = "held";
    e.depth = depth;
  }

  /** The action ran (its output is recorded) or was denied: its dependents may go on. */
  settle(id: string, s: Settlement): void {
    const e = this.#entries.get(id);
    if (!e || e.state === "ran" || e.state === "denied") return;
    e.state = s;
    e.settle(s);
  }

  /** The depth of a held action (0 if it is not held). */
  depth(id: string): number {
    const e = this.#entries.get(id);
    return e?.state === "held" ? e.depth : 0;
  }

  /** What the dependencies of a new action mean for it. */
  check(dependsOn: readonly string[]): DependencyCheck {
    const held: string[] = [];
    const wait: string[] = [];
    let depth = 0;
    for (const id of dependsOn) {
      const e = this.#entries.get(id);
      if (!e)
        return {
          kind: "denied",
          id,
          reason: `it depends on '${id}', which is not an action of this session`,
        };
      if (e.state === "denied")
        return { kind: "denied", id, reason: `it depends on '${id}', which was denied` };
      if (e.state === "held") {
        held.push(id);
        depth = Math.max(depth, e.depth);
      } else if (e.state === "running") wait.push(id);
    }
    return held.length > 0 ? { kind: "held", on: held, depth: depth + 1 } : { kind: "free", wait };
  }

  /** Register a dependent held on `on`, released in submission order after them. */
  release(dependsOn: readonly string[]): Release {
    const entries = dependsOn.map((id) => this.#entries.get(id)).filter((e): e is Entry => e !== undefined);
    const before = entries.map((e) => e.tail);
    let started!: () => void;
    const start = new Promise<void>((r) => (started = r));
    for (const e of entries) e.tail = e.tail.then(() => start);
    const gate = (async () => {
      const results = await Promise.all(entries.map((e) => e.settled));
      await Promise.all(before);
      const i = results.indexOf("denied");
      return i < 0 ? ({ ok: true } as const) : ({ ok: false, denied: dependsOn[i]! } as const);
    })();
    return { gate, started };
  }

  /** Wait until running dependencies have finished (their output is recorded). */
  async finished(ids: readonly string[]): Promise<void> {
    await Promise.all(ids.map((id) => this.#entries.get(id)?.settled));
  }
}
