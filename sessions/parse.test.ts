/**
 * The recorded-session format: parsing valid files (many sessions, default ids, times, results, context,
 * expectations), line-numbered errors for invalid ones, and the writer's round trip.
 */
import { describe, expect, it } from "vitest";
import { parseSessions } from "./parse.js";
import { formatSessions } from "./write.js";

const lines = (...records: unknown[]) => records.map((r) => JSON.stringify(r)).join("\n");

const VALID = lines(
  { type: "session", version: 1, id: "s1", identity: { human: "alice" }, request: "pay Bob 10", time: "2025-01-01T00:00:00Z" },
  { type: "action", tool: "send_money", args: { amount: 10 }, expect: "ALLOW" },
  { type: "result", output: { ok: true } },
  { type: "context", field: "env", value: "prod" },
  { type: "action", id: "x", tool: "read_file", args: {}, time: 1735689600000, expectRules: ["r1"] },
  { type: "result", action: "x", error: "no such file" },
  { type: "expect", none: ["DENY"], upTo: "x" },
  { type: "session", version: 1, id: "s2", identity: {}, meta: { kind: "benign" } },
);

describe("parseSessions", () => {
  it("reads sessions, numbering actions without an id and converting times", () => {
    const r = parseSessions(`${VALID}\n\n`);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.sessions.map((s) => s.id)).toEqual(["s1", "s2"]);
    const [s1] = r.sessions;
    expect(s1!.time).toBe(Date.UTC(2025, 0, 1));
    expect(s1!.events.map((e) => [e.kind, e.line])).toEqual([
      ["action", 2],
      ["result", 3],
      ["context", 4],
      ["action", 5],
      ["result", 6],
    ]);
    expect(s1!.events[0]).toMatchObject({ id: "action-1", expect: "ALLOW" });
    expect(s1!.events[1]).toMatchObject({ action: "action-1", outcome: { output: { ok: true } } });
    expect(s1!.events[4]).toMatchObject({ action: "x", outcome: { error: "no such file" } });
    expect(s1!.expectations).toEqual([{ none: ["DENY"], upTo: "x", line: 7 }]);
    expect(r.sessions[1]!.meta).toEqual({ kind: "benign" });
  });

  it("round-trips through formatSessions", () => {
    const r = parseSessions(VALID);
    if (!r.ok) throw new Error("invalid");
    const again = parseSessions(formatSessions(r.sessions));
    if (!again.ok) throw new Error(JSON.stringify(again.errors));
    const strip = (x: unknown) => JSON.parse(JSON.stringify(x, (k, v: unknown) => (k === "line" ? undefined : v))) as unknown;
    expect(strip(again.sessions)).toEqual(strip(r.sessions));
  });

  it.each([
    ["{", 1, /^not valid JSON/],
    [lines({ type: "action", tool: "t", args: {} }), 1, /^a action record before any session record$/],
    [lines({ type: "sesion" }), 1, /^type: expected one of session, action, result, context, expect, got "sesion"$/],
    [lines({ type: "session", version: 2, id: "s", identity: {} }), 1, /^session record: version: /],
    [lines({ type: "session", version: 1, id: "s", identity: { human: "" } }), 1, /^session record: identity\.human: /],
    [lines({ type: "session", version: 1, id: "s", identity: {} }, { type: "action", tool: "t" }), 2, /^action record: args: /],
    [lines({ type: "session", version: 1, id: "s", identity: {} }, { type: "action", tool: "t", args: {}, expect: "MAYBE" }), 2, /^action record: expect: /],
    [lines({ type: "session", version: 1, id: "s", identity: {} }, { type: "result", output: 1 }), 2, /^action: a result before any action$/],
    [lines({ type: "session", version: 1, id: "s", identity: {} }, { type: "action", tool: "t", args: {} }, { type: "result", action: "nope", output: 1 }), 3, /^action: no earlier action 'nope'/],
    [lines({ type: "session", version: 1, id: "s", identity: {} }, { type: "action", id: "a", tool: "t", args: {} }, { type: "action", id: "a", tool: "t", args: {} }), 3, /^id: action id 'a' is used twice/],
    [lines({ type: "session", version: 1, id: "s", identity: {} }, { type: "expect" }), 2, /^expect record: an expect record needs/],
    [lines({ type: "session", version: 1, id: "s", identity: {} }, { type: "expect", some: ["DENY"], upTo: "zz" }), 2, /^upTo: no action 'zz'/],
    [lines({ type: "session", version: 1, id: "s", identity: {} }, { type: "session", version: 1, id: "s", identity: {} }), 2, /^id: session id 's' is used twice/],
    ["", 1, /^no session record/],
  ])("reports %s at its line", (text, line, message) => {
    const r = parseSessions(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors[0]!.line).toBe(line);
    expect(r.errors[0]!.message).toMatch(message);
  });
});
