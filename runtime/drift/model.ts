/**
 * A drift model (AARM R7): an embedder, the tools' descriptions, and how cumulative drift is aggregated. One model
 * serves many sessions; `open` gives each session its tracker. Pass it as the `drift` session option and the
 * policy's `drift` and `session.drift` become known values.
 */
import type { Embedder } from "./embedder.js";
import { hashedEmbedder } from "./hashed.js";
import { renderAction } from "./text.js";
import { DriftTracker } from "./tracker.js";
import { cosineDistance, DriftError, type Vector } from "./vector.js";

/** A tool as MCP `tools/list` describes it (other fields are ignored). */
export interface ToolDescription {
  readonly name: string;
  readonly description?: string;
}

export interface DriftModelOptions {
  /** Default: the built-in hashed embedder (hashedEmbedder()). */
  readonly embedder?: Embedder;
  /** The tools' descriptions, whose words join each action's rendering. */
  readonly tools?: readonly ToolDescription[];
  /** Weight of the newest action in the session's moving average, in (0, 1]. Default 0.7 (see docs/drift.md). */
  readonly alpha?: number;
}

/** A drift model; build it with driftModel(). */
export class DriftModel {
  readonly embedder: Embedder;
  readonly alpha: number;
  readonly #descriptions = new Map<string, string>();

  constructor(options: DriftModelOptions = {}) {
    this.embedder = options.embedder ?? hashedEmbedder();
    this.alpha = options.alpha ?? 0.7;
    if (!(this.alpha > 0 && this.alpha <= 1))
      throw new DriftError(`alpha must be in (0, 1], got ${options.alpha}`);
    for (const t of options.tools ?? []) {
      if (typeof t?.name !== "string") throw new DriftError("every tool needs a name");
      if (typeof t.description === "string") this.#descriptions.set(t.name, t.description);
    }
  }

  /** The text an action is embedded as. */
  describe(tool: string, args: Readonly<Record<string, unknown>>): string {
    return renderAction(tool, args, this.#descriptions.get(tool));
  }

  /** An action's drift from an embedded request, or undefined while the embedder has no vector for the action. */
  distanceTo(request: Vector, tool: string, args: Readonly<Record<string, unknown>>): number | undefined {
    const v = this.embedder.embed(this.describe(tool, args));
    return v === undefined ? undefined : cosineDistance(request, v);
  }

  /** Start tracking a session opened with this request (undefined: drift stays unknown). */
  open(request: string | undefined): DriftTracker {
    return new DriftTracker(this, request);
  }

  /**
   * For an embedder with asynchronous work (cachedEmbedder): compute the vectors a decision will need — the request
   * once, then each action before it is decided. A no-op for synchronous embedders.
   */
  async prepare(texts: {
    readonly request?: string;
    readonly actions?: readonly { readonly tool: string; readonly args: Readonly<Record<string, unknown>> }[];
  }): Promise<void> {
    const all = [
      ...(texts.request !== undefined ? [texts.request] : []),
      ...(texts.actions ?? []).map((a) => this.describe(a.tool, a.args)),
    ];
    await this.embedder.prepare?.(all);
  }
}

/** Build a drift model. Throws a DriftError on invalid options. */
export function driftModel(options: DriftModelOptions = {}): DriftModel {
  return new DriftModel(options);
}
