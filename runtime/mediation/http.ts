/**
 * Adapter: an HTTP request description → ActionRequest. The tool comes from a route table (host/path prefix and
 * optional method → tool name), the operation is the lower-case method, and the arguments are the body's fields
 * (a JSON object, or form fields) plus the query parameters.
 *
 * Matching is on path-segment boundaries (`/v1/pay` does not match `/v1/payments`), after the normalisation a
 * server would apply: dot segments resolved, percent-encoded unreserved characters decoded, repeated slashes
 * collapsed, a trailing slash dropped. The longest matching prefix wins; then a route with a host beats one
 * without, and one with a method beats one without. A request no route matches is an error (DENY).
 */
import { z } from "zod";
import {
  type AdapterResult,
  failure,
  fromZod,
  typeError,
  type IdentityRef,
  JsonObject,
  ToolName,
} from "./action.js";

const Method = z.string().regex(/^[A-Za-z]+$/, "must be an HTTP method (letters only)");

const Route = z
  .object({
    /** `host[:port]/path` or `/path` (any host), e.g. `api.example.com/v1/payments`. */
    prefix: z.string().min(1, "must be a host/path prefix"),
    method: Method.optional(),
    tool: ToolName,
  })
  .strict();

const Options = z.object({ routes: z.array(Route).min(1, "must list at least one route") }).strict();

const Request = z
  .object(
    {
      method: Method,
      url: z.string({ error: "must be an absolute http(s) URL" }),
      headers: z.record(z.string(), z.union([z.string(), z.array(z.string())])).optional(),
      body: z.union([z.string(), JsonObject], { error: "must be a JSON object or a string" }).optional(),
    },
    typeError("must be an HTTP request description {method, url, headers?, body?}"),
  )
  .strict();

/** One route: requests under `prefix` (and with `method`, if given) are calls of `tool`. */
export type HttpRoute = z.input<typeof Route>;
/** Options of fromHttp. */
export type HttpOptions = z.input<typeof Options>;
/** What fromHttp accepts. */
export type HttpRequestInput = z.input<typeof Request>;

/** Identity headers (as the AARM gateway reads them) → identity attributes. */
const IDENTITY_HEADERS: Readonly<Record<string, keyof IdentityRef>> = {
  "x-user-id": "human",
  "x-service-id": "service",
  "x-session-id": "session",
  "x-agent-id": "agent",
  "x-user-role": "role",
};

const UNRESERVED = /%(2[DdEe]|3[0-9]|[46][1-9A-Fa-f]|[57][0-9Aa]|5[Ff]|7[Ee])/g;

/** Normalise a path as a server would before routing. */
function normalizePath(path: string): string {
  const p = path
    .replace(UNRESERVED, (m) => String.fromCharCode(parseInt(m.slice(1), 16)))
    .replace(/\/{2,}/g, "/");
  const out: string[] = [];
  for (const seg of p.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") out.pop();
    else out.push(seg);
  }
  return `/${out.join("/")}`;
}

interface ParsedRoute {
  readonly host: string | null;
  readonly path: string;
  readonly method: string | null;
  readonly tool: string;
  readonly label: string;
}

function parseRoute(r: z.infer<typeof Route>): ParsedRoute {
  const slash = r.prefix.indexOf("/");
  const host = slash === 0 ? null : (slash < 0 ? r.prefix : r.prefix.slice(0, slash)).toLowerCase();
  const path = normalizePath(slash < 0 ? "/" : r.prefix.slice(slash));
  const method = r.method?.toUpperCase() ?? null;
  return { host, path, method, tool: r.tool, label: `${method ?? "*"} ${host ?? ""}${path}` };
}

function under(prefix: string, path: string): boolean {
  return prefix === "/" || path === prefix || path.startsWith(`${prefix}/`);
}

/** The best route for a request, or undefined. */
function route(
  routes: readonly ParsedRoute[],
  method: string,
  host: string,
  path: string,
): ParsedRoute | undefined {
  let best: ParsedRoute | undefined;
  const score = (r: ParsedRoute) =>
    r.path.length * 4 + (r.host !== null ? 2 : 0) + (r.method !== null ? 1 : 0);
  for (const r of routes) {
    if (
      (r.host !== null && r.host !== host) ||
      (r.method !== null && r.method !== method) ||
      !under(r.path, path)
    )
      continue;
    if (!best || score(r) > score(best)) best = r;
  }
  return best;
}

function header(
  headers: Readonly<Record<string, string | string[]>>,
  name: string,
): string | string[] | undefined {
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === name) return v;
  return undefined;
}

/** Fields of a form-encoded string; a repeated name becomes a list. (A Map, so `__proto__` is just a name.) */
function formFields(params: URLSearchParams): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [k, v] of params) {
    const prev = out.get(k);
    out.set(k, prev === undefined ? v : Array.isArray(prev) ? [...(prev as string[]), v] : [prev, v]);
  }
  return out;
}

type BodyResult = { ok: true; fields: ReadonlyMap<string, unknown> } | ReturnType<typeof failure>;

function bodyFields(body: string | Record<string, unknown> | undefined, contentType: string): BodyResult {
  if (body === undefined) return { ok: true, fields: new Map() };
  if (typeof body !== "string") return { ok: true, fields: new Map(Object.entries(body)) };
  const media = contentType.split(";")[0]!.trim().toLowerCase();
  if (media === "application/json" || media.endsWith("+json")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch (e) {
      return failure(
        "invalid_request",
        "body",
        `is not valid JSON (${e instanceof Error ? e.message : String(e)})`,
      );
    }
    const r = JsonObject.safeParse(parsed);
    return r.success ? { ok: true, fields: new Map(Object.entries(r.data)) } : fromZod(r.error, "body");
  }
  if (media === "" || media === "application/x-www-form-urlencoded")
    return { ok: true, fields: formFields(new URLSearchParams(body)) };
  // Another media type: the policy sees the raw text as `args.body`.
  return { ok: true, fields: new Map([["body", body]]) };
}

/** Convert an HTTP request. */
export function fromHttp(request: unknown, options: HttpOptions): AdapterResult {
  const o = Options.safeParse(options);
  if (!o.success) return fromZod(o.error, "options");
  const r = Request.safeParse(request);
  if (!r.success) return fromZod(r.error);
  const { method, body } = r.data;
  const headers = r.data.headers ?? {};
  let url: URL;
  try {
    url = new URL(r.data.url);
  } catch {
    return failure(
      "invalid_request",
      "url",
      `must be an absolute http(s) URL, got ${JSON.stringify(r.data.url)}`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    return failure("invalid_request", "url", `must use http or https, not ${url.protocol}`);
  const path = normalizePath(url.pathname);
  const m = method.toUpperCase();
  const hit = route(o.data.routes.map(parseRoute), m, url.host, path);
  if (!hit) return failure("no_route", "url", `no route for ${m} ${url.host}${path}`);
  const contentType = header(headers, "content-type");
  if (Array.isArray(contentType))
    return failure("invalid_request", "headers.content-type", "must be given once");
  const fromBody = bodyFields(body, contentType ?? "");
  if (!fromBody.ok) return fromBody;
  const args = formFields(url.searchParams);
  for (const [k, v] of fromBody.fields) {
    if (args.has(k))
      return failure(
        "invalid_request",
        `body.${k}`,
        `is also a query parameter; the server's choice between them is ambiguous`,
      );
    args.set(k, v);
  }
  const claims: Record<string, string> = {};
  for (const [h, field] of Object.entries(IDENTITY_HEADERS)) {
    const v = header(headers, h);
    if (Array.isArray(v)) return failure("invalid_request", `headers.${h}`, "must be given once");
    if (v !== undefined) claims[field] = v;
  }
  const requestId = header(headers, "x-request-id");
  return {
    ok: true,
    request: {
      tool: hit.tool,
      operation: method.toLowerCase(),
      args: Object.fromEntries(args),
      source: { kind: "http", method: m, url: url.href, route: hit.label },
      ...(Object.keys(claims).length > 0 ? { claims } : {}),
      ...(typeof requestId === "string" ? { nonce: requestId } : {}),
    },
  };
}
