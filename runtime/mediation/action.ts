/**
 * The canonical action of action mediation (AARM §4): whatever protocol a tool call arrives in (an MCP
 * `tools/call`, an HTTP request, a shell command line, a plain function call), the policy sees one shape.
 *
 * Mediation is two steps, both pure functions: an adapter turns a protocol request into an ActionRequest
 * (tool, operation, arguments, where it came from), and normalizeAction resolves wrapper tools and gives the
 * action its id, time, session and identity. Every failure is a MediationError value naming the field at fault;
 * the caller must DENY such a request (Session.decideRequest does).
 */
import { z } from "zod";

/** The identity attributes an action refers to (the string attributes of the session's identity). */
export interface IdentityRef {
  readonly human?: string;
  readonly service?: string;
  readonly agent?: string;
  readonly session?: string;
  readonly role?: string;
}

/** The identity attributes an action can refer to. */
export const IDENTITY_REF_FIELDS = ["human", "service", "agent", "session", "role"] as const;

/** Where an action came from, for audit. */
export type ActionSource =
  | { readonly kind: "mcp"; readonly requestId: string | number }
  | { readonly kind: "http"; readonly method: string; readonly url: string; readonly route: string }
  | { readonly kind: "shell"; readonly line: string }
  | { readonly kind: "function" };

/** What an adapter produces: the call as the agent made it, before wrapper resolution. */
export interface ActionRequest {
  readonly tool: string;
  /** The protocol verb: "tools/call" (MCP), the lower-case HTTP method, "exec" (shell), "call" (function). */
  readonly operation: string;
  /** The arguments (AARM's `parameters`): a JSON object. */
  readonly args: Readonly<Record<string, unknown>>;
  readonly source: ActionSource;
  /** Identity the request itself asserts (e.g. gateway headers); it must agree with the session's. */
  readonly claims?: IdentityRef;
  /** Tells otherwise identical requests apart (the MCP request id, an HTTP `x-request-id`). */
  readonly nonce?: string | number;
}

/** Per-call options of Session.decideRequest. */
export interface RequestOptions {
  /** Use this action id instead of the derived one. */
  readonly id?: string;
  /** The action's time (default: the policy's clock). */
  readonly time?: number;
  /** Tells identical requests apart. Default: the request's own (MCP id, x-request-id), else a per-session counter. */
  readonly nonce?: string | number;
}

/** The wrapper (meta-tool) an action was resolved from, kept for audit. */
export interface WrapperRecord {
  /** The tool the agent called. */
  readonly tool: string;
  /** The arguments it called it with. */
  readonly args: Readonly<Record<string, unknown>>;
  /** Every wrapper resolved, outermost first (more than one when wrappers were nested). */
  readonly chain: readonly string[];
}

/** The canonical action: what the policy decides. */
export interface MediatedAction {
  /** `act_` + 16 hex digits (deterministic, see normalizeAction), or the id the caller supplied. */
  readonly id: string;
  /** Milliseconds since the epoch. */
  readonly time: number;
  /** The resolved tool: never a wrapper. */
  readonly tool: string;
  readonly operation: string;
  /** The resolved tool's arguments (AARM's `parameters`). */
  readonly args: Readonly<Record<string, unknown>>;
  readonly session: string;
  readonly identity: IdentityRef;
  readonly source: ActionSource;
  readonly wrapper?: WrapperRecord;
}

/** What went wrong, as a stable code. */
export type MediationErrorCode =
  | "invalid_request"
  | "unsupported_method"
  | "no_route"
  | "shell_syntax"
  | "command_not_found"
  | "wrapper"
  | "wrapper_depth"
  | "identity_mismatch";

/** A request that cannot be mediated. The caller must DENY it. `message` starts with the field at fault. */
export class MediationError extends Error {
  constructor(
    readonly code: MediationErrorCode,
    /** The field at fault, as a path into the input (`params.name`, `url`, `command`, `args.mcp_tool_name`). */
    readonly field: string,
    detail: string,
  ) {
    super(`${field}: ${detail}`);
    this.name = "MediationError";
  }
}

/** An adapter's result: a request, or the reason it cannot be one. */
export type AdapterResult =
  | { readonly ok: true; readonly request: ActionRequest }
  | { readonly ok: false; readonly error: MediationError };

/** normalizeAction's result. */
export type NormalizeResult =
  | { readonly ok: true; readonly action: MediatedAction }
  | { readonly ok: false; readonly error: MediationError };

/** A failed result. */
export function failure(
  code: MediationErrorCode,
  field: string,
  detail: string,
): { readonly ok: false; readonly error: MediationError } {
  return { ok: false, error: new MediationError(code, field, detail) };
}

/** Render a zod issue path under a root name: `params.arguments.to[0]`. */
export function fieldPath(root: string, path: readonly PropertyKey[]): string {
  let out = root;
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else out += out === "" ? String(p) : `.${String(p)}`;
  }
  return out === "" ? "(input)" : out;
}

/** The first zod issue as a MediationError (`invalid_request`), its field rooted at `root`. */
export function fromZod(e: z.ZodError, root = ""): { readonly ok: false; readonly error: MediationError } {
  const i = e.issues[0];
  if (!i) return failure("invalid_request", root || "(input)", "invalid input");
  if (i.code === "unrecognized_keys") {
    return failure("invalid_request", fieldPath(root, [...i.path, i.keys[0] ?? "?"]), "is not a known field");
  }
  const message = /received undefined$/.test(i.message)
    ? "is required"
    : i.message.replace(/^Invalid input: /, "");
  return failure("invalid_request", fieldPath(root, i.path), message);
}

/** A zod error option: `message` when the value has the wrong type, zod's own message otherwise. */
export function typeError(message: string): { error: (issue: { code: string }) => string | undefined } {
  return { error: (issue) => (issue.code === "invalid_type" ? message : undefined) };
}

/** Arguments must be JSON: plain objects, arrays, strings, finite numbers, booleans, null; nesting is bounded. */
export const MAX_JSON_DEPTH = 64;

function jsonProblem(v: unknown, depth: number): { path: PropertyKey[]; message: string } | null {
  if (v === null || typeof v === "string" || typeof v === "boolean") return null;
  if (typeof v === "number")
    return Number.isFinite(v) ? null : { path: [], message: "must be a finite number" };
  if (typeof v !== "object") return { path: [], message: `must be a JSON value, not a ${typeof v}` };
  if (depth >= MAX_JSON_DEPTH) return { path: [], message: `nests deeper than ${MAX_JSON_DEPTH} levels` };
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const p = jsonProblem(v[i], depth + 1);
      if (p) return { path: [i, ...p.path], message: p.message };
    }
    return null;
  }
  if (!isPlainObject(v)) return { path: [], message: "must be a plain JSON object" };
  for (const k of Object.keys(v)) {
    const x = v[k];
    if (x === undefined) continue; // an absent property, as JSON.stringify treats it
    const p = jsonProblem(x, depth + 1);
    if (p) return { path: [k, ...p.path], message: p.message };
  }
  return null;
}

/**
 * A deep copy of a JSON value: own properties only (so a `__proto__` key stays an ordinary key), and properties
 * whose value is `undefined` left out, as JSON.stringify leaves them out.
 */
export function cloneJson(v: unknown, depth = 0): unknown {
  // Beyond the depth limit, or for a non-plain object, the original is kept so that jsonProblem reports it.
  if (v === null || typeof v !== "object" || depth > MAX_JSON_DEPTH) return v;
  if (Array.isArray(v)) return v.map((x) => cloneJson(x, depth + 1));
  if (!isPlainObject(v)) return v;
  // Each own enumerable property read once, in order, into a fresh object (no entry arrays: this runs for the
  // arguments of every decision). `__proto__` is defined, not assigned, so that it stays an ordinary key.
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) {
    const x = v[k];
    if (x === undefined) continue;
    if (k === "__proto__")
      Object.defineProperty(out, k, {
        value: cloneJson(x, depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    else out[k] = cloneJson(x, depth + 1);
  }
  return out;
}

/**
 * The snapshot JsonObject takes, without zod: a deep copy of a plain object whose every value is JSON, or null when
 * the value is not one or cannot be read (JsonObject then says why).
 */
export function jsonObjectSnapshot(v: unknown): Record<string, unknown> | null {
  if (!isPlainObject(v)) return null;
  try {
    const copy = cloneJson(v);
    return jsonProblem(copy, 0) === null ? (copy as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** An object whose prototype is Object.prototype or null (what JSON.parse makes). */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * A zod schema for an arguments object whose every value is JSON; issues name the offending path. The output is
 * a deep copy, taken before it is checked, so the action is a snapshot the caller cannot change after the decision:
 * a getter or a Proxy is read once, and what was read is both what the policy sees and what the tool receives.
 */
export const JsonObject = z.unknown().transform((v, ctx): Record<string, unknown> => {
  if (!isPlainObject(v)) {
    ctx.addIssue({ code: "custom", message: "must be a JSON object" });
    return z.NEVER;
  }
  let copy: unknown;
  try {
    copy = cloneJson(v);
  } catch (e) {
    ctx.addIssue({
      code: "custom",
      message: `must be a JSON object: unreadable (${e instanceof Error ? e.message : String(e)})`,
    });
    return z.NEVER;
  }
  const p = jsonProblem(copy, 0);
  if (p) {
    ctx.addIssue({ code: "custom", path: p.path, message: p.message });
    return z.NEVER;
  }
  return copy as Record<string, unknown>;
});

/** A tool name: no whitespace, control characters or '*' (and not empty). */
export const TOOL_NAME = /^[^\s\p{Cc}*]+$/u;

/** A tool name: non-empty, no whitespace or control characters, no `*`. */
export const ToolName = z
  .string()
  .min(1, "must be a non-empty tool name")
  .regex(TOOL_NAME, "must be a tool name (no whitespace, control characters or '*')");

/** The action in the JSON shape of the AARM specification (§4), e.g. for receipts and telemetry. */
export function toAarmAction(a: MediatedAction): Record<string, unknown> {
  return {
    action_id: a.id,
    timestamp: new Date(a.time).toISOString(),
    tool: a.tool,
    operation: a.operation,
    parameters: a.args,
    identity: { ...a.identity },
    session: a.session,
    source: a.source,
    ...(a.wrapper ? { wrapper: a.wrapper } : {}),
  };
}
