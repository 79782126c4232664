/**
 * Node edge: the approval service over HTTP (docs/enforcement.md, "The HTTP endpoint"), for `aarm approvals` and
 * for a gateway that reuses it. It listens on loopback only — a bind to any other address is refused — and every
 * request must carry the caller's signed identity assertion (`Authorization: Bearer <assertion>`): a verified human
 * may list and show requests; approving or rejecting takes a member of a group that may decide. Requests whose
 * Host header is not a loopback name (DNS rebinding) or that come from a web page (an Origin header) are refused.
 *
 *   GET  /v1/approvals               → {approvals: ApprovalSummary[]}
 *   GET  /v1/approvals/ID            → {approval: ApprovalView}
 *   POST /v1/approvals/ID/approve    {comment?} → {approval: ApprovalView}
 *   POST /v1/approvals/ID/reject     {comment?} → {approval: ApprovalView}
 *   errors                           → {error: {code, message}} with 400, 401, 403, 404, 405, 409, 413, 415
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { isIP } from "node:net";
import type { ApprovalService, VoteRefusal } from "../runtime/approvals/index.js";

/** The port `aarm approvals` talks to by default. */
export const DEFAULT_APPROVALS_PORT = 7420;
const MAX_BODY = 64 * 1024;

export interface ApprovalServerOptions {
  readonly service: ApprovalService;
  /** A loopback address or `localhost` (default 127.0.0.1). */
  readonly host?: string;
  /** Default 7420; 0 picks a free port. */
  readonly port?: number;
}

export interface ApprovalServer {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** A bind that is refused, or a port already in use. */
export class ApprovalServerError extends Error {}

/** Whether `host` names the loopback interface: localhost, 127.0.0.0/8, ::1. */
export function isLoopback(host: string): boolean {
  const h = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
  if (h === "localhost") return true;
  if (isIP(h) === 4) return h.startsWith("127.");
  if (isIP(h) === 6) return h === "::1" || h === "0:0:0:0:0:0:0:1";
  return false;
}

function hostOf(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^(\[[^\]]+\]|[^:]+)(?::\d+)?$/.exec(header);
  return m ? m[1]! : null;
}

const STATUS: Readonly<Record<VoteRefusal | "unauthenticated" | "bad_request", number>> = {
  not_found: 404,
  not_pending: 409,
  already_decided: 409,
  identity: 401,
  unauthenticated: 401,
  not_human: 403,
  not_an_approver: 403,
  self_approval: 403,
  invalid: 400,
  bad_request: 400,
};

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  res.end(text);
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_BODY) throw new HttpError(413, "too_large", `the request body exceeds ${MAX_BODY} bytes`);
    chunks.push(c as Buffer);
  }
  if (size === 0) return {};
  if (!/^application\/json\b/i.test(req.headers["content-type"] ?? ""))
    throw new HttpError(415, "unsupported_media_type", "the request body must be application/json");
  let v: unknown;
  try {
    v = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new HttpError(400, "bad_request", "the request body is not valid JSON");
  }
  if (typeof v !== "object" || v === null || Array.isArray(v))
    throw new HttpError(400, "bad_request", "the request body must be a JSON object");
  return v as Record<string, unknown>;
}

async function handle(service: ApprovalService, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const host = hostOf(req.headers.host);
  if (host === null || !isLoopback(host))
    throw new HttpError(403, "forbidden", "the Host header must name the loopback interface");
  if (req.headers.origin !== undefined)
    throw new HttpError(403, "forbidden", "requests from web pages (with an Origin header) are refused");
  const path = new URL(req.url ?? "/", "http://localhost").pathname;
  const m = /^\/v1\/approvals(?:\/([^/]+))?(?:\/(approve|reject))?\/?$/.exec(path);
  if (!m) throw new HttpError(404, "not_found", `no route ${path}`);
  const id = m[1] === undefined ? undefined : decodeURIComponent(m[1]);
  const verb = m[2] as "approve" | "reject" | undefined;
  const want = verb ? "POST" : "GET";
  if (req.method !== want) {
    res.setHeader("allow", want);
    throw new HttpError(405, "method_not_allowed", `${path} takes ${want}`);
  }
  const auth = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "");
  if (!auth)
    throw new HttpError(
      401,
      "unauthenticated",
      "an Authorization: Bearer <identity assertion> header is required",
    );
  const assertion = auth[1]!;
  if (verb && id !== undefined) {
    const body = await readJson(req);
    const comment = body["comment"];
    if (comment !== undefined && typeof comment !== "string")
      throw new HttpError(400, "bad_request", "comment: must be a string");
    const r = await service[verb](id, { assertion, ...(comment !== undefined ? { comment } : {}) });
    if (!r.ok) throw new HttpError(STATUS[r.code], r.code, r.message);
    return send(res, 200, { approval: r.request });
  }
  const who = await service.authenticate(assertion);
  if (!who.ok) throw new HttpError(STATUS[who.code], who.code, who.message);
  if (id === undefined) return send(res, 200, { approvals: service.list() });
  const view = service.show(id);
  if (!view) throw new HttpError(404, "not_found", `no approval request '${id}'`);
  send(res, 200, { approval: view });
}

/** Start the endpoint. Rejects with an ApprovalServerError for a non-loopback host or a port in use. */
export async function startApprovalServer(options: ApprovalServerOptions): Promise<ApprovalServer> {
  const host = options.host ?? "127.0.0.1";
  if (!isLoopback(host))
    throw new ApprovalServerError(
      `refusing to listen on ${host}: the approval endpoint binds to loopback only (127.0.0.1, ::1, localhost)`,
    );
  const server: Server = createServer((req, res) => {
    handle(options.service, req, res).catch((e: unknown) => {
      if (e instanceof HttpError) send(res, e.status, { error: { code: e.code, message: e.message } });
      else
        send(res, 500, { error: { code: "internal", message: e instanceof Error ? e.message : String(e) } });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (e: NodeJS.ErrnoException) =>
      reject(
        new ApprovalServerError(
          `cannot listen on ${host}:${options.port ?? DEFAULT_APPROVALS_PORT} (${e.code ?? e.message})`,
        ),
      ),
    );
    server.listen(options.port ?? DEFAULT_APPROVALS_PORT, host, () => resolve());
  });
  const address = server.address();
  const port =
    typeof address === "object" && address !== null ? address.port : (options.port ?? DEFAULT_APPROVALS_PORT);
  const shown = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
  return {
    url: `http://${shown}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
