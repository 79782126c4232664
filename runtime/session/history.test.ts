import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { History } from "./history.js";

const MIN = 60_000;

function history(events: readonly (readonly [string, number])[]): History {
  const h = new History();
  for (const [tool, time] of events) h.push(tool, time);
  return h;
}

describe("seen and count", () => {
  const h = history([
    ["email.send", 0],
    ["db.query", 5 * MIN],
    ["email.send", 10 * MIN],
    ["email.send", 10 * MIN],
    ["http.post", 30 * MIN],
  ]);

  it("count the whole session or the actions at or after `since`", () => {
    expect(h.length).toBe(5);
    expect(h.count(["email.send"], -Infinity)).toBe(3);
    expect(h.count(["email.send"], 10 * MIN)).toBe(2);
    expect(h.count(["email.send"], 10 * MIN + 1)).toBe(0);
    expect(h.count(["email.send", "db.query"], 5 * MIN)).toBe(3);
    expect(h.count(["calendar.list"], -Infinity)).toBe(0);
    expect(h.count([], -Infinity)).toBe(0);
  });

  it("seen is count > 0", () => {
    expect(h.seen(["db.query"], -Infinity)).toBe(true);
    expect(h.seen(["db.query"], 5 * MIN)).toBe(true);
    expect(h.seen(["db.query"], 5 * MIN + 1)).toBe(false);
    expect(h.seen(["nope", "http.post"], 30 * MIN)).toBe(true);
    expect(h.seen([], -Infinity)).toBe(false);
  });

  it("clamps a timestamp that goes backwards to the latest one seen", () => {
    const g = history([
      ["a", 100],
      ["b", 50],
    ]);
    expect(g.count(["b"], 100)).toBe(1);
    expect(g.seen(["b"], 101)).toBe(false);
  });
});

describe("sequence", () => {
  const h = history([
    ["db.query", 0],
    ["get_webpage", 5 * MIN],
    ["email.send", 6 * MIN],
    ["http.post", 20 * MIN],
  ]);

  it("finds the steps in order, not necessarily adjacent", () => {
    expect(h.sequence([["db.query"], ["http.post"]], -Infinity)).toBe(true);
    expect(h.sequence([["db.query"], ["get_webpage"], ["http.post"]], -Infinity)).toBe(true);
    expect(h.sequence([["http.post"], ["db.query"]], -Infinity)).toBe(false);
    expect(h.sequence([["email.send", "db.query"], ["get_webpage"]], -Infinity)).toBe(true);
  });

  it("with a window, every step must lie in it", () => {
    expect(h.sequence([["db.query"], ["http.post"]], 0)).toBe(true);
    expect(h.sequence([["db.query"], ["http.post"]], 1)).toBe(false);
    expect(h.sequence([["get_webpage"], ["http.post"]], 5 * MIN)).toBe(true);
    expect(h.sequence([["get_webpage", "db.query"], ["http.post"]], 1)).toBe(true);
  });

  it("one action is never two steps", () => {
    const g = history([["db.query", 0]]);
    expect(g.sequence([["db.query"], ["db.query"]], -Infinity)).toBe(false);
    g.push("db.query", 1);
    expect(g.sequence([["db.query"], ["db.query"]], -Infinity)).toBe(true);
    expect(g.sequence([["db.query"], ["db.query"], ["db.query"]], -Infinity)).toBe(false);
  });

  it("takes the latest start, so a later occurrence satisfies a narrower window", () => {
    const g = history([
      ["a", 0],
      ["b", 10],
      ["a", 100],
      ["b", 110],
    ]);
    expect(g.sequence([["a"], ["b"]], 100)).toBe(true);
    expect(g.sequence([["a"], ["b"]], 101)).toBe(false);
  });

  it("a tracker built on first use is kept up to date by later actions", () => {
    const g = history([["a", 0]]);
    expect(g.sequence([["a"], ["b"]], -Infinity)).toBe(false);
    g.push("b", 1);
    expect(g.sequence([["a"], ["b"]], -Infinity)).toBe(true);
    expect(g.sequence([["a"], ["b"]], 1)).toBe(false);
  });
});

/** The obvious definitions over the whole log (times clamped as History does). */
function oracle(events: readonly (readonly [string, number])[]) {
  const log: { tool: string; time: number }[] = [];
  for (const [tool, time] of events)
    log.push({ tool, time: log.length > 0 ? Math.max(time, log[log.length - 1]!.time) : time });
  const count = (tools: readonly string[], since: number) =>
    log.filter((a) => tools.includes(a.tool) && a.time >= since).length;
  const sequence = (steps: readonly (readonly string[])[], since: number): boolean => {
    const from = (k: number, i: number): boolean => {
      if (k === steps.length) return true;
      for (let j = i; j < log.length; j++) {
        if (steps[k]!.includes(log[j]!.tool) && (k > 0 || log[j]!.time >= since) && from(k + 1, j + 1))
          return true;
      }
      return false;
    };
    return from(0, 0);
  };
  return { count, sequence };
}

const TOOLS = ["a", "b", "c", "d"];
const event = fc.tuple(fc.constantFrom(...TOOLS), fc.integer({ min: -3, max: 10 }));
const tools = fc.uniqueArray(fc.constantFrom(...TOOLS), { minLength: 1, maxLength: 3 });
const query = fc.record({
  steps: fc.array(tools, { minLength: 2, maxLength: 4 }),
  since: fc.oneof(fc.constant(-Infinity), fc.integer({ min: 0, max: 80 })),
});

describe("incremental indexes agree with the definitions", () => {
  it("count, seen and sequence, with the sequence tracker built early or late", () => {
    fc.assert(
      fc.property(
        fc.array(event, { maxLength: 25 }),
        fc.nat({ max: 25 }),
        fc.array(query, { minLength: 1, maxLength: 5 }),
        (deltas, split, queries) => {
          let t = 0;
          const events = deltas.map(([tool, dt]) => [tool, (t += dt)] as const);
          const early = history(events.slice(0, split));
          for (const q of queries) early.sequence(q.steps, q.since); // build trackers before the rest arrives
          for (const [tool, time] of events.slice(split)) early.push(tool, time);
          const late = history(events);
          const o = oracle(events);
          for (const q of queries) {
            const want = o.sequence(q.steps, q.since);
            expect(early.sequence(q.steps, q.since)).toBe(want);
            expect(late.sequence(q.steps, q.since)).toBe(want);
            for (const step of q.steps) {
              expect(late.count(step, q.since)).toBe(o.count(step, q.since));
              expect(early.count(step, q.since)).toBe(o.count(step, q.since));
              expect(late.seen(step, q.since)).toBe(o.count(step, q.since) > 0);
            }
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe("count's window cursor", () => {
  // Operations in any order: an action arrives, or a count / seen / sequence is asked, with a window that starts
  // later than the last one (as a session's clock moves on), earlier (another window length), or nowhere.
  const op = fc.oneof(
    fc.record({
      kind: fc.constant("push" as const),
      tool: fc.constantFrom("a", "b"),
      dt: fc.integer({ min: -2, max: 6 }),
    }),
    fc.record({
      kind: fc.constant("ask" as const),
      tools: fc.constantFrom(["a"], ["b"], ["a", "b"]),
      back: fc.oneof(fc.integer({ min: 0, max: 40 }), fc.constant(Infinity), fc.constant(-5)),
    }),
  );

  it("gives the definitions' answers after every action, for windows moving on, going back and past the scan", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 120 }), (ops) => {
        const h = new History();
        const events: [string, number][] = [];
        let t = 0;
        for (const o of ops) {
          if (o.kind === "push") {
            t += o.dt;
            h.push(o.tool, t);
            events.push([o.tool, t]);
            continue;
          }
          const since = t - o.back;
          const want = oracle(events).count(o.tools, since);
          expect(h.count(o.tools, since)).toBe(want);
          expect(h.seen(o.tools, since)).toBe(want > 0);
          expect(h.sequence([["a"], ["b"]], since)).toBe(oracle(events).sequence([["a"], ["b"]], since));
        }
      }),
      { numRuns: 400 },
    );
  });

  it("finds a window start far past the cursor, and one before it after more actions arrived", () => {
    const h = new History();
    for (let i = 0; i < 100; i++) h.push("a", i);
    expect(h.count(["a"], 90)).toBe(10);
    expect(h.count(["a"], 5)).toBe(95);
    expect(h.count(["a"], 50)).toBe(50);
    for (let i = 100; i < 110; i++) h.push("a", i);
    expect(h.count(["a"], 105)).toBe(5);
    expect(h.count(["a"], 103)).toBe(7);
    expect(h.count(["a"], 200)).toBe(0);
    h.push("a", 205);
    expect(h.count(["a"], 200)).toBe(1);
    expect(h.count(["a"], 0)).toBe(111);
    expect(h.count(["a"], -Infinity)).toBe(111);
  });
});
