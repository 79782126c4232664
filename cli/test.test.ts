/**
 * `aarm test` in-process: passing and failing tests, the failure report (action, expected vs actual, deciding
 * rules, redacted arguments), coverage and thresholds, JSON output, recorded sessions, bundles (signed, unsigned
 * with --dev), and input errors with exit status 2.
 */
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeNewKeyPair } from "../host/keys.js";
import { memoryIo } from "./io.js";
import { aarmcProgram, aarmProgram, guarded } from "./main.js";
import { scratch } from "./test-support/run.js";
import { SHOP_POLICY as POLICY, SHOP_TOOLS as TOOLS } from "./test-support/shop.js";

const test = (name: string, rest: object) => ({ name, ...rest });
const PASSING = {
  fixtures: { identities: { alice: { human: "alice@corp.example", role: "support" } } },
  defaults: { identity: "alice", request: "help customer C-7" },
  tests: [
    test("lookup then internal mail", {
      steps: [
        { tool: "crm.lookup", args: { customer: "C-7" }, expect: "ALLOW", output: { name: "Bob" } },
        {
          tool: "email.send",
          args: { to: "team@corp.example", body: "done" },
          expect: "ALLOW",
          rules: ["allow-all"],
        },
      ],
    }),
    test("external mail after a lookup", {
      steps: [
        { tool: "crm.lookup", args: { customer: "C-7" }, output: { name: "Bob" } },
        {
          tool: "email.send",
          args: { to: "x@evil.example", body: "Bob" },
          expect: "DENY",
          rules: ["pii-mail"],
        },
      ],
    }),
    test("small refund", { tool: "payments.refund", args: { order: "1", amount: 20 }, expect: "ALLOW" }),
  ],
};
// A comment and a trailing comma: test files are JSON with comments.
const FAILING = `{
  // the refund rule is 'big-refund'; this test expects the wrong effect
  "tests": [
    { "name": "big refund", "tool": "payments.refund", "args": { "order": "2", "amount": 900 }, "expect": "ALLOW", "rules": ["allow-all"] },
    { "name": "masked mail", "tool": "email.send", "args": { "to": "a@corp.example", "body": "the secret is 42" },
      "expect": "ALLOW" },
  ],
}`;
const SESSIONS = [
  { type: "session", version: 1, id: "s1", identity: { human: "bob" }, request: "refund order 3" },
  { type: "action", id: "a1", tool: "payments.refund", args: { order: "3", amount: 700 }, expect: "STEP_UP" },
  { type: "expect", some: ["STEP_UP"] },
]
  .map((l) => JSON.stringify(l))
  .join("\n");

let dir = "";
let cleanup = () => {};
beforeAll(() => {
  ({ dir, cleanup } = scratch({
    "shop/policy.aarm": POLICY,
    "shop/tools.json": JSON.stringify(TOOLS),
    "shop/tests/passing.json": JSON.stringify(PASSING, null, 2),
    "failing.json": FAILING,
    "sessions.jsonl": SESSIONS,
    "sessions.jsonl.gz": gzipSync(SESSIONS),
    "broken.json": '{ "tests": [ { "name": "x", "tool": "crm.lookup", "expect": "MAYBE" } ] }',
    "unknown-fixture.json":
      '{ "tests": [ { "name": "x", "identity": "carol", "tool": "crm.lookup", "args": {} } ] }',
    "bad.aarm": 'policy "bad"\ndefault deny\nallow (\n',
  }));
});
afterAll(() => cleanup());

async function run(program: "aarm" | "aarmc", ...args: string[]) {
  const io = memoryIo(dir);
  const status = await guarded(program === "aarm" ? aarmProgram() : aarmcProgram(), args, io);
  return { status, stdout: io.stdout(), stderr: io.stderr() };
}

describe("aarm test", () => {
  it("passes a policy whose tests hold (its tests/ folder by default) and exits 0", async () => {
    const r = await run("aarm", "test", "shop/policy.aarm");
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain("ok   shop/tests/passing.json (3 tests, 6 checks)");
    expect(r.stdout.endsWith("3 passed, 0 failed\n")).toBe(true);
    expect(r.status).toBe(0);
  });

  it("shows the action, expected vs actual, and the rules that decided; redacts what the policy redacts", async () => {
    const r = await run("aarm", "test", "shop/policy.aarm", "failing.json");
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(
      [
        'FAIL failing.json:4  "big refund"',
        '     action   #1 step-1: payments.refund {"order":"2","amount":900}',
        "     expected ALLOW",
        "     problem  expected rule(s) allow-all among the deciding rules, got big-refund",
        "     actual   STEP_UP by big-refund",
        "              step_up rule 'big-refund' matched",
      ].join("\n"),
    );
    expect(r.stdout).toContain('email.send {"to":"a@corp.example","body":"[REDACTED]"}');
    expect(r.stdout).toContain("     actual   MODIFY by mask");
    expect(r.stdout).not.toContain("the secret is 42");
    expect(r.stdout.endsWith("0 passed, 2 failed\n")).toBe(true);
  });

  it("checks recorded sessions with per-action and session expectations", async () => {
    const r = await run("aarm", "test", "shop/policy.aarm", "sessions.jsonl", "sessions.jsonl.gz");
    expect(r.stdout).toContain("ok   sessions.jsonl.gz (1 test, 2 checks)");
    expect(r.stdout.endsWith("2 passed, 0 failed\n")).toBe(true);
    expect(r.status).toBe(0);
  });

  it("--coverage lists the rules and conditions no test exercised; --threshold fails below it", async () => {
    const r = await run("aarm", "test", "shop/policy.aarm", "shop/tests", "--coverage");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("coverage: rules 60% (3 of 5)");
    expect(r.stdout).toContain("    big-refund (step_up, line 8)\n    mask (modify, line 9)\n");
    expect(r.stdout).toContain("    big-refund (line 8): args.amount > 500 — never true; seen false");
    expect(r.stdout).toContain(`    mask (line 9): args.body contains "secret" — never true; seen false`);
    const low = await run("aarm", "test", "shop/policy.aarm", "--threshold", "90");
    expect(low.status).toBe(1);
    expect(low.stdout).toContain("rule coverage 60% is below the threshold of 90%");
    const all = await run(
      "aarm",
      "test",
      "shop/policy.aarm",
      "shop/tests",
      "failing.json",
      "sessions.jsonl",
      "--threshold",
      "90",
    );
    expect(all.stdout).toContain("rule coverage 100% (5 of 5)");
  });

  it("--format json prints {passed, failed, coverage: {rules, conditions}}", async () => {
    const r = await run("aarm", "test", "shop/policy.aarm", "failing.json", "--format", "json");
    expect(r.status).toBe(1);
    const doc = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(doc).toMatchObject({
      passed: 0,
      failed: 2,
      failures: [
        {
          file: "failing.json",
          line: 4,
          test: "big refund",
          message: "expected ALLOW, got STEP_UP",
          action: { tool: "payments.refund", expected: "ALLOW", actual: "STEP_UP", ruleIds: ["big-refund"] },
        },
        {
          test: "big refund",
          message: "expected rule(s) allow-all among the deciding rules, got big-refund",
        },
        { test: "masked mail", action: { args: { body: "[REDACTED]" } } },
      ],
      coverage: { rules: { covered: 2, total: 5, percent: 40 }, conditions: { total: 8 } },
    });
  });

  it("tests a signed bundle with trusted keys, and an unsigned one only with --dev", async () => {
    const { secretPath } = writeNewKeyPair(join(dir, "keys"), "release");
    expect(
      (
        await run(
          "aarmc",
          "compile",
          join(dir, "shop/policy.aarm"),
          "-o",
          join(dir, "signed"),
          "--key",
          secretPath,
        )
      ).status,
    ).toBe(0);
    expect(
      (await run("aarmc", "compile", join(dir, "shop/policy.aarm"), "-o", join(dir, "unsigned"))).status,
    ).toBe(0);
    const ok = await run("aarm", "test", "signed", "shop/tests", "--keys", "keys");
    expect([ok.status, ok.stdout.endsWith("3 passed, 0 failed\n")]).toEqual([0, true]);
    const noKeys = await run("aarm", "test", "signed", "shop/tests");
    expect(noKeys.status).toBe(2);
    expect(noKeys.stderr).toContain("aarm test: signed: a bundle is loaded only with --keys DIR");
    const refused = await run("aarm", "test", "unsigned", "shop/tests", "--keys", "keys");
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain("manifest.json: the bundle is not signed");
    const dev = await run("aarm", "test", "unsigned", "shop/tests", "--dev");
    expect(dev.status).toBe(0);
    expect(dev.stderr).toContain("WARNING: loading the UNSIGNED bundle of policy 'shop'");
  });

  it.each([
    [["test"], "aarm test: no policy given"],
    [["test", "shop/policy.aarm", "--threshold", "ninety"], "aarm test: invalid --threshold 'ninety'"],
    [["test", "shop/policy.aarm", "broken.json"], "broken.json:1: tests.0.expect: Invalid option"],
    [
      ["test", "shop/policy.aarm", "unknown-fixture.json"],
      "unknown-fixture.json:1: identity: no identity fixture 'carol'",
    ],
    [["test", "shop/policy.aarm", "missing.json"], "missing.json: cannot read (ENOENT)"],
    [["test", "bad.aarm", "sessions.jsonl"], "bad.aarm:3"],
    [["test", "shop/policy.aarm", "sessions.jsonl", "--dev"], "--keys and --dev apply to a bundle folder"],
  ])("aarm %j exits 2 with a precise message", async (args, message) => {
    const r = await run("aarm", ...args);
    expect(r.stderr).toContain(message);
    expect(r.status).toBe(2);
  });
});
