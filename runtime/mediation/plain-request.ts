/**
 * The request and context normalizeWith takes, checked by hand when they are plainly valid — plain objects, every
 * member of the right type, no member the schemas do not know, no optional member given as `undefined` — and
 * copied as the schemas copy them (arguments by jsonObjectSnapshot). Null for anything else, which the schemas in
 * normalize.ts then judge and, when invalid, explain. For the inputs accepted here the schemas accept them too and
 * give equal values (normalize.test.ts holds the two together on generated inputs): zod's parsers are shared by
 * every schema of the process, and on a gateway's hot path each parse costs tens of microseconds.
 */
import {
  type ActionRequest,
  type ActionSource,
  IDENTITY_REF_FIELDS,
  type IdentityRef,
  isPlainObject,
  jsonObjectSnapshot,
  TOOL_NAME,
} from "./action.js";

type Rec = Record<string, unknown>;

/** What normalizeWith reads from its context once validated. */
export interface PlainContext {
  readonly session: string;
  readonly time: number;
  readonly identity?: IdentityRef;
  readonly id?: string;
  readonly nonce?: string | number;
}

/** The largest time a context may carry (ms since the epoch), as the schema says. */
export const MAX_TIME = 8.64e15;

const REQUEST_KEYS = new Set(["tool", "operation", "args", "source", "claims", "nonce"]);
const CONTEXT_KEYS = new Set(["session", "time", "identity", "id", "nonce"]);
const IDENTITY_KEYS = new Set<string>(IDENTITY_REF_FIELDS);

/** Whether every own key of `o` is in `keys`, and no key of `o` holds undefined. */
function onlyDefined(o: Rec, keys: ReadonlySet<string>): boolean {
  for (const k in o) if (!keys.has(k) || o[k] === undefined) return false;
  return true;
}

const isNonce = (v: unknown): v is string | number =>
  typeof v === "string" || (typeof v === "number" && Number.isFinite(v));

const nonEmpty = (v: unknown): v is string => typeof v === "string" && v.length > 0;

function identity(v: unknown): IdentityRef | null {
  if (!isPlainObject(v) || !onlyDefined(v, IDENTITY_KEYS)) return null;
  const out: Record<string, string> = {};
  for (const k in v) {
    const s = v[k];
    if (typeof s !== "string") return null;
    out[k] = s;
  }
  return out;
}

function source(v: unknown): ActionSource | null {
  if (!isPlainObject(v)) return null;
  const count = Object.keys(v).length;
  switch (v["kind"]) {
    case "mcp":
      return count === 2 && isNonce(v["requestId"]) ? { kind: "mcp", requestId: v["requestId"] } : null;
    case "http": {
      const { method, url, route } = v;
      return count === 4 && typeof method === "string" && typeof url === "string" && typeof route === "string"
        ? { kind: "http", method, url, route }
        : null;
    }
    case "shell":
      return count === 2 && typeof v["line"] === "string" ? { kind: "shell", line: v["line"] } : null;
    case "function":
      return count === 1 ? { kind: "function" } : null;
    default:
      return null;
  }
}

/** A plainly valid request, copied; null when the schema must judge it. */
export function plainRequest(raw: unknown): ActionRequest | null {
  if (!isPlainObject(raw) || !onlyDefined(raw, REQUEST_KEYS)) return null;
  const { tool, operation, nonce } = raw;
  if (typeof tool !== "string" || !TOOL_NAME.test(tool) || !nonEmpty(operation)) return null;
  if (nonce !== undefined && !isNonce(nonce)) return null;
  const src = source(raw["source"]);
  const claims = raw["claims"] === undefined ? undefined : identity(raw["claims"]);
  const args = jsonObjectSnapshot(raw["args"]);
  if (src === null || claims === null || args === null) return null;
  return {
    tool,
    operation,
    args,
    source: src,
    ...(claims !== undefined ? { claims } : {}),
    ...(nonce !== undefined ? { nonce } : {}),
  };
}

/** A plainly valid context, copied; null when the schema must judge it. */
export function plainContext(raw: unknown): PlainContext | null {
  if (!isPlainObject(raw) || !onlyDefined(raw, CONTEXT_KEYS)) return null;
  const { session, time, id, nonce } = raw;
  if (!nonEmpty(session) || typeof time !== "number" || !(time >= 0 && time <= MAX_TIME)) return null;
  if ((id !== undefined && !nonEmpty(id)) || (nonce !== undefined && !isNonce(nonce))) return null;
  const ident = raw["identity"] === undefined ? undefined : identity(raw["identity"]);
  if (ident === null) return null;
  return {
    session,
    time,
    ...(ident !== undefined ? { identity: ident } : {}),
    ...(id !== undefined ? { id } : {}),
    ...(nonce !== undefined ? { nonce } : {}),
  };
}
