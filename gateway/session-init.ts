/**
 * What a client says about itself when a gateway session starts (docs/gateway.md, "Sessions and identity"): the
 * identity assertions (signed, docs/identity.md) and the user's original request. Over Streamable HTTP they come
 * as headers of the `initialize` POST; over stdio (and over HTTP too) as `_meta` of the `initialize` request:
 *
 * - header `aarm-identity: <jws>[, <jws>...]` (repeatable) or `_meta["aarm/identity"]`: a string or a list;
 * - header `aarm-request: <percent-encoded UTF-8>` or `_meta["aarm/request"]`: a string;
 * - header `aarm-context: <percent-encoded JSON object>` or `_meta["aarm/context"]`: initial values of the
 *   policy's declared `context` fields (signals the agent's host knows, such as `env`).
 *
 * The `aarm/` keys are removed from `_meta` before `initialize` goes upstream: the tool server never sees tokens.
 */
import { isRecord } from "./records.js";

export const META_IDENTITY = "aarm/identity";
export const META_REQUEST = "aarm/request";
export const HEADER_IDENTITY = "aarm-identity";
export const HEADER_REQUEST = "aarm-request";
export const META_CONTEXT = "aarm/context";
export const HEADER_CONTEXT = "aarm-context";

/** What the client presented; `problem` names a malformed field (the session is then refused). */
export interface PresentedInit {
  readonly tokens: readonly string[];
  readonly request?: string;
  readonly context?: Readonly<Record<string, unknown>>;
  readonly client?: { readonly name: string; readonly version?: string };
  readonly problem?: string;
}

type Headers = Readonly<Record<string, string | readonly string[] | undefined>>;

function headerValues(headers: Headers | undefined, name: string): string[] {
  const v = headers?.[name];
  if (v === undefined) return [];
  return typeof v === "string" ? [v] : [...v];
}

/** Read the identity tokens and request from an `initialize` request's params and its HTTP headers (if any). */
export function presentedInit(params: unknown, headers?: Headers): PresentedInit {
  const p = isRecord(params) ? params : {};
  const meta = isRecord(p["_meta"]) ? p["_meta"] : {};
  const info = isRecord(p["clientInfo"]) ? p["clientInfo"] : {};
  const client =
    typeof info["name"] === "string" && info["name"] !== ""
      ? { name: info["name"], ...(typeof info["version"] === "string" ? { version: info["version"] } : {}) }
      : undefined;
  const base = client ? { client } : {};
  const tokens = headerValues(headers, HEADER_IDENTITY)
    .flatMap((h) => h.split(","))
    .map((t) => t.trim())
    .filter((t) => t !== "");
  const metaIdentity = meta[META_IDENTITY];
  if (metaIdentity !== undefined) {
    const list = typeof metaIdentity === "string" ? [metaIdentity] : metaIdentity;
    if (!Array.isArray(list) || list.some((t) => typeof t !== "string" || t === ""))
      return {
        ...base,
        tokens: [],
        problem: `_meta["${META_IDENTITY}"]: must be a token or a list of tokens`,
      };
    tokens.push(...(list as string[]));
  }
  const requests: string[] = [];
  for (const h of headerValues(headers, HEADER_REQUEST)) {
    try {
      requests.push(decodeURIComponent(h));
    } catch {
      return { ...base, tokens, problem: `${HEADER_REQUEST} header: not valid percent-encoded UTF-8` };
    }
  }
  const metaRequest = meta[META_REQUEST];
  if (metaRequest !== undefined) {
    if (typeof metaRequest !== "string")
      return { ...base, tokens, problem: `_meta["${META_REQUEST}"]: must be a string` };
    requests.push(metaRequest);
  }
  if (new Set(requests).size > 1)
    return { ...base, tokens, problem: "the request was given twice, with different texts" };
  const context = contextOf(meta[META_CONTEXT], headerValues(headers, HEADER_CONTEXT));
  if (typeof context === "string") return { ...base, tokens, problem: context };
  return {
    ...base,
    tokens,
    ...(requests[0] !== undefined ? { request: requests[0] } : {}),
    ...(context !== undefined ? { context } : {}),
  };
}

/** The initial context from `_meta` and the header (merged; the header wins), or a problem. */
function contextOf(meta: unknown, headers: readonly string[]): Record<string, unknown> | string | undefined {
  if (meta === undefined && headers.length === 0) return undefined;
  if (meta !== undefined && !isRecord(meta)) return `_meta["${META_CONTEXT}"]: must be an object`;
  const out: Record<string, unknown> = { ...(meta ?? {}) };
  for (const h of headers) {
    let v: unknown;
    try {
      v = JSON.parse(decodeURIComponent(h));
    } catch {
      return `${HEADER_CONTEXT} header: not percent-encoded JSON`;
    }
    if (!isRecord(v)) return `${HEADER_CONTEXT} header: must be a JSON object`;
    Object.assign(out, v);
  }
  return out;
}

/**
 * The client's `initialize` parameters as the tool server sees them: without the capabilities whose requests the
 * gateway would refuse to relay (`sampling` for `sampling/createMessage`, `elicitation` for `elicitation/create`;
 * methods.ts), so that the server does not try them.
 */
export function withoutRefusedCapabilities(params: unknown, serverPasses: (method: string) => boolean): unknown {
  if (!isRecord(params) || !isRecord(params["capabilities"])) return params;
  const { sampling, elicitation, ...rest } = params["capabilities"];
  const capabilities = {
    ...rest,
    ...(sampling !== undefined && serverPasses("sampling/createMessage") ? { sampling } : {}),
    ...(elicitation !== undefined && serverPasses("elicitation/create") ? { elicitation } : {}),
  };
  return { ...params, capabilities };
}

/** The `initialize` params without the `aarm/` `_meta` keys (what goes upstream). */
export function stripInitMeta(params: unknown): unknown {
  if (!isRecord(params) || !isRecord(params["_meta"])) return params;
  const meta = Object.fromEntries(Object.entries(params["_meta"]).filter(([k]) => !k.startsWith("aarm/")));
  const { _meta: _drop, ...rest } = params;
  return Object.keys(meta).length > 0 ? { ...rest, _meta: meta } : rest;
}
