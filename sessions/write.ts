/**
 * Writing recorded sessions as JSONL (the inverse of parse.ts): one record per line, in event order, so that
 * `parseSessions(formatSessions(s))` gives `s` back (times as ms since the epoch).
 */
import type { RecordedSession } from "./format.js";

function sessionLines(s: RecordedSession): unknown[] {
  const head = {
    type: "session",
    version: 1,
    id: s.id,
    ...(s.description !== undefined ? { description: s.description } : {}),
    identity: s.identity,
    ...(s.request !== undefined ? { request: s.request } : {}),
    ...(s.context !== undefined ? { context: s.context } : {}),
    ...(s.time !== undefined ? { time: s.time } : {}),
    ...(s.meta !== undefined ? { meta: s.meta } : {}),
  };
  const out: unknown[] = [head];
  for (const e of s.events) {
    if (e.kind === "action") {
      const { kind: _k, line: _l, ...rest } = e;
      out.push({ type: "action", ...rest });
    } else if (e.kind === "result") {
      out.push({ type: "result", action: e.action, ...e.outcome });
    } else {
      out.push({ type: "context", field: e.field, value: e.value });
    }
  }
  for (const x of s.expectations) {
    const { line: _l, ...rest } = x;
    out.push({ type: "expect", ...rest });
  }
  return out;
}

/** Sessions as JSONL text (newline-terminated). */
export function formatSessions(sessions: readonly RecordedSession[]): string {
  return sessions.flatMap(sessionLines).map((r) => `${JSON.stringify(r)}\n`).join("");
}
