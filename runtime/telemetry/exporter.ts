/**
 * The telemetry exporter (AARM R8): it observes stored receipts and ships them, in batches, as OCSF, CEF or OTLP.
 * Exporting never blocks or slows a decision: `observe` is synchronous and O(1) — it filters the receipt and puts
 * it in a bounded queue, or counts it as dropped when the queue is full — and never throws. Formatting and sending
 * happen later, off the decision path: a batch leaves when `maxBatch` receipts wait, or `flushIntervalMs` after
 * the first one arrived (default 1 s: "real-time streaming within seconds"). A failed send is retried with
 * backoff, then counted as failed; batches are sent one at a time, in order. `stats()` reports every count; an
 * OTLP exporter also reports them as metrics.
 */
import type { ReceiptEntry } from "../receipts/sink.js";
import { toCef, type CefOptions } from "./cef.js";
import { compileFilter, type TelemetryFilter } from "./filter.js";
import { TelemetryMetrics } from "./metrics.js";
import { toOcsf, type OcsfEvent, type OcsfOptions } from "./ocsf.js";
import { logsRequest, metricsRequest, type OtlpSource } from "./otlp.js";
import { checkRedaction, redactRecord, type RedactionOptions } from "./redact.js";
import type { TelemetryRecord } from "./record.js";
import { TransportError, type OtlpPayload } from "./transport.js";

type Send<T> = (batch: T) => Promise<void> | void;

/** Where and in which format events go. `send` gets one batch at a time and may throw (the batch is retried). */
export type TelemetryDestination =
  | { readonly format: "ocsf"; readonly send: Send<readonly OcsfEvent[]> }
  | { readonly format: "cef"; readonly send: Send<readonly string[]> }
  | { readonly format: "otlp"; readonly send: Send<OtlpPayload>; readonly metrics?: boolean };

export interface TelemetryExporterOptions extends OcsfOptions, CefOptions {
  readonly destination: TelemetryDestination;
  readonly filter?: TelemetryFilter;
  readonly redaction?: RedactionOptions;
  /** Receipts that may wait in the queue (default 10,000); more are dropped and counted. */
  readonly capacity?: number;
  /** Receipts per batch (default 500). */
  readonly maxBatch?: number;
  /** How long the first waiting receipt may wait before its batch leaves (default 1,000 ms). */
  readonly flushIntervalMs?: number;
  /** Retries of a failed batch (default 3), after retryDelayMs, doubling (default 200 ms). */
  readonly maxRetries?: number;
  readonly retryDelayMs?: number;
  /** OTLP resource: service name, version, extra attributes. */
  readonly source?: OtlpSource;
  readonly clock?: () => number;
  /** Told about each batch that failed for good, and about the first drop after a time without drops. */
  readonly onError?: (error: Error) => void;
}

export interface TelemetryStats {
  /** Receipts handed to observe(). */
  readonly observed: number;
  /** ... that the filter excluded. */
  readonly filtered: number;
  /** ... waiting now. */
  readonly queued: number;
  /** ... dropped: the queue was full, or the exporter was closed. */
  readonly dropped: number;
  /** ... delivered. */
  readonly exported: number;
  /** ... not delivered after every retry (or that could not be formatted). */
  readonly failed: number;
  readonly batches: number;
  readonly retries: number;
  readonly lastError: string | null;
}

export interface TelemetryExporter {
  /** Hand over a stored receipt. Never throws, never waits. */
  observe(entry: ReceiptEntry | TelemetryRecord): void;
  /** Send everything waiting now; resolves when it was delivered or failed for good. */
  flush(): Promise<void>;
  /** Flush, then stop: later receipts are dropped (and counted). */
  close(): Promise<void>;
  stats(): TelemetryStats;
}

function positiveInt(v: number | undefined, fallback: number, what: string): number {
  const n = v ?? fallback;
  if (!Number.isInteger(n) || n < 1) throw new Error(`${what}: expected a positive integer, got ${n}`);
  return n;
}

/** Whether a failed send is worth retrying: not a request the receiver refused as invalid (HTTP 4xx other than
 * 408 and 429, as OTLP/HTTP specifies). */
function retryable(e: unknown): boolean {
  const status = e instanceof TransportError ? e.status : undefined;
  return status === undefined || status < 400 || status >= 500 || status === 408 || status === 429;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Keep a timer from holding a Node process open (a no-op where timers have no unref). */
function unref(t: unknown): void {
  (t as { unref?: () => void } | null)?.unref?.();
}

export function createTelemetryExporter(o: TelemetryExporterOptions): TelemetryExporter {
  const accept = compileFilter(o.filter);
  const problem = o.redaction ? checkRedaction(o.redaction) : null;
  if (problem) throw new Error(problem);
  const capacity = positiveInt(o.capacity, 10_000, "capacity");
  const maxBatch = positiveInt(o.maxBatch, 500, "maxBatch");
  const interval = o.flushIntervalMs ?? 1000;
  const maxRetries = o.maxRetries ?? 3;
  const retryDelay = o.retryDelayMs ?? 200;
  const clock = o.clock ?? (() => Date.now());
  const metrics = new TelemetryMetrics(clock());
  const source: OtlpSource = {
    ...(o.productVersion !== undefined ? { version: o.productVersion } : {}),
    ...o.source,
  };
  const queue: TelemetryRecord[] = [];
  const s = { observed: 0, filtered: 0, dropped: 0, exported: 0, failed: 0, batches: 0, retries: 0 };
  let lastError: string | null = null;
  let closed = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let timerIsImmediate = false;
  let running: Promise<void> | undefined;
  let dropReported = false;

  const counters = () => ({
    exported: s.exported,
    dropped: s.dropped,
    failed: s.failed,
    queued: queue.length,
  });

  function report(e: Error): void {
    lastError = e.message;
    try {
      o.onError?.(e);
    } catch {
      // a failing error handler must not reach the decision path
    }
  }

  /** Start the batch timer: `now` for a full batch (once; later calls while it is pending cost nothing). */
  function schedule(now: boolean): void {
    if (timer !== undefined && (!now || timerIsImmediate)) return;
    if (timer !== undefined) clearTimeout(timer);
    timerIsImmediate = now;
    timer = setTimeout(
      () => {
        timer = undefined;
        void drain();
      },
      now ? 0 : interval,
    );
    unref(timer);
  }

  /** Format a batch once (so retries resend the same payload and metrics count each receipt once). */
  function format(batch: readonly TelemetryRecord[]): () => Promise<void> {
    const d = o.destination;
    const out = batch.map((r) => redactRecord(r, o.redaction));
    switch (d.format) {
      case "ocsf": {
        const events = out.map((r) => toOcsf(r, o));
        return async () => void (await d.send(events));
      }
      case "cef": {
        const lines = out.map((r) => toCef(r, o));
        return async () => void (await d.send(lines));
      }
      case "otlp": {
        for (const r of out) metrics.add(r.receipt);
        const now = clock();
        const delivered = { ...counters(), exported: s.exported + batch.length };
        const payload = {
          logs: logsRequest(out, now, source),
          metrics: d.metrics === false ? null : metricsRequest(metrics.toOtlp(now, delivered), source),
        };
        return async () => void (await d.send(payload));
      }
    }
  }

  async function sendWithRetries(batch: readonly TelemetryRecord[]): Promise<void> {
    let send: () => Promise<void>;
    try {
      send = format(batch);
    } catch (e) {
      s.failed += batch.length;
      report(
        new Error(
          `telemetry: ${batch.length} events could not be formatted: ${e instanceof Error ? e.message : String(e)}`,
        ),
      );
      return;
    }
    for (let attempt = 0; ; attempt++) {
      try {
        await send();
        s.exported += batch.length;
        s.batches++;
        return;
      } catch (e) {
        if (attempt >= maxRetries || !retryable(e)) {
          s.failed += batch.length;
          report(
            new Error(
              `telemetry: ${batch.length} events not delivered after ${attempt + 1} attempts: ${e instanceof Error ? e.message : String(e)}`,
            ),
          );
          return;
        }
        s.retries++;
        await sleep(retryDelay * 2 ** attempt);
      }
    }
  }

  function drain(): Promise<void> {
    running ??= (async () => {
      try {
        while (queue.length > 0) await sendWithRetries(queue.splice(0, maxBatch));
      } finally {
        running = undefined;
      }
    })();
    return running;
  }

  return {
    observe(entry) {
      try {
        s.observed++;
        if (closed) {
          s.dropped++;
          return;
        }
        if (!accept(entry.receipt)) {
          s.filtered++;
          return;
        }
        if (queue.length >= capacity) {
          s.dropped++;
          if (!dropReported) {
            dropReported = true;
            report(
              new Error(
                `telemetry: the queue is full (${capacity} events); events are being dropped and counted`,
              ),
            );
          }
          return;
        }
        dropReported = false;
        queue.push({ receipt: entry.receipt, hash: entry.hash });
        schedule(queue.length >= maxBatch);
      } catch {
        s.dropped++; // a malformed entry: counted, never thrown at the caller
      }
    },
    async flush() {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      while (running || queue.length > 0) await drain();
    },
    async close() {
      closed = true;
      await this.flush();
    },
    stats: () => ({ ...s, queued: queue.length, lastError }),
  };
}
