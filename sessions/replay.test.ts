/**
 * Replay through a real policy: results of actions that ran label the session and feed provenance; a blocked
 * action's result does not; per-action and per-session expectations report what failed.
 */
import { describe, expect, it } from "vitest";
import { compileSource } from "../compiler/compile.js";
import { memoryHost } from "../compiler/host.js";
import { makeSource } from "../language/index.js";
import { loadPolicy } from "../runtime/api.js";
import { parseSessions } from "./parse.js";
import { replaySession } from "./replay.js";

const str = { type: "string" };
const tool = (name: string, properties: Record<string, unknown>) => ({
  name,
  inputSchema: { type: "object", properties, additionalProperties: false },
});
const TOOLS = JSON.stringify({
  tools: [tool("read", { path: str }), tool("send", { to: str, body: str }), tool("rotate", {})],
});
const POLICY = `policy "replay" version "1"
default deny
tools from "tools.json"
labels SECRET
context window: bool
on result read when args.path startsWith "/secret" { label SECRET }
@id("leak") deny send when session.labels has SECRET because "a secret was read"
@id("to-from-request") deny send when provenance(args.to) excludes request because "recipient not from the user"
@id("window") deny rotate when not context.window because "outside the window"
allow read, send, rotate
`;
const r = compileSource(makeSource("/p/policy.aarm", POLICY), memoryHost({ "/p/tools.json": TOOLS }));
const policy = loadPolicy(r.ir);

function sessions(...records: unknown[]) {
  const p = parseSessions(records.map((x) => JSON.stringify(x)).join("\n"));
  if (!p.ok) throw new Error(JSON.stringify(p.errors));
  return p.sessions;
}
const head = { type: "session", version: 1, id: "s", identity: { human: "u" }, request: "mail bob@x.example" };

describe("replaySession", () => {
  it("records results of actions that ran, so later decisions see labels and provenance", () => {
    const [s] = sessions(
      head,
      { type: "action", id: "r1", tool: "read", args: { path: "/pub/a" }, expect: "ALLOW" },
      { type: "result", output: "contact: eve@y.example" },
      { type: "action", id: "s1", tool: "send", args: { to: "bob@x.example", body: "hi" }, expect: "ALLOW" },
      { type: "action", id: "s2", tool: "send", args: { to: "eve@y.example", body: "hi" }, expect: "DENY", expectRules: ["to-from-request"] },
      { type: "action", id: "r2", tool: "read", args: { path: "/secret/k" } },
      { type: "result", output: "k=1" },
      { type: "action", id: "s3", tool: "send", args: { to: "bob@x.example", body: "hi" }, expect: "DENY", expectRules: ["leak"] },
      { type: "action", id: "w1", tool: "rotate", args: {}, expect: "DEFER" },
      { type: "context", field: "window", value: false },
      { type: "action", id: "w0", tool: "rotate", args: {}, expect: "DENY" },
      { type: "context", field: "window", value: true },
      { type: "action", id: "w2", tool: "rotate", args: {}, expect: "ALLOW" },
      { type: "expect", some: ["DENY"], rules: ["leak", "window"] },
    );
    const out = replaySession(policy, s!);
    expect(out.failures).toEqual([]);
    expect(out.checks).toBe(10);
    expect(out.actions.map((a) => a.decision.action.time - out.actions[0]!.decision.action.time)).toEqual([0, 1000, 2000, 3000, 4000, 5000, 6000, 7000]);
  });

  it("does not record the result of a blocked action", () => {
    const [s] = sessions(
      { ...head, request: "read the secret" },
      { type: "action", id: "w", tool: "rotate", args: {} },
      { type: "result", output: "rotated" },
      { type: "action", id: "s", tool: "send", args: { to: "rotated", body: "x" }, expect: "ALLOW" },
    );
    const out = replaySession(policy, s!);
    expect(out.actions[0]!.ran).toBe(false);
    expect(out.failures.map((f) => f.message)).toEqual(["expected ALLOW, got DENY"]);
  });

  it("reports failed session expectations", () => {
    const [s] = sessions(
      head,
      { type: "action", id: "a", tool: "read", args: { path: "/x" } },
      { type: "action", id: "b", tool: "rotate", args: {} },
      { type: "expect", none: ["DEFER"], description: "nothing deferred" },
      { type: "expect", some: ["DENY"], upTo: "a" },
      { type: "expect", rules: ["leak"] },
    );
    expect(replaySession(policy, s!).failures.map((f) => [f.line, f.message])).toEqual([
      [4, "expected no action to be DEFER, but action 'b' (rotate) was DEFER (nothing deferred)"],
      [5, "expected some action up to action 'a' to be DENY; got ALLOW"],
      [6, "expected rule 'leak' to decide some action, but it decided none"],
    ]);
  });
});
