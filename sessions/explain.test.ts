/**
 * explainAction: the trace of every rule of the tool, and the nearest allowing rule — through `not`, across
 * tiers, with a validation failure, under an `allow` default posture, and when nothing could allow the action.
 */
import { describe, expect, it } from "vitest";
import { compileSource } from "../compiler/compile.js";
import { memoryHost } from "../compiler/host.js";
import { makeSource } from "../language/index.js";
import { loadPolicy } from "../runtime/api.js";
import { policyText } from "./conditions.js";
import { explainAction, type Explanation } from "./explain.js";
import { parseTestFile } from "./testfile.js";

const schema = { type: "object", properties: { n: { type: "number" }, to: { type: "string" } } };
const TOOLS = JSON.stringify({
  tools: ["pay", "wipe", "note"].map((name) => ({ name, inputSchema: schema })),
});

function explain(policy: string, test: object, target: number | string = 1): Explanation {
  const text = `policy "x" version "1"\ntools from "tools.json"\n${policy}\n`;
  const ir = compileSource(makeSource("/p/policy.aarm", text), memoryHost({ "/p/tools.json": TOOLS })).ir;
  if (!ir) throw new Error("policy has errors");
  const parsed = parseTestFile(JSON.stringify({ tests: [{ name: "t", ...test }] }));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  const x = explainAction(loadPolicy(ir), parsed.sessions[0]!, target, policyText(text));
  if (typeof x === "string") throw new Error(x);
  return x;
}

describe("explainAction", () => {
  it("under a `not`, the atom must take the opposite value of the rule", () => {
    const x = explain(
      `default deny\n@id("intent") deny pay when not (request mentions "pay" or args.n < 0) because "no"\n@id("ok") allow pay`,
      { request: "show my balance", tool: "pay", args: { n: 5 } },
    );
    expect(x.decision.effect).toBe("DENY");
    expect(x.rules.map((r) => [r.id, r.result, r.reached, r.decided])).toEqual([
      ["intent", "true", true, true],
      ["ok", "true", false, false],
    ]);
    expect(x.nearest).toMatchObject({
      rule: "ok",
      cost: 1,
      changes: [
        {
          id: "intent",
          mustMatch: false,
          atoms: [
            {
              text: 'request mentions "pay"',
              want: true,
              was: "false",
              operands: [{ text: "request", value: '"show my balance"' }],
            },
          ],
        },
      ],
    });
  });

  it("prefers the candidate with the fewest changes: its own condition and the rules that outrank it", () => {
    const x = explain(
      `default deny
@id("big") step_up pay when args.n > 100 approvers any ["a"]
@id("vip") @priority(60) allow pay when args.to == "boss" and args.n < 1000
@id("small") allow pay when args.n <= 100`,
      { tool: "pay", args: { n: 500, to: "carol" } },
    );
    expect(x.decision.effect).toBe("STEP_UP");
    // vip needs one change (args.to == "boss"); small needs args.n <= 100 and big not to match: two.
    expect(x.nearest).toMatchObject({
      rule: "vip",
      cost: 1,
      changes: [{ id: "vip", mustMatch: true, atoms: [{ text: 'args.to == "boss"', want: true }] }],
    });
  });

  it("counts a validation failure, names a forbid without condition, and uses an allow default posture", () => {
    const v = explain(`default deny\nvalidate pay { args.n > 0 because "positive" }\n@id("ok") allow pay`, {
      tool: "pay",
      args: { n: -1 },
    });
    expect(v.decision.decidedBy).toBe("validation");
    expect(v.nearest).toMatchObject({
      rule: "ok",
      cost: 1,
      changes: [],
      validation: "argument validation failed: positive",
    });
    const f = explain(`default allow\n@id("never") forbid wipe because "never"`, { tool: "wipe", args: {} });
    expect(f.nearest).toMatchObject({
      rule: null,
      effect: "allow",
      cost: Infinity,
      changes: [{ id: "never", note: "it has no condition: it always applies" }],
    });
    const n = explain(`default deny\n@id("ok") allow pay`, { tool: "note", args: {} });
    expect([n.decision.decidedBy, n.rules, n.nearest]).toEqual(["default", [], undefined]);
  });

  it("finds the action by id or number, and says what exists when it is not there", () => {
    const steps = {
      steps: [
        { id: "first", tool: "note", args: {} },
        { tool: "pay", args: { n: 1 } },
      ],
    };
    expect(explain(`default deny\n@id("ok") allow pay`, steps, "first").action).toMatchObject({
      id: "first",
      tool: "note",
    });
    expect(explain(`default deny\n@id("ok") allow pay`, steps, 2)).toMatchObject({
      index: 2,
      of: 2,
      action: { id: "step-2" },
    });
    expect(() => explain(`default deny`, steps, "nope")).toThrow(
      "no action 'nope' in session 't' (it has 2 actions: first, step-2)",
    );
  });
});
