import { describe, expect, it } from "vitest";
import { closest, didYouMean, editDistance, listNames } from "./suggest.js";

describe("editDistance", () => {
  it("counts insertions, deletions, substitutions and adjacent transpositions", () => {
    expect(editDistance("recipent", "recipient")).toBe(1);
    expect(editDistance("recieve", "receive")).toBe(1);
    expect(editDistance("abc", "xyz")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
  });
});

describe("closest", () => {
  it("suggests only close candidates", () => {
    expect(closest("recipent", ["amount", "recipient", "currency"])).toBe("recipient");
    expect(closest("xyz", ["amount", "recipient"])).toBeUndefined();
    expect(closest("ab", ["ax", "zz"])).toBe("ax");
  });
  it("ignores case when measuring, and prefers the alphabetically first on ties", () => {
    expect(closest("pii", ["PII", "PHI"])).toBe("PII");
    expect(closest("bat", ["cat", "bar"])).toBe("bar");
  });
  it("never suggests the name itself", () => {
    expect(closest("a", ["a"])).toBeUndefined();
  });
});

describe("didYouMean and listNames", () => {
  it("formats the suggestion hole", () => {
    expect(didYouMean("lables", ["labels", "level"])).toBe("; did you mean 'labels'?");
    expect(didYouMean("zzz", ["labels"])).toBe("");
  });
  it("shortens long lists", () => {
    expect(listNames(["a", "b"])).toBe("a, b");
    expect(listNames("abcdefghij".split(""), 3)).toBe("a, b, c, ... (10 in all)");
    expect(listNames([])).toBe("(none)");
  });
});
