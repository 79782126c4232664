/**
 * Sending over HTTP with the web-standard `fetch` (Node ≥ 18, Deno, Bun, browsers, edge workers), so the
 * transports run wherever the runtime does. OTLP/HTTP: POST `application/json` to `<url>/v1/logs` and
 * `<url>/v1/metrics`; any answer but 2xx is an error, and so is a partial success (rejected records). OCSF: POST
 * a JSON array of events to a collector URL (a SIEM's HTTP event endpoint).
 */
export interface HttpSendOptions {
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Per request (default 10 s). */
  readonly timeoutMs?: number;
  /** Default: the global fetch. */
  readonly fetch?: typeof fetch;
}

/** What an OTLP destination is given per batch: the logs (if any records) and the metrics (if enabled). */
export interface OtlpPayload {
  readonly logs: unknown;
  readonly metrics: unknown;
}

/** Why a request failed, with the HTTP status when there was one (429/502/503/504 are worth retrying). */
export class TransportError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

function checkUrl(url: string): URL {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new TransportError(`invalid URL ${JSON.stringify(url)}`);
  }
  if (u.protocol !== "http:" && u.protocol !== "https:")
    throw new TransportError(`invalid URL ${JSON.stringify(url)}: expected http: or https:`);
  return u;
}

async function post(o: HttpSendOptions, url: string, body: string): Promise<unknown> {
  const f = o.fetch ?? globalThis.fetch;
  const signal = AbortSignal.timeout(o.timeoutMs ?? 10_000);
  let res: Response;
  try {
    res = await f(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...o.headers },
      body,
      signal,
    });
  } catch (e) {
    throw new TransportError(`POST ${url}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const text = await res.text().catch(() => "");
  if (!res.ok)
    throw new TransportError(
      `POST ${url}: HTTP ${res.status}${text ? `: ${text.slice(0, 200)}` : ""}`,
      res.status,
    );
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return {};
  }
}

function rejected(answer: unknown, field: string): number {
  const p = (answer as { partialSuccess?: Record<string, unknown> } | null)?.partialSuccess;
  const n = Number(p?.[field] ?? 0);
  return Number.isFinite(n) ? n : 0;
}

/** An OTLP/HTTP JSON sender to a collector at `url` (e.g. http://127.0.0.1:4318). */
export function otlpHttp(o: HttpSendOptions): (payload: OtlpPayload) => Promise<void> {
  const base = checkUrl(o.url).href.replace(/\/+$/, "");
  return async ({ logs, metrics }) => {
    if (logs) {
      const a = await post(o, `${base}/v1/logs`, JSON.stringify(logs));
      const n = rejected(a, "rejectedLogRecords");
      if (n > 0) throw new TransportError(`the collector rejected ${n} log records`);
    }
    if (metrics) {
      const a = await post(o, `${base}/v1/metrics`, JSON.stringify(metrics));
      const n = rejected(a, "rejectedDataPoints");
      if (n > 0) throw new TransportError(`the collector rejected ${n} data points`);
    }
  };
}

/** A JSON sender: POST each batch as a JSON array to `url`. */
export function httpJson(o: HttpSendOptions): (batch: readonly unknown[]) => Promise<void> {
  const url = checkUrl(o.url).href;
  return async (batch) => void (await post(o, url, JSON.stringify(batch)));
}
