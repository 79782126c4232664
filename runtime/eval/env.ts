/**
 * What an expression can see while it is evaluated: the action and a read-only view of the session.
 * The session side is an interface so that the reference interpreter, the generated evaluator and tests all
 * evaluate against exactly the same view.
 */
import type { Unknown } from "./values.js";

export type IdentityField = "human" | "service" | "agent" | "session" | "role" | "scopes" | "delegation";

/** The session as the policy sees it at decision time. */
export interface SessionView {
  /** The user's original request, or UNKNOWN when the session was opened without one. */
  readonly request: string | Unknown;
  /** An identity attribute, or UNKNOWN when it was not asserted. */
  identity(field: IdentityField): string | readonly string[] | Unknown;
  /** Labels gathered from results so far. */
  readonly labels: ReadonlySet<string>;
  /** Rank of the highest sensitivity level reached (0 when nothing has been read). */
  readonly level: number;
  /** Cumulative drift of the session (0..1), or UNKNOWN without an embedder. */
  readonly drift: number | Unknown;
  /** Number of prior actions. */
  readonly actions: number;
  /** A host-supplied context field, or UNKNOWN while it is not set. */
  context(field: string): unknown;
  /** An earlier action on one of the tools, at or after `since` (ms; -Infinity for the whole session). */
  seen(tools: readonly string[], since: number): boolean;
  /** How many earlier actions on the tools, at or after `since`. */
  count(tools: readonly string[], since: number): number;
  /** Earlier actions matched the steps in order, the first at or after `since`. */
  sequence(steps: readonly (readonly string[])[], since: number): boolean;
  /**
   * Where a value came from: "request" if it occurs in the original request, "tool:<name>" for each earlier tool
   * output it occurs in. A list's sources are those every element came from.
   */
  provenance(value: unknown): ReadonlySet<string>;
}

/** Everything one evaluation sees. */
export interface EvalEnv {
  readonly tool: string;
  readonly args: Readonly<Record<string, unknown>>;
  /** The action's time, ms since the epoch. */
  readonly now: number;
  readonly session: SessionView;
  /** This action's drift from the request (0..1), or UNKNOWN. */
  readonly drift: number | Unknown;
  /** The tool's output, inside tag rules only. */
  readonly result?: unknown;
}
