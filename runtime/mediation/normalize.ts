/**
 * normalizeAction: an adapter's request → the canonical action. Wrappers are resolved (keeping the original call
 * for audit), identity claims are checked against the session's identity, and the action gets its id.
 *
 * Idempotent (AARM §4): the same request and context always give the same action. Unless the caller supplies an
 * id, it is `act_` + the first 16 hex digits of the SHA-256 of the canonical JSON (RFC 8785) of
 * `{session, tool, args, time, nonce?}` (resolved tool and arguments), so key order in the arguments does not
 * matter.
 */
import { z } from "zod";
import { hashJson } from "../session/hash.js";
import {
  type ActionRequest,
  type AdapterResult,
  failure,
  fromZod,
  IDENTITY_REF_FIELDS,
  type IdentityRef,
  JsonObject,
  type MediatedAction,
  type NormalizeResult,
  ToolName,
} from "./action.js";
import { MAX_TIME, plainContext, plainRequest, type PlainContext } from "./plain-request.js";
import {
  BUILTIN_WRAPPERS,
  DEFAULT_MAX_WRAPPER_DEPTH,
  resolveWrappers,
  rewrap,
  WrapperPattern,
} from "./wrappers.js";

const IdentityRefSchema = z
  .object({
    human: z.string().optional(),
    service: z.string().optional(),
    agent: z.string().optional(),
    session: z.string().optional(),
    role: z.string().optional(),
  })
  .strict();

const Nonce = z.union([z.string(), z.number().finite()]);

const Source = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("mcp"), requestId: Nonce }).strict(),
  z.object({ kind: z.literal("http"), method: z.string(), url: z.string(), route: z.string() }).strict(),
  z.object({ kind: z.literal("shell"), line: z.string() }).strict(),
  z.object({ kind: z.literal("function") }).strict(),
]);

const RequestSchema = z
  .object({
    tool: ToolName,
    operation: z.string().min(1, "must be a non-empty verb"),
    args: JsonObject,
    source: Source,
    claims: IdentityRefSchema.optional(),
    nonce: Nonce.optional(),
  })
  .strict();

const Context = z
  .object({
    session: z.string().min(1, "must be a non-empty session id"),
    time: z.number().finite().min(0).max(MAX_TIME, "must be a time in ms since the epoch"),
    identity: IdentityRefSchema.optional(),
    id: z.string().min(1, "must be a non-empty action id").optional(),
    nonce: Nonce.optional(),
  })
  .strict();

const Options = z
  .object({
    /** Extra wrapper patterns, tried before the built-in ones. */
    wrappers: z.array(WrapperPattern).optional(),
    /** Resolve BUILTIN_WRAPPERS too (default true). */
    builtinWrappers: z.boolean().optional(),
    /** How many nested wrappers are resolved before the action is refused (default 4). */
    maxWrapperDepth: z.number().int().min(0).max(16).optional(),
  })
  .strict();

/** Where an action is normalised: its session, time, identity, and optionally its id or a nonce. */
export type NormalizeContext = z.input<typeof Context>;
/** How wrappers are resolved. */
export type MediationOptions = z.input<typeof Options>;

/** Mediation options after validation (see parseMediationOptions). */
export interface ResolvedMediation {
  readonly patterns: readonly z.infer<typeof WrapperPattern>[];
  readonly maxDepth: number;
}

/** Validate mediation options once (e.g. when a policy is loaded). */
export function parseMediationOptions(
  options: MediationOptions = {},
): { ok: true; mediation: ResolvedMediation } | ReturnType<typeof failure> {
  const o = Options.safeParse(options);
  if (!o.success) return fromZod(o.error, "mediation");
  const builtins =
    o.data.builtinWrappers === false ? [] : BUILTIN_WRAPPERS.map((p) => WrapperPattern.parse(p));
  return {
    ok: true,
    mediation: {
      patterns: [...(o.data.wrappers ?? []), ...builtins],
      maxDepth: o.data.maxWrapperDepth ?? DEFAULT_MAX_WRAPPER_DEPTH,
    },
  };
}

const DEFAULT_MEDIATION: ResolvedMediation = (() => {
  const r = parseMediationOptions();
  if (!r.ok) throw r.error;
  return r.mediation;
})();

/** The string identity attributes of an identity (e.g. a session's, which also has scopes and delegation). */
export function identityRef(identity: { readonly [K in keyof IdentityRef]?: unknown }): IdentityRef {
  const out: Record<string, string> = {};
  for (const f of IDENTITY_REF_FIELDS) {
    const v = identity[f];
    if (typeof v === "string") out[f] = v;
  }
  return out;
}

/** A request's identity claims must agree with the session's identity (AARM R6). */
function checkClaims(
  claims: IdentityRef | undefined,
  identity: IdentityRef,
  session: string,
): ReturnType<typeof failure> | null {
  if (!claims) return null;
  for (const f of IDENTITY_REF_FIELDS) {
    const claimed = claims[f];
    if (claimed === undefined) continue;
    const bound = f === "session" ? (identity.session ?? session) : identity[f];
    if (bound === undefined)
      return failure(
        "identity_mismatch",
        `identity.${f}`,
        `the request asserts ${JSON.stringify(claimed)}, but the session has no ${f} identity`,
      );
    if (claimed !== bound)
      return failure(
        "identity_mismatch",
        `identity.${f}`,
        `the request asserts ${JSON.stringify(claimed)}, but the session is bound to ${JSON.stringify(bound)}`,
      );
  }
  return null;
}

/** The deterministic action id. */
export function actionId(
  session: string,
  tool: string,
  args: unknown,
  time: number,
  nonce?: string | number,
): string {
  return `act_${hashJson({ session, tool, args, time, ...(nonce !== undefined ? { nonce } : {}) }).slice(0, 16)}`;
}

type Parsed =
  { readonly ok: true; readonly req: ActionRequest; readonly ctx: PlainContext } | ReturnType<typeof failure>;

/** The request and context validated and copied: by hand when plainly valid (plain-request.ts), else by the schemas. */
export function parseInput(raw: unknown, context: unknown): Parsed {
  const req = plainRequest(raw);
  const ctx = req && plainContext(context);
  return req && ctx ? { ok: true, req, ctx } : parseInputBySchema(raw, context);
}

/** parseInput with everything judged by the schemas. */
export function parseInputBySchema(raw: unknown, context: unknown): Parsed {
  const r = RequestSchema.safeParse(raw);
  if (!r.success) return fromZod(r.error, "request");
  const c = Context.safeParse(context);
  if (!c.success) return fromZod(c.error, "context");
  // (zod types an optional member as possibly undefined; normalizeWith reads undefined as absent)
  return { ok: true, req: r.data as ActionRequest, ctx: c.data as PlainContext };
}

/** Every action normalizeWith made (Session.decideNormalized decides only these without normalising again). */
const made = new WeakSet<object>();

/** Is this the very object normalizeWith returned as an action (not a copy, not a hand-made look-alike)? */
export function isNormalized(a: unknown): a is MediatedAction {
  return typeof a === "object" && a !== null && made.has(a);
}

/** normalizeAction with options already validated. Never throws. */
export function normalizeWith(
  input: AdapterResult | ActionRequest,
  context: NormalizeContext,
  mediation: ResolvedMediation,
): NormalizeResult {
  try {
    let raw: unknown = input;
    if (typeof input === "object" && input !== null && "ok" in input) {
      if (!input.ok) return input;
      raw = input.request;
    }
    const parsed = parseInput(raw, context);
    if (!parsed.ok) return parsed;
    const { req, ctx } = parsed;
    const identity = identityRef(ctx.identity ?? {});
    const bad = checkClaims(req.claims && identityRef(req.claims), identity, ctx.session);
    if (bad) return bad;
    const res = resolveWrappers(req.tool, req.args, mediation.patterns, mediation.maxDepth);
    if (!res.ok) return res;
    const nonce = ctx.nonce ?? req.nonce;
    const action: MediatedAction = {
      id: ctx.id ?? actionId(ctx.session, res.tool, res.args, ctx.time, nonce),
      time: ctx.time,
      tool: res.tool,
      operation: req.operation,
      args: res.args,
      session: ctx.session,
      identity,
      source: req.source,
      ...(res.steps.length > 0
        ? { wrapper: { tool: req.tool, args: req.args, chain: res.steps.map((s) => s.tool) } }
        : {}),
    };
    made.add(action);
    return { ok: true, action };
  } catch (e) {
    return failure(
      "invalid_request",
      "request",
      `cannot be normalised (${e instanceof Error ? e.message : String(e)})`,
    );
  }
}

/**
 * Normalise an adapter's result (or a hand-made ActionRequest) into the canonical action. Pure: the same input
 * gives a deep-equal action. A failed adapter result is passed through; the caller must DENY any failure.
 */
export function normalizeAction(
  input: AdapterResult | ActionRequest,
  context: NormalizeContext,
  options?: MediationOptions,
): NormalizeResult {
  if (options === undefined) return normalizeWith(input, context, DEFAULT_MEDIATION);
  const m = parseMediationOptions(options);
  return m.ok ? normalizeWith(input, context, m.mediation) : m;
}

/**
 * The arguments to run a wrapped action's wrapper with, given arguments for the resolved tool (a MODIFY decision's
 * modifiedArgs). For an unwrapped action, the arguments unchanged.
 */
export function wrapperArgs(
  action: Pick<MediatedAction, "wrapper">,
  args: Readonly<Record<string, unknown>>,
  options?: MediationOptions,
): { ok: true; args: Readonly<Record<string, unknown>> } | ReturnType<typeof failure> {
  if (!action.wrapper) return { ok: true, args };
  const m =
    options === undefined
      ? { ok: true as const, mediation: DEFAULT_MEDIATION }
      : parseMediationOptions(options);
  if (!m.ok) return m;
  const res = resolveWrappers(
    action.wrapper.tool,
    action.wrapper.args,
    m.mediation.patterns,
    m.mediation.maxDepth,
  );
  return res.ok ? { ok: true, args: rewrap(res.steps, args) } : res;
}
