/**
 * The session's context log: append-only and hash-chained (AARM R2: "each context entry SHOULD include a
 * cryptographic hash of the previous entry"). `verifyLog` recomputes the chain and names the first entry that was
 * changed, removed, reordered or inserted.
 */
import { hashJson } from "./hash.js";

export type LogKind = "open" | "action" | "result" | "context";

export interface LogEntry {
  readonly seq: number;
  readonly kind: LogKind;
  /** ms since the epoch. */
  readonly time: number;
  readonly data: unknown;
  /** Hash of the previous entry ("0"×64 for the first). */
  readonly prev: string;
  /** sha256 of the canonical JSON of {seq, kind, time, data, prev}. */
  readonly hash: string;
}

export const GENESIS = "0".repeat(64);

function entryHash(e: Omit<LogEntry, "hash">): string {
  // Members in canonical order already, so that serialising does not sort them.
  return hashJson({ data: e.data, kind: e.kind, prev: e.prev, seq: e.seq, time: e.time });
}

/** An append-only hash-chained log. */
export class ContextLog {
  readonly #entries: LogEntry[] = [];

  get head(): string {
    return this.#entries[this.#entries.length - 1]?.hash ?? GENESIS;
  }

  get entries(): readonly LogEntry[] {
    return this.#entries;
  }

  /** Append an entry holding a copy of `data` (a structured clone: later changes to `data` do not reach the log). */
  append(kind: LogKind, time: number, data: unknown): LogEntry {
    return this.#push(kind, time, structuredClone(data));
  }

  /**
   * Append an entry holding `data` itself, for data the runtime built for this entry alone: a fresh object of
   * strings, numbers, booleans, null and fresh arrays or objects of them, which no one else holds (copy an array
   * that is shared, e.g. a decision's rule ids, before handing it over). It saves the structured clone that
   * append() makes, about a microsecond and a few hundred bytes of garbage per decision. Data that is not JSON
   * throws here as in append(), before anything is appended.
   */
  appendOwn(kind: LogKind, time: number, data: Readonly<Record<string, unknown>>): LogEntry {
    return this.#push(kind, time, data);
  }

  #push(kind: LogKind, time: number, data: unknown): LogEntry {
    const seq = this.#entries.length;
    const prev = this.head;
    const hash = entryHash({ seq, kind, time, data, prev });
    // A literal, not a spread: a frozen spread copy costs V8 a hidden class of its own (about 300 bytes per entry).
    const entry: LogEntry = Object.freeze({ seq, kind, time, data, prev, hash });
    this.#entries.push(entry);
    return entry;
  }
}

export type VerifyResult = { readonly ok: true; readonly head: string } | { readonly ok: false; readonly seq: number; readonly problem: string };

/** Recompute a log's chain. */
export function verifyLog(entries: readonly LogEntry[]): VerifyResult {
  let prev = GENESIS;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (e.seq !== i) return { ok: false, seq: i, problem: `entry ${i} has sequence number ${e.seq}` };
    if (e.prev !== prev) return { ok: false, seq: i, problem: `entry ${i} does not link to the previous entry` };
    let h: string;
    try {
      h = entryHash(e);
    } catch {
      return { ok: false, seq: i, problem: `entry ${i} cannot be serialised` };
    }
    if (h !== e.hash) return { ok: false, seq: i, problem: `entry ${i} was modified (hash mismatch)` };
    prev = e.hash;
  }
  return { ok: true, head: prev };
}
