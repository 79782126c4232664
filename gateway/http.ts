/**
 * The gateway over Streamable HTTP: one listener (`--listen 127.0.0.1:PORT`, endpoint `/mcp`), many concurrent
 * client sessions, each with its own Streamable HTTP session (the SDK's server transport), its own policy session
 * and its own upstream session. A session starts with an `initialize` POST, whose `aarm-identity` and
 * `aarm-request` headers carry the identity assertions and the user's request (session-init.ts).
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { Relay, type GatewayCore } from "./relay.js";
import type { CallStamps } from "./timings.js";
import { upstreamConnector, type UpstreamSpec } from "./upstream.js";
import { isRecord } from "./records.js";

export const MCP_PATH = "/mcp";
const MAX_BODY = 4 * 1024 * 1024;
/** How long a request may go unanswered before its SSE response's headers are sent on their own (ms). */
export const HEADERS_ALONE_MS = 200;

export interface HttpGatewayOptions {
  readonly core: GatewayCore;
  readonly upstream: UpstreamSpec;
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** A session nobody has used for this long (ms; no call in flight) is closed (default 30 minutes). */
  readonly idleMs?: number;
}

export interface HttpGateway {
  /** `http://host:port/mcp` */
  readonly url: URL;
  /** Sessions currently open. */
  readonly sessions: ReadonlyMap<string, Relay>;
  close(): Promise<void>;
}

function reply(res: ServerResponse, status: number, code: number, message: string): void {
  if (res.headersSent) return void res.end();
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify({ jsonrpc: "2.0", error: { code, message }, id: null }));
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        resolve(null);
        req.destroy();
      } else chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/**
 * The MCP SDK's server transport answers each request with an SSE stream whose headers it sends at once, before
 * the call is even decided: a socket write, and a wake-up of the client, of their own on every call. Deferred, the
 * headers go out with the first event (the answer, or a held call's progress notification) in one write; a request
 * still unanswered after HEADERS_ALONE_MS gets them then, on their own, as before.
 */
function deferHeaders(res: ServerResponse): void {
  const flush = res.flushHeaders.bind(res);
  const write = res.write.bind(res);
  let written = false; // headersSent turns true at writeHead, before anything is sent: this says whether it was
  let timer: ReturnType<typeof setTimeout> | undefined;
  res.write = ((...args: Parameters<typeof write>) => {
    written = true;
    return write(...args);
  }) as typeof res.write;
  res.flushHeaders = () => {
    timer ??= setTimeout(() => {
      if (!written && !res.writableEnded && !res.destroyed) flush();
    }, HEADERS_ALONE_MS);
  };
  res.once("close", () => clearTimeout(timer));
}

function isInitialize(body: unknown): boolean {
  const first: unknown = Array.isArray(body) ? body[0] : body;
  return (
    typeof first === "object" && first !== null && (first as { method?: unknown }).method === "initialize"
  );
}

/** Start listening. Resolves once the port is bound. */
export async function serveHttp(o: HttpGatewayOptions): Promise<HttpGateway> {
  const sessions = new Map<string, Relay>();
  const upstream = upstreamConnector(o.upstream);
  let origin = "";

  async function open(req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> {
    const id = randomUUID();
    const hostHeader = new URL(origin).host;
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => id,
      enableDnsRebindingProtection: true,
      allowedHosts: [hostHeader, hostHeader.replace(/^127\.0\.0\.1/, "localhost")],
    });
    const relay = new Relay({
      id,
      downstream: transport,
      connectUpstream: () => upstream.connect(),
      ...o.core,
      onClose: () => sessions.delete(id),
    });
    sessions.set(id, relay);
    await transport.handleRequest(req, res, body);
  }

  /** With `--timings`: stamp a `tools/call` POST's arrival, and account it when its response is finished. */
  function timed(relay: Relay, body: unknown, received: number, res: ServerResponse): void {
    const timings = o.core.timings;
    if (!timings || !isRecord(body) || body["method"] !== "tools/call") return;
    const id = body["id"];
    if (typeof id !== "string" && typeof id !== "number") return;
    const stamps: CallStamps = { received };
    relay.stamp(id, stamps);
    res.once("close", () => {
      relay.unstamp(id);
      if (res.writableFinished) timings.call(stamps, performance.now());
    });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const received = performance.now();
    const path = new URL(req.url ?? "/", origin).pathname;
    if (path !== MCP_PATH) return reply(res, 404, -32601, `not found: the MCP endpoint is ${MCP_PATH}`);
    const sid = req.headers["mcp-session-id"];
    let body: unknown;
    if (req.method === "POST") {
      const text = await readBody(req);
      if (text === null) return reply(res, 413, -32600, `request body larger than ${MAX_BODY} bytes`);
      try {
        body = JSON.parse(text);
      } catch {
        return reply(res, 400, -32700, "parse error: the body is not JSON");
      }
    }
    if (typeof sid === "string") {
      const relay = sessions.get(sid);
      if (!relay) return reply(res, 404, -32001, "session not found (it ended, or the gateway restarted)");
      timed(relay, body, received, res);
      if (req.method === "POST") deferHeaders(res);
      return (relay.downstream as StreamableHTTPServerTransport).handleRequest(req, res, body);
    }
    if (req.method === "POST" && isInitialize(body)) return open(req, res, body);
    return reply(res, 400, -32600, "bad request: no mcp-session-id, and not an initialize request");
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      o.core.log(`http: ${e instanceof Error ? e.message : String(e)}`);
      reply(res, 500, -32603, "internal error");
    });
  });
  server.keepAliveTimeout = 60_000;
  // Clients that leave without ending their session (no DELETE) must not hold its memory and server forever.
  const idleMs = o.idleMs ?? 30 * 60_000;
  const sweeper = setInterval(
    () => {
      for (const relay of sessions.values()) if (relay.idleMs() > idleMs) void relay.close();
    },
    Math.min(60_000, idleMs),
  );
  sweeper.unref();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port, o.host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === "IPv6" ? `[${addr.address}]` : addr.address;
  origin = `http://${host}:${addr.port}`;
  return {
    url: new URL(MCP_PATH, origin),
    sessions,
    async close() {
      clearInterval(sweeper);
      await Promise.allSettled([...sessions.values()].map((r) => r.close()));
      upstream.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
