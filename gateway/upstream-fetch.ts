/**
 * The HTTP client under the upstream transport. The MCP SDK's StreamableHTTPClientTransport speaks the protocol
 * (session and protocol-version headers, JSON and SSE answers, the standalone SSE stream, DELETE at the end) over
 * any `fetch` it is given; this one is node:http (node:https) with a keep-alive pool per gateway, for a server the
 * gateway calls for every tool call: Node's built-in fetch costs several times the CPU per request, which a
 * gateway pays on every call. It does what the transport needs of fetch, no more: no redirects followed (the SDK
 * follows same-origin redirects itself), no cookies, no caching, no decompression (nothing is asked for).
 * The answer is a standard `Response`: buffered for JSON, streamed for `text/event-stream`.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { Readable } from "node:stream";

export type FetchLike = (url: string | URL, init?: RequestInit) => Promise<Response>;

/** How long a pooled connection may stay idle before the gateway closes it (ms). */
const IDLE_MS = 2000;

/** Statuses whose response has no body (a Response with one cannot be made). */
const NO_BODY = new Set([101, 103, 204, 205, 304]);

function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error
    ? signal.reason
    : new DOMException("This operation was aborted", "AbortError");
}

function headersOf(res: IncomingMessage): Headers {
  const h = new Headers();
  for (let i = 0; i < res.rawHeaders.length; i += 2) h.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
  return h;
}

function requestBody(body: RequestInit["body"]): string | Buffer | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === "string") return body;
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  throw new TypeError("the upstream fetch sends only string or byte bodies");
}

export interface UpstreamFetch extends FetchLike {
  /** Close the idle pooled connections (the gateway is stopping). */
  close(): void;
}

/** A fetch on node:http(s) with keep-alive pools, for the upstream transport. */
export function upstreamFetch(): UpstreamFetch {
  // An idle pooled connection is closed after IDLE_MS, well before servers close theirs (Node's default is 5 s,
  // and it says so in `Keep-Alive: timeout=`): reusing one the server is closing at that moment fails the call.
  const http = new HttpAgent({ keepAlive: true, timeout: IDLE_MS });
  const https = new HttpsAgent({ keepAlive: true, timeout: IDLE_MS });
  const fetch = (input: string | URL, init: RequestInit = {}): Promise<Response> =>
    new Promise<Response>((resolve, reject) => {
      const url = input instanceof URL ? input : new URL(input);
      if (url.protocol !== "http:" && url.protocol !== "https:")
        return reject(new TypeError(`fetch failed: unsupported protocol ${url.protocol}`));
      const signal = init.signal ?? undefined;
      if (signal?.aborted) return reject(abortReason(signal));
      let body: string | Buffer | undefined;
      try {
        body = requestBody(init.body);
      } catch (e) {
        return reject(e as Error);
      }
      const headers: Record<string, string> = {};
      new Headers(init.headers).forEach((v, k) => (headers[k] = v));
      if (body !== undefined) headers["content-length"] = String(Buffer.byteLength(body));
      const tls = url.protocol === "https:";
      const options = { method: init.method ?? "GET", headers, agent: tls ? https : http };
      let settled = false;
      let res: IncomingMessage | undefined;
      const fail = (e: Error) => {
        signal?.removeEventListener("abort", onAbort);
        if (settled) return;
        settled = true;
        reject(e);
      };
      const onAbort = () => {
        const reason = abortReason(signal!);
        req.destroy(reason);
        res?.destroy(reason);
        fail(reason);
      };
      const done = (r: Response) => {
        settled = true;
        resolve(r);
      };
      const answer = (incoming: IncomingMessage) => {
        const status = incoming.statusCode ?? 0;
        if (status < 200 || status > 599) throw new Error(`status ${status}`);
        const meta = { status, statusText: incoming.statusMessage ?? "", headers: headersOf(incoming) };
        if (NO_BODY.has(status) || options.method === "HEAD") {
          incoming.resume();
          signal?.removeEventListener("abort", onAbort);
          return done(new Response(null, meta));
        }
        if ((incoming.headers["content-type"] ?? "").toLowerCase().startsWith("text/event-stream")) {
          // A stream the transport reads as long as it lasts; aborting the signal ends it. Its connection is not
          // reused: a server may close it right after the stream ends.
          incoming.once("close", () => {
            signal?.removeEventListener("abort", onAbort);
            incoming.socket?.destroy();
          });
          return done(new Response(Readable.toWeb(incoming) as ReadableStream<Uint8Array>, meta));
        }
        const chunks: Buffer[] = [];
        incoming.on("data", (c: Buffer) => chunks.push(c));
        incoming.once("error", (e) => fail(new TypeError(`fetch failed: ${e.message}`, { cause: e })));
        incoming.once("close", () => {
          if (!incoming.complete) fail(new TypeError("fetch failed: the connection closed mid-answer"));
        });
        incoming.once("end", () => {
          signal?.removeEventListener("abort", onAbort);
          if (!settled) done(new Response(Buffer.concat(chunks), meta));
        });
      };
      const req = (tls ? httpsRequest : httpRequest)(url, options, (incoming) => {
        res = incoming;
        try {
          answer(incoming);
        } catch (e) {
          incoming.destroy();
          fail(new TypeError(`fetch failed: the server's answer cannot be read (${(e as Error).message})`));
        }
      });
      req.once("error", (e) => fail(new TypeError(`fetch failed: ${e.message}`, { cause: e })));
      signal?.addEventListener("abort", onAbort, { once: true });
      req.end(body);
    });
  return Object.assign(fetch, {
    close() {
      http.destroy();
      https.destroy();
    },
  });
}
