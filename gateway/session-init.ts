/**
 * What a client says about itself when a gateway session starts (docs/gateway.md, "Sessions and identity"): the
 * identity assertions (signed, docs/identity.md) and the user's original request. Over Streamable HTTP they come
 * as headers of the `initialize` POST; over stdio (and over HTTP too) as `_meta` of the `initialize` request:
 *
 * - header `aarm-identity: <jws>[, <jws>...]` (repeatable) or `_meta["aarm/identity"]`: a string or a list;
 * - header `aarm-request: <percent-encoded UTF-8>` or `_meta["aarm/request"]`: a string.
 *
 * The `aarm/` keys are removed from `_meta` before `initialize` goes upstream: the tool server never sees tokens.
 */

export const META_IDENTITY = "aarm/identity";
export const META_REQUEST = "aarm/request";
export const HEADER_IDENTITY = "aarm-identity";
export const HEADER_REQUEST = "aarm-request";

/** What the client presented; `problem` names a malformed field (the session is then refused). */
export interface PresentedInit {
  readonly tokens: readonly string[];
  readonly request?: string;
  readonly client?: { readonly name: string; readonly version?: string };
  readonly problem?: string;
}

type Headers = Readonly<Record<string, string | readonly string[] | undefined>>;

function headerValues(headers: Headers | undefined, name: string): string[] {
  const v = headers?.[name];
  if (v === undefined) return [];
  return typeof v === "string" ? [v] : [...v];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
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
  return { ...base, tokens, ...(requests[0] !== undefined ? { request: requests[0] } : {}) };
}

/** The `initialize` params without the `aarm/` `_meta` keys (what goes upstream). */
export function stripInitMeta(params: unknown): unknown {
  if (!isRecord(params) || !isRecord(params["_meta"])) return params;
  const meta = Object.fromEntries(Object.entries(params["_meta"]).filter(([k]) => !k.startsWith("aarm/")));
  const { _meta: _drop, ...rest } = params;
  return Object.keys(meta).length > 0 ? { ...rest, _meta: meta } : rest;
}
