/**
 * Receiver operating characteristic of a score that should be higher for positives than for negatives: the area
 * under the curve (the probability that a random positive outscores a random negative, ties counting one half),
 * and the true- and false-positive rates of a threshold (`score > threshold` flags).
 */

/** ROC AUC by the Mann–Whitney U statistic, with tied scores sharing their mean rank. NaN if a class is empty. */
export function rocAuc(positives: readonly number[], negatives: readonly number[]): number {
  if (positives.length === 0 || negatives.length === 0) return NaN;
  const all = [...positives.map((s) => ({ s, p: true })), ...negatives.map((s) => ({ s, p: false }))].sort(
    (a, b) => a.s - b.s,
  );
  let rankSum = 0;
  for (let i = 0; i < all.length;) {
    let j = i;
    while (j < all.length && all[j]!.s === all[i]!.s) j++;
    const meanRank = (i + 1 + j) / 2; // ranks i+1 .. j
    for (let k = i; k < j; k++) if (all[k]!.p) rankSum += meanRank;
    i = j;
  }
  const u = rankSum - (positives.length * (positives.length + 1)) / 2;
  return u / (positives.length * negatives.length);
}

/** Rates of the rule `score > threshold`. */
export interface Rates {
  readonly threshold: number;
  /** Share of positives flagged. */
  readonly tpr: number;
  /** Share of negatives flagged. */
  readonly fpr: number;
}

export function ratesAt(
  threshold: number,
  positives: readonly number[],
  negatives: readonly number[],
): Rates {
  const share = (xs: readonly number[]) =>
    xs.length === 0 ? NaN : xs.filter((x) => x > threshold).length / xs.length;
  return { threshold, tpr: share(positives), fpr: share(negatives) };
}

/**
 * The threshold, among the midpoints between distinct observed scores, that maximises TPR − FPR (Youden's J)
 * subject to FPR ≤ maxFpr; the highest such threshold on ties. Rounded down to two decimals, as a policy would
 * write it (rounding down flags at least as much).
 */
export function chooseThreshold(
  positives: readonly number[],
  negatives: readonly number[],
  maxFpr = 1,
): Rates {
  const xs = [...new Set([...positives, ...negatives])].sort((a, b) => a - b);
  const candidates = [xs[0]! - 1e-9, ...xs.slice(1).map((x, i) => (x + xs[i]!) / 2)].map(
    (t) => Math.floor(t * 100) / 100,
  );
  let best: Rates | undefined;
  for (const t of candidates) {
    const r = ratesAt(t, positives, negatives);
    if (r.fpr > maxFpr) continue;
    if (
      !best ||
      r.tpr - r.fpr > best.tpr - best.fpr ||
      (r.tpr - r.fpr === best.tpr - best.fpr && t > best.threshold)
    )
      best = r;
  }
  return best ?? ratesAt(1, positives, negatives);
}
