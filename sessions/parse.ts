/**
 * Parsing recorded sessions from JSONL text: each line is validated with zod against its record type, and the
 * records are grouped into sessions. Errors carry the 1-based line number and the field at fault; parsing goes on
 * after an error so that one run reports many (up to MAX_ERRORS).
 */
import type { z } from "zod";
import {
  LINE_SCHEMAS,
  type RecordedAction,
  type RecordedEvent,
  type RecordedSession,
  type SessionExpectation,
  type SessionLine,
  toMs,
} from "./format.js";

/** A problem in a recorded-session file. */
export interface FormatIssue {
  readonly line: number;
  readonly message: string;
}

export type ParseResult =
  | { readonly ok: true; readonly sessions: RecordedSession[] }
  | { readonly ok: false; readonly errors: FormatIssue[] };

const MAX_ERRORS = 20;

function zodIssue(e: z.ZodError): string {
  const i = e.issues[0];
  if (!i) return "invalid record";
  const where = i.path.map(String).join(".");
  return where ? `${where}: ${i.message}` : i.message;
}

/** A session being assembled. */
class Builder {
  readonly events: RecordedEvent[] = [];
  readonly expectations: SessionExpectation[] = [];
  readonly ids = new Set<string>();
  readonly resulted = new Set<string>();
  last: string | undefined;
  constructor(
    readonly head: z.infer<typeof SessionLine>,
    readonly line: number,
  ) {}

  build(): RecordedSession {
    const h = this.head;
    const time = toMs(h.time);
    return {
      id: h.id,
      identity: h.identity,
      ...(h.description !== undefined ? { description: h.description } : {}),
      ...(h.request !== undefined ? { request: h.request } : {}),
      ...(h.context !== undefined ? { context: h.context } : {}),
      ...(time !== undefined ? { time } : {}),
      ...(h.meta !== undefined ? { meta: h.meta } : {}),
      events: this.events,
      expectations: this.expectations,
      line: this.line,
    };
  }
}

/** Add one validated record to the current session; returns an error message or null. */
function add(b: Builder, type: string, r: Record<string, unknown>, line: number): string | null {
  switch (type) {
    case "action": {
      const n = b.events.filter((e) => e.kind === "action").length + 1;
      const id = (r["id"] as string | undefined) ?? `action-${n}`;
      if (b.ids.has(id)) return `id: action id '${id}' is used twice in session '${b.head.id}'`;
      b.ids.add(id);
      b.last = id;
      const { type: _t, id: _i, time, ...rest } = r;
      const ms = toMs(time as number | string | undefined);
      b.events.push({ kind: "action", id, ...(rest as Omit<RecordedAction, "kind" | "id" | "line">), ...(ms !== undefined ? { time: ms } : {}), line });
      return null;
    }
    case "result": {
      const action = (r["action"] as string | undefined) ?? b.last;
      if (action === undefined) return "action: a result before any action";
      if (!b.ids.has(action)) return `action: no earlier action '${action}' in session '${b.head.id}'`;
      if (b.resulted.has(action)) return `action: action '${action}' already has a result`;
      b.resulted.add(action);
      const outcome =
        "error" in r
          ? { error: r["error"] as string }
          : typeof r["seen"] === "string"
            ? { output: r["output"], seen: r["seen"] }
            : { output: r["output"] };
      b.events.push({ kind: "result", action, outcome, line });
      return null;
    }
    case "context":
      b.events.push({ kind: "context", field: r["field"] as string, value: r["value"], line });
      return null;
    case "expect": {
      const { type: _t, ...rest } = r;
      b.expectations.push({ ...(rest as Omit<SessionExpectation, "line">), line });
      return null;
    }
    default:
      return `type: unexpected record type '${type}'`;
  }
}

/** Parse a JSONL text of recorded sessions. */
export function parseSessions(text: string): ParseResult {
  const errors: FormatIssue[] = [];
  const sessions: RecordedSession[] = [];
  const seen = new Set<string>();
  let current: Builder | undefined;
  const lines = text.split("\n");
  for (let i = 0; i < lines.length && errors.length < MAX_ERRORS; i++) {
    const line = i + 1;
    const raw = lines[i]!.trim();
    if (raw === "") continue;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (e) {
      errors.push({ line, message: `not valid JSON (${e instanceof Error ? e.message : String(e)})` });
      continue;
    }
    const type = typeof json === "object" && json !== null && !Array.isArray(json) ? (json as { type?: unknown }).type : undefined;
    const schema = typeof type === "string" ? LINE_SCHEMAS[type as keyof typeof LINE_SCHEMAS] : undefined;
    if (!schema) {
      errors.push({ line, message: `type: expected one of ${Object.keys(LINE_SCHEMAS).join(", ")}, got ${JSON.stringify(type) ?? "nothing"}` });
      continue;
    }
    const r = schema.safeParse(json);
    if (!r.success) {
      errors.push({ line, message: `${type} record: ${zodIssue(r.error)}` });
      continue;
    }
    if (type === "session") {
      if (current) sessions.push(current.build());
      const head = r.data as z.infer<typeof SessionLine>;
      if (seen.has(head.id)) errors.push({ line, message: `id: session id '${head.id}' is used twice` });
      seen.add(head.id);
      current = new Builder(head, line);
      continue;
    }
    if (!current) {
      errors.push({ line, message: `a ${type} record before any session record` });
      continue;
    }
    const problem = add(current, type as string, r.data as Record<string, unknown>, line);
    if (problem) errors.push({ line, message: problem });
  }
  if (current) sessions.push(current.build());
  for (const s of sessions) {
    for (const e of s.expectations) {
      if (e.upTo !== undefined && !s.events.some((x) => x.kind === "action" && x.id === e.upTo)) {
        errors.push({ line: e.line, message: `upTo: no action '${e.upTo}' in session '${s.id}'` });
      }
    }
  }
  if (errors.length > 0) return { ok: false, errors: errors.sort((a, b) => a.line - b.line) };
  if (sessions.length === 0) return { ok: false, errors: [{ line: 1, message: "no session record: a file starts with a session record" }] };
  return { ok: true, sessions };
}
