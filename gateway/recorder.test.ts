/**
 * The session recorder: lines of one turn written together at its end, in order, everything written by close(),
 * and a file that cannot be written reported once while the session goes on.
 */
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { scratchDir } from "./test-support/fixture.js";
import { directoryRecorder } from "./recorder.js";

const head = (id: string) => ({ id, identity: {}, time: 1 });
const call = (id: string) => ({ id, tool: "echo", args: { text: id }, time: 2, expect: "ALLOW" as const });
const types = (text: string) =>
  text
    .trim()
    .split("\n")
    .map((l) => (JSON.parse(l) as { type: string }).type);
const turn = () => new Promise((r) => setImmediate(r));

describe("directoryRecorder", () => {
  it("writes a turn's lines at its end, in order, for each session; close() writes what is left", async () => {
    const dir = scratchDir();
    const logs: string[] = [];
    const recorder = directoryRecorder(dir, (l) => logs.push(l));
    const a = recorder.open(head("a"));
    const b = recorder.open(head("b/../x"));
    a.action(call("1"));
    b.action(call("2"));
    a.result("1", { output: "one" });
    expect(readFileSync(join(dir, "a.jsonl"), "utf8")).toBe(""); // nothing before the turn ends
    await turn();
    expect(types(readFileSync(join(dir, "a.jsonl"), "utf8"))).toEqual(["session", "action", "result"]);
    expect(types(readFileSync(join(dir, "b_.._x.jsonl"), "utf8"))).toEqual(["session", "action"]);
    b.result("2", { error: "failed" });
    await b.close();
    const last = readFileSync(join(dir, "b_.._x.jsonl"), "utf8").trim().split("\n").pop()!;
    expect(JSON.parse(last)).toEqual({ type: "result", action: "2", error: "failed" });
    b.action(call("3")); // after close: ignored
    await a.close();
    await turn();
    expect(types(readFileSync(join(dir, "b_.._x.jsonl"), "utf8"))).toEqual(["session", "action", "result"]);
    expect(logs).toEqual([]);
  });

  it("reports a file it cannot open once, and the session goes on unrecorded", async () => {
    const dir = scratchDir();
    mkdirSync(join(dir, "taken.jsonl")); // a folder where the file should be
    const logs: string[] = [];
    const s = directoryRecorder(dir, (l) => logs.push(l)).open(head("taken"));
    s.action(call("1"));
    s.result("1", { output: 1 });
    await turn();
    await s.close();
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(
      /^recording .*taken\.jsonl: .*EISDIR.*; the rest of this session is not recorded$/,
    );
  });
});
