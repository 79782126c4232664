import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hashJson } from "./hash.js";
import { ContextLog, GENESIS, type LogEntry, type LogKind, verifyLog } from "./log.js";

const KINDS: LogKind[] = ["open", "action", "result", "context"];

function build(items: readonly { kind: LogKind; time: number; data: unknown }[]): LogEntry[] {
  const log = new ContextLog();
  for (const x of items) log.append(x.kind, x.time, x.data);
  return [...log.entries];
}

/** An entry as a forger would make it: well-formed, correctly hashed over whatever it claims. */
function forge(seq: number, prev: string, data: unknown, kind: LogKind = "context", time = 0): LogEntry {
  return { seq, kind, time, data, prev, hash: hashJson({ seq, kind, time, data, prev }) };
}

const item = fc.record({
  kind: fc.constantFrom(...KINDS),
  time: fc.integer({ min: 0, max: 2 ** 45 }),
  data: fc.jsonValue({ maxDepth: 2 }),
});
const logArb = fc.array(item, { minLength: 2, maxLength: 12 }).map(build);

describe("ContextLog", () => {
  it("chains every entry to the previous one, from the genesis hash", () => {
    const entries = build([
      { kind: "open", time: 1, data: { session: "s" } },
      { kind: "action", time: 2, data: { id: "a1" } },
    ]);
    expect(entries.map((e) => e.seq)).toEqual([0, 1]);
    expect(entries[0]!.prev).toBe(GENESIS);
    expect(entries[1]!.prev).toBe(entries[0]!.hash);
    expect(entries[0]!.hash).toBe(
      hashJson({ seq: 0, kind: "open", time: 1, data: { session: "s" }, prev: GENESIS }),
    );
    expect(entries[0]!.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(verifyLog(entries)).toEqual({ ok: true, head: entries[1]!.hash });
    expect(verifyLog([])).toEqual({ ok: true, head: GENESIS });
  });

  it("keeps a copy of the data, and frozen entries", () => {
    const log = new ContextLog();
    const data = { field: "env", value: ["prod"] };
    const e = log.append("context", 5, data);
    data.value.push("staging");
    expect(e.data).toEqual({ field: "env", value: ["prod"] });
    expect(Object.isFrozen(e)).toBe(true);
    expect(log.head).toBe(e.hash);
    expect(verifyLog(log.entries).ok).toBe(true);
  });

  it("appendOwn keeps the data it is handed, chained and hashed exactly as append would", () => {
    fc.assert(
      fc.property(fc.array(item, { minLength: 1, maxLength: 8 }), (items) => {
        const copied = new ContextLog();
        const own = new ContextLog();
        for (const x of items) {
          const data = { value: x.data };
          copied.append(x.kind, x.time, data);
          expect(own.appendOwn(x.kind, x.time, data).data).toBe(data);
        }
        expect(own.entries).toEqual(copied.entries);
        expect(verifyLog(own.entries)).toEqual({ ok: true, head: copied.head });
      }),
    );
  });

  it("appendOwn refuses data that is not JSON and appends nothing", () => {
    const log = new ContextLog();
    log.append("open", 1, { session: "s" });
    const head = log.head;
    expect(() => log.appendOwn("action", 2, { f: () => 1 })).toThrow(TypeError);
    expect(() => log.appendOwn("action", 2, { n: Number.NaN })).toThrow(TypeError);
    expect(log.entries).toHaveLength(1);
    expect(log.head).toBe(head);
  });
});

describe("verifyLog detects tampering with any entry", () => {
  it("a modified entry (kind, time or data), at its sequence number", () => {
    fc.assert(
      fc.property(logArb, fc.nat(), fc.constantFrom("kind", "time", "data"), (entries, n, what) => {
        const i = n % entries.length;
        const e = entries[i]!;
        const changed: LogEntry =
          what === "kind"
            ? { ...e, kind: e.kind === "open" ? "action" : "open" }
            : what === "time"
              ? { ...e, time: e.time + 1 }
              : { ...e, data: { tampered: e.data } };
        const tampered = entries.map((x, j) => (j === i ? changed : x));
        expect(verifyLog(tampered)).toEqual({
          ok: false,
          seq: i,
          problem: `entry ${i} was modified (hash mismatch)`,
        });
      }),
    );
  });

  it("a modified entry whose hash was recomputed, at the next entry (or by a different head at the end)", () => {
    fc.assert(
      fc.property(logArb, fc.nat(), (entries, n) => {
        const i = n % entries.length;
        const e = entries[i]!;
        const tampered = entries.map((x, j) =>
          j === i ? forge(e.seq, e.prev, { tampered: e.data }, e.kind, e.time) : x,
        );
        const r = verifyLog(tampered);
        if (i < entries.length - 1)
          expect(r).toEqual({
            ok: false,
            seq: i + 1,
            problem: `entry ${i + 1} does not link to the previous entry`,
          });
        else expect(r).toEqual({ ok: true, head: tampered[i]!.hash });
        if (r.ok) expect(r.head).not.toBe(entries[entries.length - 1]!.hash);
      }),
    );
  });

  it("a deleted entry, where it was (or by a different head when the last is cut off)", () => {
    fc.assert(
      fc.property(logArb, fc.nat(), (entries, n) => {
        const i = n % entries.length;
        const tampered = entries.filter((_, j) => j !== i);
        const r = verifyLog(tampered);
        if (i < entries.length - 1)
          expect(r).toEqual({ ok: false, seq: i, problem: `entry ${i} has sequence number ${i + 1}` });
        else expect(r).toEqual({ ok: true, head: entries[i - 1]!.hash });
        if (r.ok) expect(r.head).not.toBe(entries[entries.length - 1]!.hash);
      }),
    );
  });

  it("two entries swapped, at the first of them", () => {
    fc.assert(
      fc.property(logArb, fc.nat(), fc.nat(), (entries, a, b) => {
        const i = a % entries.length;
        const j = b % entries.length;
        fc.pre(i !== j);
        const [lo, hi] = i < j ? [i, j] : [j, i];
        const tampered = [...entries];
        [tampered[lo], tampered[hi]] = [tampered[hi]!, tampered[lo]!];
        expect(verifyLog(tampered)).toEqual({
          ok: false,
          seq: lo,
          problem: `entry ${lo} has sequence number ${hi}`,
        });
      }),
    );
  });

  it("an inserted entry, even a well-formed one that links to its predecessor", () => {
    fc.assert(
      fc.property(logArb, fc.nat(), fc.jsonValue({ maxDepth: 1 }), (entries, n, data) => {
        const i = n % entries.length; // insert before entries[i]; appending at the end is just an append
        const prev = i === 0 ? GENESIS : entries[i - 1]!.hash;
        const tampered = [...entries.slice(0, i), forge(i, prev, data), ...entries.slice(i)];
        expect(verifyLog(tampered)).toEqual({
          ok: false,
          seq: i + 1,
          problem: `entry ${i + 1} has sequence number ${i}`,
        });
        // Renumbering everything after it does not help: the next entry's link names the replaced one.
        const renumbered = tampered.map((e, j) => (j > i ? { ...e, seq: j } : e));
        const r = verifyLog(renumbered);
        expect(r.ok).toBe(false);
        if (!r.ok) expect(r.seq).toBe(i + 1);
      }),
    );
  });

  it("an entry that cannot be serialised", () => {
    const entries = build([{ kind: "open", time: 0, data: {} }]);
    const bad = [{ ...entries[0]!, data: { x: Number.NaN } }];
    expect(verifyLog(bad)).toEqual({ ok: false, seq: 0, problem: "entry 0 cannot be serialised" });
  });
});
