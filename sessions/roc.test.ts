import { describe, expect, it } from "vitest";
import { chooseThreshold, ratesAt, rocAuc } from "./roc.js";

describe("rocAuc", () => {
  it("is 1 for a perfect score, 0 for a reversed one, 1/2 for ties", () => {
    expect(rocAuc([0.9, 0.8], [0.1, 0.2, 0.3])).toBe(1);
    expect(rocAuc([0.1], [0.5, 0.9])).toBe(0);
    expect(rocAuc([0.5, 0.5], [0.5])).toBe(0.5);
  });
  it("counts pairs: P(positive > negative) + P(tie) / 2", () => {
    // pairs: (0.4 vs 0.1) 1, (0.4 vs 0.4) ½, (0.4 vs 0.6) 0, (0.7 vs each) 1, 1, 1 → 4.5 / 6
    expect(rocAuc([0.4, 0.7], [0.1, 0.4, 0.6])).toBeCloseTo(4.5 / 6, 12);
    expect(rocAuc([], [1])).toBeNaN();
  });
});

describe("thresholds", () => {
  it("measures TPR and FPR of score > threshold", () => {
    expect(ratesAt(0.5, [0.4, 0.6, 0.9], [0.1, 0.7])).toEqual({ threshold: 0.5, tpr: 2 / 3, fpr: 1 / 2 });
  });
  it("chooses the threshold with the best TPR − FPR, within the FPR limit, rounded down", () => {
    const pos = [0.6, 0.7, 0.8, 0.95];
    const neg = [0.1, 0.2, 0.65, 0.9];
    // 0.4 (TPR 1, FPR ½) and 0.67 (TPR ¾, FPR ¼) tie at J = ½: the higher one interrupts less.
    expect(chooseThreshold(pos, neg)).toEqual({ threshold: 0.67, tpr: 0.75, fpr: 0.25 });
    expect(chooseThreshold(pos, neg, 0)).toEqual({ threshold: 0.92, tpr: 0.25, fpr: 0 });
  });
});
