/**
 * The context accumulator of one session (AARM R2): prior actions and results, labels and the highest sensitivity
 * level, the original request, identity, host-supplied context fields, drift, and provenance — behind the
 * SessionView that policies evaluate against, and recorded in a hash-chained log.
 */
import type { IdentityField, SessionView } from "../eval/env.js";
import { UNKNOWN, type Unknown } from "../eval/values.js";
import { History } from "./history.js";
import { hashJson } from "./hash.js";
import { ContextLog } from "./log.js";
import { ProvenanceIndex, textOf } from "./provenance.js";

function safeHash(v: unknown): string | null {
  try {
    return hashJson(v ?? null);
  } catch {
    return null;
  }
}

/** Identity attributes of a session (AARM R6). */
export interface Identity {
  readonly human?: string;
  readonly service?: string;
  readonly agent?: string;
  readonly session?: string;
  readonly role?: string;
  readonly scopes?: readonly string[];
  readonly delegation?: readonly string[];
}

export interface SessionInit {
  readonly id: string;
  readonly identity: Identity;
  readonly request?: string;
  readonly context?: Readonly<Record<string, unknown>>;
  readonly time: number;
}

/** Mutable session state; policies see it only through the SessionView methods. */
export class SessionState implements SessionView {
  readonly id: string;
  readonly log = new ContextLog();
  readonly history = new History();
  readonly provenanceIndex = new ProvenanceIndex();
  readonly #identity: Identity;
  readonly #context = new Map<string, unknown>();
  readonly #labels = new Set<string>();
  #request: string | Unknown;
  #level = 0;
  #drift: number | Unknown = UNKNOWN;

  constructor(init: SessionInit) {
    this.id = init.id;
    this.#identity = init.identity;
    this.#request = init.request ?? UNKNOWN;
    if (init.request !== undefined) this.provenanceIndex.add("request", init.request);
    for (const [k, v] of Object.entries(init.context ?? {})) this.#context.set(k, v);
    this.log.append("open", init.time, {
      session: init.id,
      identity: init.identity,
      request: init.request ?? null,
      context: init.context ?? {},
    });
  }

  get request(): string | Unknown {
    return this.#request;
  }
  get labels(): ReadonlySet<string> {
    return this.#labels;
  }
  get level(): number {
    return this.#level;
  }
  get drift(): number | Unknown {
    return this.#drift;
  }
  get actions(): number {
    return this.history.length;
  }
  get identityRecord(): Identity {
    return this.#identity;
  }

  identity(field: IdentityField): string | readonly string[] | Unknown {
    const v = this.#identity[field];
    return v === undefined ? UNKNOWN : v;
  }
  context(field: string): unknown {
    return this.#context.has(field) ? this.#context.get(field) : UNKNOWN;
  }
  seen(tools: readonly string[], since: number): boolean {
    return this.history.seen(tools, since);
  }
  count(tools: readonly string[], since: number): number {
    return this.history.count(tools, since);
  }
  sequence(steps: readonly (readonly string[])[], since: number): boolean {
    return this.history.sequence(steps, since);
  }
  provenance(value: unknown): ReadonlySet<string> {
    return this.provenanceIndex.sourcesOf(value);
  }

  /** Set a host-supplied context field (logged). */
  setContext(field: string, value: unknown, time: number): void {
    this.#context.set(field, value);
    this.log.append("context", time, { field, value });
  }

  /** Record an action that was allowed to run (it becomes history for later decisions). */
  recordAction(entry: { readonly id: string; readonly tool: string; readonly args: unknown; readonly decision: string }, time: number): void {
    this.history.push(entry.tool, time);
    this.log.append("action", time, entry);
  }

  /** Record a tool's result: provenance index, labels and level (already computed by the tag rules). */
  recordResult(
    entry: {
      readonly id: string;
      readonly tool: string;
      readonly output: unknown;
      /** Text the agent read with the output that the output does not hold (ToolOutcome.seen). */
      readonly seen?: string;
      readonly labels: readonly string[];
      readonly level: number;
    },
    time: number,
  ): void {
    const text = textOf(entry.output);
    this.provenanceIndex.add(`tool:${entry.tool}`, entry.seen === undefined ? text : `${text}\n${entry.seen}`);
    for (const l of entry.labels) this.#labels.add(l);
    if (entry.level > this.#level) this.#level = entry.level;
    // The log keeps the output's hash, not the output: bounded memory, and no second copy of sensitive data.
    this.log.append("result", time, {
      ...entry,
      output: undefined,
      outputHash: safeHash(entry.output),
      seen: undefined,
      ...(entry.seen !== undefined ? { seenHash: safeHash(entry.seen) } : {}),
    });
  }

  /** Update cumulative drift. */
  setDrift(d: number): void {
    this.#drift = d;
  }
}
