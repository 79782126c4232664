/**
 * `aarm gateway --record DIR`: each session written, as it happens, in the recorded-session format
 * (docs/recorded-sessions.md) to `DIR/<session id>.jsonl`, so that `aarm test` replays production traffic. Every
 * action carries `expect` (the effect the gateway's policy decided) so a replay under a changed policy shows
 * what changed; results are recorded for the actions that ran. A write error is reported once and the session
 * goes on: recordings are test material, receipts are the evidence.
 */
import { createWriteStream, mkdirSync, type WriteStream } from "node:fs";
import { join } from "node:path";
import type { Effect, IdentityInput } from "../sessions/index.js";
import type { CallOutcome } from "./results.js";

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
  result(actionId: string, outcome: CallOutcome): void;
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

/** A recorder writing one JSONL file per session into `dir` (created if missing). */
export function directoryRecorder(dir: string, log: (line: string) => void): SessionRecorder {
  mkdirSync(dir, { recursive: true });
  return {
    open(head) {
      const path = join(dir, fileName(head.id));
      let failed = false;
      const stream: WriteStream = createWriteStream(path, { flags: "a" });
      stream.on("error", (e) => {
        if (!failed) log(`recording ${path}: ${e.message}; the rest of this session is not recorded`);
        failed = true;
      });
      const write = (record: unknown) => {
        if (!failed) stream.write(`${JSON.stringify(record)}\n`);
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
        close: () => new Promise<void>((resolve) => stream.end(resolve)),
      };
    },
  };
}
