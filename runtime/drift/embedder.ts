/**
 * The embedder interface (text → vector) behind semantic drift, and a cache that lets an asynchronous embedder (a
 * model server, a remote API) serve the synchronous decision path: the host awaits `prepare` for the texts a
 * decision will need, and the decision reads them from the cache. A text that was not prepared has no vector yet,
 * so its drift is unknown and a rule that reads it DEFERs — never a silent ALLOW.
 */
import { DriftError, type Vector } from "./vector.js";

/** A synchronous embedder. `embed` returns undefined when the vector is not available yet (drift is then unknown). */
export interface Embedder {
  /** Identifies the model (and its version) in documentation, logs and receipts. */
  readonly id: string;
  embed(text: string): Vector | undefined;
  /** For embedders backed by asynchronous work: compute and keep the vectors of these texts. */
  prepare?(texts: readonly string[]): Promise<void>;
}

/** An asynchronous embedder, e.g. a call to a model server. */
export interface AsyncEmbedder {
  readonly id: string;
  embed(text: string): Promise<Vector>;
}

export interface CacheOptions {
  /** Most vectors kept; the least recently used go first. Default 10,000. */
  readonly capacity?: number;
}

/**
 * An Embedder over an AsyncEmbedder: `prepare(texts)` awaits the vectors and keeps them (least recently used out
 * first), `embed(text)` answers from the cache or undefined. A failed `prepare` rejects and caches nothing.
 */
export function cachedEmbedder(inner: AsyncEmbedder, options: CacheOptions = {}): Embedder {
  const capacity = options.capacity ?? 10_000;
  if (!Number.isInteger(capacity) || capacity < 1)
    throw new DriftError(`cache capacity must be a positive integer, got ${capacity}`);
  const cache = new Map<string, Vector>();
  return {
    id: inner.id,
    embed(text) {
      const v = cache.get(text);
      if (v !== undefined) {
        cache.delete(text); // re-insert: Map keeps insertion order, so the first key is the least recently used
        cache.set(text, v);
      }
      return v;
    },
    async prepare(texts) {
      const missing = [...new Set(texts)].filter((t) => !cache.has(t));
      const vectors = await Promise.all(missing.map((t) => inner.embed(t)));
      missing.forEach((t, i) => {
        cache.set(t, Float64Array.from(vectors[i]!));
        if (cache.size > capacity) cache.delete(cache.keys().next().value!);
      });
    },
  };
}
