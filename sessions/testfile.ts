/**
 * Policy test files (docs/testing.md): JSON (comments and trailing commas allowed) holding named tests, each a
 * small session — identity, request, context, then steps (actions with their expected decision and tool output,
 * or context changes) — with fixtures shared across the file. A test file is turned into recorded sessions
 * (format.ts), so tests and recorded sessions are replayed and checked by the same code (replay.ts).
 */
import jsonc from "jsonc-parser";
import { z } from "zod";
import {
  Effect,
  ExpectFields,
  Identity,
  type IdentityInput,
  type RecordedEvent,
  type RecordedSession,
  type SessionExpectation,
  toMs,
} from "./format.js";
import type { FormatIssue } from "./parse.js";

const Time = z.union([
  z.number().finite(),
  z.string().refine((s) => !Number.isNaN(Date.parse(s)), "not an ISO 8601 date-time"),
]);
const ContextValues = z.record(z.string(), z.unknown());

const ActionStep = z
  .object({
    id: z.string().min(1).optional(),
    description: z.string().optional(),
    tool: z.string().min(1),
    args: z.record(z.string(), z.unknown()).default({}),
    time: Time.optional(),
    expect: Effect.optional(),
    /** Rule ids that must be among those that decided. */
    rules: z.array(z.string().min(1)).min(1).optional(),
    output: z.unknown().optional(),
    /** Text the agent read beside the output (an MCP result's text blocks beside its structuredContent). */
    seen: z.string().optional(),
    error: z.string().optional(),
    meta: z.record(z.string(), z.unknown()).optional(),
  })
  .strict()
  .refine((s) => !("output" in s && "error" in s), "a step has `output` or `error`, not both")
  .refine((s) => s.seen === undefined || "output" in s, "`seen` goes with an `output`");

const ContextStep = z.object({ context: ContextValues }).strict();

const Step = z.union([ActionStep, ContextStep]);

const SessionExpect = ExpectFields.refine(
  (e) => e.none || e.some || e.rules,
  "an expectation needs `none`, `some` or `rules`",
);

const Test = z
  .object({
    name: z.string().min(1),
    description: z.string().optional(),
    identity: z.union([z.string().min(1), Identity]).optional(),
    request: z.string().optional(),
    context: z.union([z.string().min(1), ContextValues]).optional(),
    time: Time.optional(),
    steps: z.array(Step).min(1).optional(),
    // The one-action shorthand: `tool`, `args`, `expect`, `rules` (and `output`) of a single step.
    tool: z.string().min(1).optional(),
    args: z.record(z.string(), z.unknown()).optional(),
    expect: Effect.optional(),
    rules: z.array(z.string().min(1)).min(1).optional(),
    output: z.unknown().optional(),
    expectSession: z.union([SessionExpect, z.array(SessionExpect).min(1)]).optional(),
  })
  .strict()
  .refine(
    (t) => (t.steps === undefined) !== (t.tool === undefined),
    "a test has either `steps` or a single `tool` action",
  )
  .refine(
    (t) =>
      t.steps === undefined ||
      (t.args === undefined && t.expect === undefined && t.rules === undefined && !("output" in t)),
    "`args`, `expect`, `rules` and `output` belong in the steps when a test has `steps`",
  );

export const TestFile = z
  .object({
    $schema: z.string().optional(),
    description: z.string().optional(),
    fixtures: z
      .object({
        identities: z.record(z.string(), Identity).optional(),
        contexts: z.record(z.string(), ContextValues).optional(),
      })
      .strict()
      .optional(),
    defaults: z
      .object({
        identity: z.union([z.string().min(1), Identity]).optional(),
        request: z.string().optional(),
        context: z.union([z.string().min(1), ContextValues]).optional(),
      })
      .strict()
      .optional(),
    tests: z.array(Test).min(1),
  })
  .strict();

export type TestFile = z.infer<typeof TestFile>;
type TestEntry = z.infer<typeof Test>;
type StepEntry = z.infer<typeof Step>;

export type TestFileResult =
  | { readonly ok: true; readonly description?: string; readonly sessions: RecordedSession[] }
  | { readonly ok: false; readonly errors: FormatIssue[] };

/** 1-based line of an offset. */
function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** The line of the value at `path` in the tree (the closest enclosing value that exists). */
function lineOf(text: string, root: jsonc.Node | undefined, path: readonly (string | number)[]): number {
  if (!root) return 1;
  for (let n = path.length; n >= 0; n--) {
    const node = jsonc.findNodeAtLocation(root, path.slice(0, n) as jsonc.JSONPath);
    if (node) return lineAt(text, node.offset);
  }
  return 1;
}

/** Resolves fixture references while one file is converted; records what went wrong. */
class Resolver {
  readonly errors: FormatIssue[] = [];
  constructor(
    readonly file: TestFile,
    readonly text: string,
    readonly root: jsonc.Node | undefined,
  ) {}

  identity(ref: TestEntry["identity"], path: (string | number)[]): IdentityInput {
    const r = ref ?? this.file.defaults?.identity;
    if (r === undefined) return {};
    if (typeof r !== "string") return r;
    const found = this.file.fixtures?.identities?.[r];
    if (!found) this.fail(path, `identity: no identity fixture '${r}' (fixtures.identities)`);
    return found ?? {};
  }

  context(ref: TestEntry["context"], path: (string | number)[]): Record<string, unknown> | undefined {
    const r = ref ?? this.file.defaults?.context;
    if (r === undefined || typeof r !== "string") return r;
    const found = this.file.fixtures?.contexts?.[r];
    if (!found) this.fail(path, `context: no context fixture '${r}' (fixtures.contexts)`);
    return found;
  }

  fail(path: (string | number)[], message: string): void {
    this.errors.push({ line: lineOf(this.text, this.root, path), message });
  }
}

function stepEvents(
  steps: readonly StepEntry[],
  text: string,
  root: jsonc.Node | undefined,
  at: number,
): RecordedEvent[] {
  const events: RecordedEvent[] = [];
  let n = 0;
  steps.forEach((s, j) => {
    const line = lineOf(text, root, ["tests", at, "steps", j]);
    if ("context" in s) {
      for (const [field, value] of Object.entries(s.context))
        events.push({ kind: "context", field, value, line });
      return;
    }
    n++;
    const id = s.id ?? `step-${n}`;
    const time = toMs(s.time);
    events.push({
      kind: "action",
      id,
      tool: s.tool,
      args: s.args,
      ...(time !== undefined ? { time } : {}),
      ...(s.expect !== undefined ? { expect: s.expect } : {}),
      ...(s.rules !== undefined ? { expectRules: s.rules } : {}),
      ...(s.meta !== undefined ? { meta: s.meta } : {}),
      line,
    });
    if ("error" in s && s.error !== undefined)
      events.push({ kind: "result", action: id, outcome: { error: s.error }, line });
    else if ("output" in s)
      events.push({
        kind: "result",
        action: id,
        outcome: s.seen !== undefined ? { output: s.output, seen: s.seen } : { output: s.output },
        line,
      });
  });
  return events;
}

function toSession(t: TestEntry, i: number, r: Resolver): RecordedSession {
  const { text, root } = r;
  const steps: StepEntry[] = t.steps ?? [
    {
      tool: t.tool!,
      args: t.args ?? {},
      ...(t.expect !== undefined ? { expect: t.expect } : {}),
      ...(t.rules !== undefined ? { rules: t.rules } : {}),
      ...("output" in t ? { output: t.output } : {}),
    },
  ];
  const events = stepEvents(steps, text, root, i);
  const ids = new Set(events.flatMap((e) => (e.kind === "action" ? [e.id] : [])));
  if (ids.size !== events.filter((e) => e.kind === "action").length)
    r.fail(["tests", i, "steps"], "steps: two steps have the same id");
  const expects =
    t.expectSession === undefined ? [] : Array.isArray(t.expectSession) ? t.expectSession : [t.expectSession];
  const expectations: SessionExpectation[] = expects.map((e, k) => {
    const line = lineOf(text, root, [
      "tests",
      i,
      "expectSession",
      ...(Array.isArray(t.expectSession) ? [k] : []),
    ]);
    if (e.upTo !== undefined && !ids.has(e.upTo))
      r.fail(["tests", i, "expectSession"], `expectSession.upTo: no step '${e.upTo}' in test '${t.name}'`);
    return { ...(e as Omit<SessionExpectation, "line">), line };
  });
  const request = t.request ?? r.file.defaults?.request;
  const context = r.context(t.context, ["tests", i, "context"]);
  const time = toMs(t.time);
  return {
    id: t.name,
    ...(t.description !== undefined ? { description: t.description } : {}),
    identity: r.identity(t.identity, ["tests", i, "identity"]),
    ...(request !== undefined ? { request } : {}),
    ...(context !== undefined ? { context } : {}),
    ...(time !== undefined ? { time } : {}),
    events,
    expectations,
    line: lineOf(text, root, ["tests", i]),
  };
}

/** Parse a test file's text into recorded sessions, one per test. */
export function parseTestFile(text: string): TestFileResult {
  const parseErrors: jsonc.ParseError[] = [];
  const root = jsonc.parseTree(text, parseErrors, { allowTrailingComma: true, disallowComments: false });
  if (parseErrors.length > 0 || !root) {
    const e = parseErrors[0];
    return {
      ok: false,
      errors: [
        {
          line: e ? lineAt(text, e.offset) : 1,
          message: `not valid JSON (${e ? jsonc.printParseErrorCode(e.error).replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase() : "empty file"})`,
        },
      ],
    };
  }
  const parsed = TestFile.safeParse(jsonc.getNodeValue(root));
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.slice(0, 20).map((i) => {
        const path = i.path.filter((p): p is string | number => typeof p !== "symbol");
        return {
          line: lineOf(text, root, path),
          message: `${path.map(String).join(".") || "(root)"}: ${i.message}`,
        };
      }),
    };
  }
  const file = parsed.data;
  const r = new Resolver(file, text, root);
  const seen = new Set<string>();
  const sessions = file.tests.map((t, i) => {
    if (seen.has(t.name)) r.fail(["tests", i, "name"], `name: test name '${t.name}' is used twice`);
    seen.add(t.name);
    return toSession(t, i, r);
  });
  if (r.errors.length > 0) return { ok: false, errors: r.errors };
  return { ok: true, ...(file.description !== undefined ? { description: file.description } : {}), sessions };
}
