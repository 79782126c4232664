/**
 * Vectors and the distance AARM R7 defines between two of them: d(r₀, aₙ) = 1 − cosine(embed(r₀), embed(aₙ)).
 */

/** A dense embedding vector. */
export type Vector = ArrayLike<number>;

/** Raised for vectors the distance cannot be computed on (a broken embedder); the decision then fails closed. */
export class DriftError extends Error {}

/**
 * 1 − cosine similarity, clamped to [0, 1]: vectors pointing in opposite directions (possible with embedders whose
 * components may be negative) count as fully drifted, like orthogonal ones. A zero vector shares nothing with
 * anything, so its distance is 1 — the conservative answer, never 0.
 */
export function cosineDistance(a: Vector, b: Vector): number {
  if (a.length !== b.length)
    throw new DriftError(`vectors of different dimensions (${a.length} and ${b.length})`);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  if (!Number.isFinite(dot) || !Number.isFinite(na) || !Number.isFinite(nb)) {
    throw new DriftError("the embedding has a component that is not a finite number");
  }
  if (na === 0 || nb === 0) return 1;
  const d = 1 - dot / Math.sqrt(na * nb);
  return Math.min(1, Math.max(0, d));
}
