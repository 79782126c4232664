/**
 * Drawing random choices from a fast-check `gen()` value, so that generated policies and sessions shrink.
 */
import fc from "fast-check";

/** Random choices. */
export interface Draw {
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(xs: readonly T[]): T;
  /** True with probability p. */
  chance(p: number): boolean;
  /** Up to `max` distinct elements of xs (at least `min`), in xs order. */
  some<T>(xs: readonly T[], min: number, max: number): T[];
}

/** A Draw backed by fast-check's imperative generator. */
export function drawFrom(g: fc.GeneratorValue): Draw {
  // Unbiased: fast-check's default bias towards small values would make every `chance(p)` far likelier than p.
  const int = (min: number, max: number): number =>
    g((lo: number, hi: number) => fc.noBias(fc.integer({ min: lo, max: hi })), min, max);
  const d: Draw = {
    int,
    pick: <T>(xs: readonly T[]): T => {
      if (xs.length === 0) throw new Error("pick from an empty list");
      return xs[int(0, xs.length - 1)]!;
    },
    chance: (p) => int(0, 999) < p * 1000,
    some: <T>(xs: readonly T[], min: number, max: number): T[] => {
      const n = int(Math.min(min, xs.length), Math.min(max, xs.length));
      const idx = new Set<number>();
      while (idx.size < n) idx.add(int(0, xs.length - 1));
      return [...idx].sort((a, b) => a - b).map((i) => xs[i]!);
    },
  };
  return d;
}

/** An aarm string literal: JSON escapes, everything outside printable ASCII as \uXXXX. */
export function lit(s: string): string {
  return JSON.stringify(s).replace(
    /[^\x20-\x7e]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
