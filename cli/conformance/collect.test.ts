import { describe, expect, it } from "vitest";
import { REQUIREMENTS } from "./catalog.js";
import { conformanceReport, parseVitestJson, requirementTags } from "./collect.js";

const results = (tests: [string, string][]) =>
  JSON.stringify({
    testResults: [
      { name: "/x.test.ts", assertionResults: tests.map(([fullName, status]) => ({ fullName, status })) },
    ],
  });

describe("conformance tally", () => {
  it("reads requirement tags the way tests write them", () => {
    expect([...requirementTags("R3(a) unknown context")]).toEqual(["R3"]);
    expect([...requirementTags("R5: tamper → fails (AARM R6)")].sort()).toEqual(["R5", "R6"]);
    expect([...requirementTags("R10 and AR4 and R4x are not tags")]).toEqual([]);
  });

  it("maps the seed numbering from the current one, splitting validation out of R3", () => {
    const report = conformanceReport(
      parseVitestJson(
        results([
          ["R3 [C17] arguments failing schema validation are denied", "passed"],
          ["R3(b) conflict → DEFER", "passed"],
          ["R4 [T11] STEP_UP timeout → DENY", "failed"],
          ["R9 read credential cannot write", "todo"],
        ]),
      ),
    );
    const get = (id: string, numbering: string) =>
      report.requirements.find((r) => r.id === id && r.numbering === numbering)!;
    expect(get("R3", "current")).toMatchObject({ tests: 2, passed: 2 });
    expect(get("R2", "seed")).toMatchObject({ tests: 1, passed: 1 });
    expect(get("R4", "seed")).toMatchObject({ tests: 1, passed: 1 });
    expect(get("R5", "seed")).toMatchObject({ tests: 1, passed: 0 });
    expect(get("R8", "seed")).toMatchObject({ tests: 0 });
    expect(report.rows.find((r) => r.key === "T11")).toMatchObject({ tests: 1, passed: 0 });
    expect(report.ok).toBe(false);
  });

  it("is conformant only when every MUST requirement and row has passing tests", () => {
    const names: [string, string][] = REQUIREMENTS.filter((r) => r.numbering === "current").map((r) => [
      `${r.id} validation and intent`,
      "passed",
    ]);
    expect(conformanceReport(parseVitestJson(results(names))).ok).toBe(false); // the rows are missing
  });

  it("proves requirement items through their rows or by naming them", () => {
    const report = conformanceReport(
      parseVitestJson(
        results([
          ["R4 [T11] STEP_UP timeout → DENY", "passed"],
          ["R4 [R4.3] the request reaches the approvers the rule names", "passed"],
          ["R4 [R4.5] approvers see the prior actions", "failed"],
        ]),
      ),
    );
    const item = (key: string) => report.items.find((i) => i.key === key)!;
    expect(item("R4.4")).toMatchObject({ tests: 1, passed: 1 });
    expect(item("R4.3")).toMatchObject({ tests: 1, passed: 1 });
    expect(item("R4.5")).toMatchObject({ tests: 1, passed: 0 });
    expect(item("R4.2")).toMatchObject({ tests: 0 });
    expect(report.requirements.find((r) => r.id === "R4" && r.numbering === "current")).toMatchObject({
      tests: 3,
    });
  });

  it("refuses input that is not vitest's JSON report", () => {
    expect(() => parseVitestJson("nope")).toThrow(/not JSON/);
    expect(() => parseVitestJson("{}")).toThrow(/testResults/);
  });
});
