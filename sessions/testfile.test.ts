/**
 * Test files: fixtures and defaults resolve into recorded sessions, steps become actions, results and context
 * changes, the one-action shorthand is one step, and every mistake is reported with its line.
 */
import { describe, expect, it } from "vitest";
import { parseTestFile } from "./testfile.js";

const parse = (text: string) => {
  const r = parseTestFile(text);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.sessions;
};

describe("parseTestFile", () => {
  it("resolves fixtures and defaults, and turns steps into actions, results and context changes", () => {
    const [t] = parse(`{
      // a comment
      "fixtures": { "identities": { "ann": { "human": "ann" } }, "contexts": { "day": { "on_call": true } } },
      "defaults": { "identity": "ann", "context": "day", "request": "refund 7" },
      "tests": [{
        "name": "t",
        "time": "2025-03-01T10:00:00Z",
        "steps": [
          { "tool": "lookup", "args": { "c": 1 }, "output": { "x": 1 } },
          { "context": { "on_call": false } },
          { "tool": "report", "output": { "status": "ok" }, "seen": "pay GB33" },
          { "id": "r", "tool": "refund", "expect": "DEFER", "rules": ["night"], "error": "timeout" },
        ],
        "expectSession": { "some": ["DEFER"], "upTo": "r" },
      }],
    }`);
    expect(t).toMatchObject({
      id: "t",
      identity: { human: "ann" },
      request: "refund 7",
      context: { on_call: true },
      time: Date.parse("2025-03-01T10:00:00Z"),
      line: 5,
      expectations: [{ some: ["DEFER"], upTo: "r", line: 14 }],
    });
    expect(t!.events).toEqual([
      { kind: "action", id: "step-1", tool: "lookup", args: { c: 1 }, line: 9 },
      { kind: "result", action: "step-1", outcome: { output: { x: 1 } }, line: 9 },
      { kind: "context", field: "on_call", value: false, line: 10 },
      { kind: "action", id: "step-2", tool: "report", args: {}, line: 11 },
      { kind: "result", action: "step-2", outcome: { output: { status: "ok" }, seen: "pay GB33" }, line: 11 },
      {
        kind: "action",
        id: "r",
        tool: "refund",
        args: {},
        expect: "DEFER",
        expectRules: ["night"],
        line: 12,
      },
      { kind: "result", action: "r", outcome: { error: "timeout" }, line: 12 },
    ]);
  });

  it("reads the one-action shorthand as one step; inline identity and context override the defaults", () => {
    const [t] = parse(`{ "defaults": { "request": "r" }, "tests": [
      { "name": "one", "identity": { "agent": "bot" }, "context": { "k": 2 }, "tool": "x", "args": { "a": 1 }, "expect": "ALLOW", "output": 5 }
    ] }`);
    expect(t).toMatchObject({
      identity: { agent: "bot" },
      context: { k: 2 },
      request: "r",
      expectations: [],
    });
    expect(t!.events.map((e) => e.kind)).toEqual(["action", "result"]);
  });

  it.each([
    ['{ "tests": [ ] }', 1, "tests: Too small"],
    ['{ "tests": [ { "name": "a", "tool": "x" } ],\n "extra": 1 }', 1, 'Unrecognized key: "extra"'],
    ['{ "tests": [\n { "name": "a" } ] }', 2, "a test has either `steps` or a single `tool` action"],
    [
      '{ "tests": [\n { "name": "a", "steps": [{ "tool": "x" }], "expect": "DENY" } ] }',
      2,
      "belong in the steps",
    ],
    [
      '{ "tests": [\n { "name": "a", "steps": [\n { "tool": "x", "output": 1, "error": "e" }] } ] }',
      3,
      "not both",
    ],
    [
      '{ "tests": [\n { "name": "a", "steps": [\n { "tool": "x", "seen": "text" }] } ] }',
      3,
      "`seen` goes with an `output`",
    ],
    [
      '{ "tests": [\n { "name": "a", "tool": "x" },\n { "name": "a", "tool": "y" } ] }',
      3,
      "test name 'a' is used twice",
    ],
    [
      '{ "tests": [\n { "name": "a", "steps": [{ "id": "s", "tool": "x" }, { "id": "s", "tool": "y" }] } ] }',
      2,
      "two steps have the same id",
    ],
    [
      '{ "tests": [\n { "name": "a", "tool": "x", "expectSession": { "none": ["DENY"], "upTo": "zz" } } ] }',
      2,
      "no step 'zz'",
    ],
    [
      '{ "tests": [\n { "name": "a", "tool": "x",\n "context": "night" } ] }',
      3,
      "no context fixture 'night'",
    ],
    [
      '{ "tests": [\n { "name": "a", "tool": "x", "expectSession": {} } ] }',
      2,
      "needs `none`, `some` or `rules`",
    ],
    ['{ "tests": [ { "name": "a",, } ] }', 1, "not valid JSON (property name expected)"],
    ["", 1, "not valid JSON"],
  ])("refuses %j (line %i)", (text, line, message) => {
    const r = parseTestFile(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors[0]!.line).toBe(line);
    expect(r.errors[0]!.message).toContain(message);
  });
});
