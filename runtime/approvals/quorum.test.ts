import { describe, expect, it } from "vitest";
import type { ApprovalRequirement } from "../decide/decision.js";
import { coverage, describe as describeQuorum, met } from "./quorum.js";

const req = (
  quorum: ApprovalRequirement["quorum"],
  groups: string[],
  escalation: ApprovalRequirement["escalation"] = null,
): ApprovalRequirement => ({
  ruleId: "r",
  quorum,
  groups,
  escalation,
});

describe("quorum", () => {
  it("assigns approvers to distinct groups by matching, not greedily", () => {
    // A greedy pass would give ann finance and leave bob (finance only) without a group.
    const approvers = [
      { subject: "ann", groups: ["finance", "security"] },
      { subject: "bob", groups: ["finance"] },
    ];
    expect(coverage(["finance", "security"], approvers)).toBe(2);
    expect(met(req({ kind: "all" }, ["finance", "security"]), approvers, false)).toBe(true);
    expect(met(req({ kind: "all" }, ["finance", "security"]), approvers.slice(0, 1), false)).toBe(false);
  });

  it("k of n counts distinct groups; one person in every group counts once", () => {
    const r = req({ kind: "k", k: 2 }, ["a", "b", "c"]);
    expect(met(r, [{ subject: "x", groups: ["a", "b", "c"] }], false)).toBe(false);
    expect(
      met(
        r,
        [
          { subject: "x", groups: ["a", "b", "c"] },
          { subject: "y", groups: ["c"] },
        ],
        false,
      ),
    ).toBe(true);
    expect(
      met(
        r,
        [
          { subject: "x", groups: ["a"] },
          { subject: "y", groups: ["a"] },
        ],
        false,
      ),
    ).toBe(false);
  });

  it("an escalation group decides alone, but only once escalated", () => {
    const r = req({ kind: "all" }, ["dba", "security"], { groups: ["cto"], afterMs: 1000 });
    const cto = [{ subject: "c", groups: ["cto"] }];
    expect(met(r, cto, false)).toBe(false);
    expect(met(r, cto, true)).toBe(true);
    expect(describeQuorum(r)).toBe("r: all of [dba, security] (escalates to [cto] after 1000 ms)");
  });
});
