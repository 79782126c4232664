/**
 * `aarm gateway --record DIR`: each session written, as it happens, in the recorded-session format
 * (docs/recorded-sessions.md) to `DIR/<session id>.jsonl`, so that `aarm test` replays production traffic. Every
 * action carries `expect` (the effect the gateway's policy decided) so a replay under a changed policy shows
 * what changed; results are recorded for the actions that ran. A write error is reported once and the session
 * goes on: recordings are test material, receipts are the evidence.
 *
 * The lines of a turn of the event loop are written together at its end (setImmediate), one synchronous write()
 * per session file into the page cache: a call's action and result lines go out in one system call, with no trip
 * to libuv's thread pool and no wake-up of the event loop of their own. Closing a session writes what is left.
 */
import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import { join } from "node:path";
import type { Effect, IdentityInput } from "../sessions/index.js";
import type { ToolOutcome } from "../runtime/index.js";

export interface RecordedHead {
  readonly id: string;
  readonly identity: IdentityInput;
  readonly request?: string;
  readonly context?: Readonly<Record<string, unknown>>;
  readonly time: number;
  readonly meta?: Readonly<Record<string, unknown>>;
}

export interface RecordedCall {
  readonly id: string;
  readonly tool: string;
  readonly args: Readonly<Record<string, unknown>>;
  readonly time: number;
  readonly expect: Effect;
  readonly meta?: Readonly<Record<string, unknown>>;
}

/** One session's recording. */
export interface SessionRecording {
  action(call: RecordedCall): void;
  result(actionId: string, outcome: ToolOutcome): void;
  close(): Promise<void>;
}

export interface SessionRecorder {
  open(head: RecordedHead): SessionRecording;
}

/** A file name for a session id: letters, digits, `.`, `_`, `-` kept, anything else as `_`. */
function fileName(id: string): string {
  return `${id
    .replace(/[^A-Za-z0-9._-]/g, "_")
    .replace(/^\.+/, "_")
    .slice(0, 200)}.jsonl`;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** One session file: lines queued during a turn, written at its end. */
class RecordingFile {
  #fd: number | null = null;
  #lines = "";
  #failed = false;

  constructor(
    readonly path: string,
    readonly log: (line: string) => void,
  ) {
    try {
      this.#fd = openSync(path, "a");
    } catch (e) {
      this.#fail(e);
    }
  }

  /** Queue a record; true when the file had nothing queued (it must be flushed at the end of the turn). */
  queue(record: unknown): boolean {
    if (this.#failed) return false;
    const first = this.#lines === "";
    this.#lines += `${JSON.stringify(record)}\n`;
    return first;
  }

  /** Write what is queued. */
  flush(): void {
    const text = this.#lines;
    this.#lines = "";
    if (this.#failed || this.#fd === null || text === "") return;
    const data = Buffer.from(text, "utf8");
    try {
      let done = 0;
      while (done < data.length) done += writeSync(this.#fd, data, done, data.length - done);
    } catch (e) {
      this.#fail(e);
    }
  }

  close(): void {
    this.flush();
    if (this.#fd === null) return;
    try {
      closeSync(this.#fd);
    } catch (e) {
      this.#fail(e);
    }
    this.#fd = null;
    this.#failed = true; // nothing more is written
  }

  #fail(e: unknown): void {
    if (!this.#failed)
      this.log(`recording ${this.path}: ${message(e)}; the rest of this session is not recorded`);
    this.#failed = true;
    this.#lines = "";
  }
}

/** A recorder writing one JSONL file per session into `dir` (created if missing). */
export function directoryRecorder(dir: string, log: (line: string) => void): SessionRecorder {
  mkdirSync(dir, { recursive: true });
  /** Files with lines queued in this turn; flushed together at its end. */
  const dirty: RecordingFile[] = [];
  const flush = () => {
    for (const f of dirty.splice(0)) f.flush();
  };
  return {
    open(head) {
      const file = new RecordingFile(join(dir, fileName(head.id)), log);
      const write = (record: unknown) => {
        if (!file.queue(record)) return;
        if (dirty.length === 0) setImmediate(flush);
        dirty.push(file);
      };
      write({
        type: "session",
        version: 1,
        id: head.id,
        identity: head.identity,
        ...(head.request !== undefined ? { request: head.request } : {}),
        ...(head.context !== undefined ? { context: head.context } : {}),
        time: head.time,
        ...(head.meta !== undefined ? { meta: head.meta } : {}),
      });
      return {
        action: (c) => write({ type: "action", ...c }),
        result: (action, outcome) => write({ type: "result", action, ...outcome }),
        close: () => {
          file.close();
          return Promise.resolve();
        },
      };
    },
  };
}
