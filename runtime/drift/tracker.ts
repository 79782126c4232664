/**
 * Cumulative drift of one session: an exponential moving average of the drift of the actions that ran,
 *
 *   s₀ = 0,   sₙ = (1 − α)·sₙ₋₁ + α·dₙ
 *
 * where dₙ is the n-th executed action's distance from the request. Why an average and not a running maximum: the
 * maximum of drifts that each stay under the per-action threshold stays under it too, so it cannot see a session
 * that keeps doing moderately unrelated things; the average climbs towards a sustained level, one step at a time,
 * and forgets an isolated excursion. With a session threshold below the per-action one (e.g. `drift > 0.8` and
 * `session.drift > 0.6`), a single large jump trips the first and a run of moderate steps trips the second.
 *
 * While an action is being decided, `session.drift` already includes it (the value the session would reach if it
 * ran), so the action that pushes the session over the threshold is the one stopped. Only actions that run
 * (ALLOW, MODIFY, an approved STEP_UP, a resolved DEFER) enter the average, like history: deciding an action twice
 * (a DEFER decided again) does not count it twice.
 */
import { UNKNOWN, type Unknown } from "../eval/values.js";
import type { DriftModel } from "./model.js";
import type { Vector } from "./vector.js";

/** The drift of one action and of the session with it. */
export interface DriftReading {
  /** This action's distance from the request (0..1), or UNKNOWN. */
  readonly action: number | Unknown;
  /** The session's cumulative drift including this action, or UNKNOWN. */
  readonly session: number | Unknown;
}

/** Readings kept between a decision and the moment its action runs. */
const KEEP = 256;

/** The per-session state of a drift model; made by DriftModel.open. */
export class DriftTracker {
  #value: number | Unknown;
  #request: Vector | undefined;
  readonly #readings = new Map<string, number | Unknown>();
  readonly #ran = new Map<string, number | Unknown>();
  /** Actions that ran while their drift could not be computed (an embedder not prepared): not in the average. */
  unassessed = 0;

  constructor(
    readonly model: DriftModel,
    readonly request: string | undefined,
  ) {
    this.#value = request === undefined ? UNKNOWN : 0;
  }

  /** The cumulative drift of the actions that ran (0 before any), or UNKNOWN without a request. */
  get value(): number | Unknown {
    return this.#value;
  }

  #distance(tool: string, args: Readonly<Record<string, unknown>>): number | Unknown {
    if (this.request === undefined) return UNKNOWN;
    this.#request ??= this.model.embedder.embed(this.request);
    if (this.#request === undefined) return UNKNOWN;
    return this.model.distanceTo(this.#request, tool, args) ?? UNKNOWN;
  }

  #next(d: number | Unknown): number | Unknown {
    if (d === UNKNOWN || this.#value === UNKNOWN) return UNKNOWN;
    return (1 - this.model.alpha) * this.#value + this.model.alpha * d;
  }

  /** Drift of an action about to be decided. Throws a DriftError if the embedder is broken. */
  assess(id: string, tool: string, args: Readonly<Record<string, unknown>>): DriftReading {
    const d = this.#distance(tool, args);
    this.#readings.delete(id);
    this.#readings.set(id, d);
    if (this.#readings.size > KEEP) this.#readings.delete(this.#readings.keys().next().value!);
    return { action: d, session: this.#next(d) };
  }

  /**
   * The action ran: it enters the average. Returns the new cumulative drift. Never throws: an action whose drift
   * cannot be computed now (embedder not prepared, or failing) is counted in `unassessed` and left out.
   */
  commit(id: string, tool: string, args: Readonly<Record<string, unknown>>): number | Unknown {
    const kept = this.#readings.get(id);
    this.#readings.delete(id);
    let d = kept;
    if (d === undefined || d === UNKNOWN) {
      try {
        d = this.#distance(tool, args);
      } catch {
        d = UNKNOWN;
      }
    }
    this.#ran.set(id, d);
    if (this.#ran.size > KEEP) this.#ran.delete(this.#ran.keys().next().value!);
    if (d === UNKNOWN) {
      if (this.#value !== UNKNOWN) this.unassessed++;
      return this.#value;
    }
    this.#value = this.#next(d);
    return this.#value;
  }

  /** The drift of an action that ran, for classifying its result (tag rules may read `drift`); then forgotten. */
  ranDrift(id: string): number | Unknown {
    const d = this.#ran.get(id);
    this.#ran.delete(id);
    return d ?? UNKNOWN;
  }
}
