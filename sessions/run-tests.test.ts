/**
 * Running tests with coverage: what counts as exercised (a rule that decided; a tag rule that labelled; each
 * outcome of each atomic condition the decision procedure evaluated), and the check that the loaded evaluator and
 * the tracing reference interpreter decide alike.
 */
import { describe, expect, it } from "vitest";
import { compileSource } from "../compiler/compile.js";
import { memoryHost } from "../compiler/host.js";
import { makeSource } from "../language/index.js";
import { loadPolicy } from "../runtime/api.js";
import type { Evaluator } from "../runtime/decide/core.js";
import { irEvaluator } from "../runtime/eval/ir-evaluator.js";
import { policyText } from "./conditions.js";
import { runTests } from "./run-tests.js";
import { parseTestFile } from "./testfile.js";

const tool = (name: string) => ({
  name,
  inputSchema: { type: "object", properties: { n: { type: "number" } } },
});
const TOOLS = JSON.stringify({ tools: [tool("read"), tool("pay")] });
const POLICY = `policy "cov" version "1"
default deny
tools from "tools.json"
labels SEEN
@id("tag-read") on result read when args.n > 0 { label SEEN }
@id("stop") deny pay when session.labels has SEEN and args.n > 10 because "no"
@id("small") @priority(5) allow pay when args.n < 100
@id("pay") allow pay
@id("read") allow read
`;
const compiled = compileSource(makeSource("/p/policy.aarm", POLICY), memoryHost({ "/p/tools.json": TOOLS }));
const ir = compiled.ir!;
const text = policyText(POLICY);

function sources(tests: object[]) {
  const r = parseTestFile(JSON.stringify({ tests }));
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return [{ file: "t.json", sessions: r.sessions }];
}

describe("runTests with coverage", () => {
  it("counts a rule as exercised only when it decided, and each condition outcome only when it was evaluated", () => {
    const run = runTests(
      loadPolicy(ir),
      sources([{ name: "pay", tool: "pay", args: { n: 5 }, expect: "ALLOW" }]),
      { coverage: true },
    );
    expect([run.passed, run.failed]).toEqual([1, 0]);
    const c = run.coverage!.report(text);
    // `small` matched too, but `pay` (priority 10) decided first: only `pay` is exercised.
    expect(c.rules.missed.map((r) => r.id)).toEqual(["stop", "small", "read", "tag-read"]);
    expect(c.conditions.missed).toEqual([
      // `session.labels has SEEN` was false, so `args.n > 10` was never evaluated.
      {
        owner: "stop",
        ownerKind: "rule",
        text: "session.labels has SEEN",
        where: "line 6",
        seen: ["false"],
        missing: ["true"],
      },
      {
        owner: "stop",
        ownerKind: "rule",
        text: "args.n > 10",
        where: "line 6",
        seen: [],
        missing: ["true", "false"],
      },
      {
        owner: "small",
        ownerKind: "rule",
        text: "args.n < 100",
        where: "line 7",
        seen: [],
        missing: ["true", "false"],
      },
      {
        owner: "tag-read",
        ownerKind: "tag",
        text: "args.n > 0",
        where: "line 5",
        seen: [],
        missing: ["true", "false"],
      },
    ]);
  });

  it("counts a tag rule when it labelled a result", () => {
    const run = runTests(
      loadPolicy(ir),
      sources([
        {
          name: "read then pay",
          steps: [
            { tool: "read", args: { n: 1 }, output: "x" },
            { tool: "pay", args: { n: 50 }, expect: "DENY", rules: ["stop"] },
          ],
        },
      ]),
      { coverage: true },
    );
    const c = run.coverage!.report(text);
    expect(c.rules).toMatchObject({ covered: 3, total: 5, percent: 60 });
    expect(c.rules.missed.map((r) => r.id)).toEqual(["small", "pay"]);
  });

  it("reports where the loaded evaluator and the reference interpreter disagree", () => {
    const honest = irEvaluator(ir);
    const stop = ir.rules.findIndex((r) => r.id === "stop");
    const broken: Evaluator = {
      ...honest,
      kind: "compiled",
      rule: (i, env) => (i === stop ? true : honest.rule(i, env)),
    };
    const run = runTests(
      loadPolicy(ir, { evaluator: broken }),
      sources([{ name: "pay", tool: "pay", args: { n: 5 } }]),
      {
        coverage: true,
      },
    );
    expect(run.failed).toBe(1);
    expect(run.outcomes[0]!.failures.map((f) => f.message)).toEqual([
      "the policy's evaluator decided DENY [stop] but the reference interpreter ALLOW [pay]",
    ]);
    // Without coverage there is no second replay, and the test (without expectations) is unchecked.
    expect(
      runTests(
        loadPolicy(ir, { evaluator: broken }),
        sources([{ name: "pay", tool: "pay", args: { n: 5 } }]),
        { coverage: false },
      ),
    ).toMatchObject({ passed: 0, failed: 0, unchecked: 1 });
  });
});
