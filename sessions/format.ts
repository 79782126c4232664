/**
 * The recorded-session format (docs/recorded-sessions.md): JSONL, one record per line, each with a `type`. A
 * `session` record starts a session (a file may hold many); `action`, `result`, `context` and `expect` records
 * belong to the session above them. This file holds the records' zod schemas and the parsed form.
 */
import { z } from "zod";
import { IdentitySchema, type ToolOutcome } from "../runtime/api.js";

/** The effects an expectation may name. */
export const Effect = z.enum(["ALLOW", "DENY", "MODIFY", "STEP_UP", "DEFER"]);
export type Effect = z.infer<typeof Effect>;

/** Effects under which the tool does not run (the session is interrupted). */
export const BLOCKING: readonly Effect[] = ["DENY", "STEP_UP", "DEFER"];

/** A time: ms since the epoch, or an ISO 8601 date-time string. */
const Time = z.union([
  z.number().finite(),
  z.string().refine((s) => !Number.isNaN(Date.parse(s)), "not an ISO 8601 date-time"),
]);

const Meta = z.record(z.string(), z.unknown());

export const Identity = IdentitySchema;

export const SessionLine = z
  .object({
    type: z.literal("session"),
    version: z.literal(1),
    id: z.string().min(1),
    description: z.string().optional(),
    identity: Identity,
    request: z.string().optional(),
    context: z.record(z.string(), z.unknown()).optional(),
    time: Time.optional(),
    meta: Meta.optional(),
  })
  .strict();

export const ActionLine = z
  .object({
    type: z.literal("action"),
    id: z.string().min(1).optional(),
    tool: z.string().min(1),
    args: z.record(z.string(), z.unknown()),
    time: Time.optional(),
    expect: Effect.optional(),
    /** Rule ids that must be among the deciding rules. */
    expectRules: z.array(z.string().min(1)).min(1).optional(),
    meta: Meta.optional(),
  })
  .strict();

export const ResultLine = z.union([
  z
    .object({
      type: z.literal("result"),
      action: z.string().min(1).optional(),
      output: z.unknown(),
      seen: z.string().optional(),
    })
    .strict(),
  z.object({ type: z.literal("result"), action: z.string().min(1).optional(), error: z.string() }).strict(),
]);

export const ContextLine = z
  .object({ type: z.literal("context"), field: z.string().min(1), value: z.unknown() })
  .strict();

/** The fields of an expectation about a whole session (an `expect` record; a test's `expectSession`). */
export const ExpectFields = z
  .object({
    description: z.string().optional(),
    /** No action (up to `upTo`) got one of these effects. */
    none: z.array(Effect).min(1).optional(),
    /** Some action (up to `upTo`) got one of these effects. */
    some: z.array(Effect).min(1).optional(),
    /** Each of these rules decided at least one action. */
    rules: z.array(z.string().min(1)).min(1).optional(),
    /** Limit `none` / `some` to the actions up to and including this action id. */
    upTo: z.string().min(1).optional(),
  })
  .strict();

export const ExpectLine = ExpectFields.extend({ type: z.literal("expect") })
  .strict()
  .refine((e) => e.none || e.some || e.rules, "an expect record needs `none`, `some` or `rules`");

/** The schema of each record type. */
export const LINE_SCHEMAS = {
  session: SessionLine,
  action: ActionLine,
  result: ResultLine,
  context: ContextLine,
  expect: ExpectLine,
} as const;

export type IdentityInput = z.infer<typeof Identity>;

/** An action of a recorded session (ids are always set after parsing). */
export interface RecordedAction {
  readonly kind: "action";
  readonly id: string;
  readonly tool: string;
  readonly args: Readonly<Record<string, unknown>>;
  /** ms since the epoch. */
  readonly time?: number;
  readonly expect?: Effect;
  readonly expectRules?: readonly string[];
  readonly meta?: Readonly<Record<string, unknown>>;
  /** 1-based line in the file it was read from (0 when built in memory). */
  readonly line: number;
}

export interface RecordedResult {
  readonly kind: "result";
  readonly action: string;
  readonly outcome: ToolOutcome;
  readonly line: number;
}

export interface RecordedContext {
  readonly kind: "context";
  readonly field: string;
  readonly value: unknown;
  readonly line: number;
}

export type RecordedEvent = RecordedAction | RecordedResult | RecordedContext;

export interface SessionExpectation {
  readonly description?: string;
  readonly none?: readonly Effect[];
  readonly some?: readonly Effect[];
  readonly rules?: readonly string[];
  readonly upTo?: string;
  readonly line: number;
}

/** One recorded session. */
export interface RecordedSession {
  readonly id: string;
  readonly description?: string;
  readonly identity: IdentityInput;
  readonly request?: string;
  readonly context?: Readonly<Record<string, unknown>>;
  /** ms since the epoch. */
  readonly time?: number;
  readonly meta?: Readonly<Record<string, unknown>>;
  readonly events: readonly RecordedEvent[];
  readonly expectations: readonly SessionExpectation[];
  readonly line: number;
}

/** A time field as ms since the epoch. */
export function toMs(t: number | string | undefined): number | undefined {
  return t === undefined ? undefined : typeof t === "number" ? t : Date.parse(t);
}
