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
  return hashJson({ seq: e.seq, kind: e.kind, time: e.time, data: e.data, prev: e.prev });
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

  append(kind: LogKind, time: number, data: unknown): LogEntry {
    const seq = this.#entries.length;
    const prev = this.head;
    const copy: unknown = structuredClone(data);
    const hash = entryHash({ seq, kind, time, data: copy, prev });
    // A literal, not a spread: a frozen spread copy costs V8 a hidden class of its own (about 300 bytes per entry).
    const entry: LogEntry = Object.freeze({ seq, kind, time, data: copy, prev, hash });
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
