import { describe, expect, it } from "vitest";
import { startOtlpReceiver } from "../../host/test-support/otlp-receiver.js";
import { createSigner, generateKeyPair } from "../crypto/ed25519.js";
import { sampleDraft } from "../receipts/test-support/drafts.js";
import { memorySink } from "../receipts/sink.js";
import { createReceiptWriter } from "../receipts/writer.js";
import { createTelemetryExporter } from "./exporter.js";
import type { OcsfEvent } from "./ocsf.js";
import { teeSink } from "./tee.js";
import { otlpHttp, TransportError } from "./transport.js";
import { receiptChain } from "./test-support/receipts.js";

async function entries(n: number) {
  const { writer, sink } = await receiptChain();
  for (let i = 0; i < n; i++) await writer.write(sampleDraft(i));
  return sink.entries;
}

/** A destination that records the batches it gets, and can be made to hang or fail. */
function recorder<T>() {
  const batches: T[] = [];
  let hang: Promise<void> | null = null;
  let release = () => {};
  let failures = 0;
  return {
    batches,
    hang() {
      hang = new Promise<void>((r) => (release = r));
    },
    release: () => {
      hang = null;
      release();
    },
    fail: (n: number) => void (failures = n),
    send: async (b: T) => {
      if (hang) await hang;
      if (failures > 0) {
        failures--;
        throw new Error("collector down");
      }
      batches.push(b);
    },
  };
}

describe("telemetry exporter", () => {
  it("batches: maxBatch receipts per batch, in order; a partial batch leaves after the interval", async () => {
    const dest = recorder<readonly string[]>();
    const ex = createTelemetryExporter({
      destination: { format: "cef", send: dest.send },
      maxBatch: 2,
      flushIntervalMs: 20,
    });
    for (const e of await entries(5)) ex.observe(e);
    await new Promise((r) => setTimeout(r, 100));
    expect(dest.batches.map((b) => b.length)).toEqual([2, 2, 1]);
    expect(dest.batches.flat().map((l) => /cn1=(\d+)/.exec(l)![1])).toEqual(["1", "2", "3", "4", "5"]);
    expect(ex.stats()).toMatchObject({ observed: 5, exported: 5, batches: 3, dropped: 0, queued: 0 });
  });

  it("a stalled destination never blocks observe(): the bounded queue drops and counts the excess", async () => {
    const dest = recorder<readonly OcsfEvent[]>();
    dest.hang();
    const errors: string[] = [];
    const ex = createTelemetryExporter({
      destination: { format: "ocsf", send: dest.send },
      capacity: 4,
      maxBatch: 2,
      flushIntervalMs: 1,
      onError: (e) => errors.push(e.message),
    });
    const es = await entries(10);
    for (const e of es.slice(0, 2)) ex.observe(e);
    await new Promise((r) => setTimeout(r, 20)); // the first batch is now in flight, stuck
    for (const e of es.slice(2)) expect(ex.observe(e)).toBeUndefined(); // synchronous, returns at once
    expect(ex.stats()).toMatchObject({ observed: 10, queued: 4, dropped: 4 });
    expect(errors).toEqual(["telemetry: the queue is full (4 events); events are being dropped and counted"]);
    dest.release();
    await ex.flush();
    expect(ex.stats()).toMatchObject({ exported: 6, dropped: 4, failed: 0, queued: 0 });
  });

  it("a receipt writer's decisions never wait for telemetry, even when the collector hangs", async () => {
    const dest = recorder<readonly string[]>();
    dest.hang();
    const ex = createTelemetryExporter({
      destination: { format: "cef", send: dest.send },
      capacity: 3,
      maxBatch: 1,
    });
    const keys = generateKeyPair();
    const sink = memorySink();
    const writer = createReceiptWriter({ signer: await createSigner(keys), sink: teeSink(sink, ex) });
    const written = await Promise.all(Array.from({ length: 20 }, (_, i) => writer.write(sampleDraft(i))));
    expect(written.map((w) => w.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(ex.stats().dropped).toBeGreaterThan(0);
    expect(ex.stats().observed).toBe(20);
    dest.release();
    await ex.close();
  });

  it("retries a failed batch with backoff, then counts it as failed and reports it", async () => {
    const dest = recorder<readonly string[]>();
    const errors: string[] = [];
    const ex = createTelemetryExporter({
      destination: { format: "cef", send: dest.send },
      maxRetries: 2,
      retryDelayMs: 1,
      onError: (e) => errors.push(e.message),
    });
    const es = await entries(2);
    dest.fail(2);
    ex.observe(es[0]!);
    await ex.flush();
    expect(ex.stats()).toMatchObject({ exported: 1, retries: 2, failed: 0 });
    dest.fail(3);
    ex.observe(es[1]!);
    await ex.flush();
    expect(ex.stats()).toMatchObject({ exported: 1, retries: 4, failed: 1 });
    expect(errors).toEqual(["telemetry: 1 events not delivered after 3 attempts: collector down"]);
  });

  it("filters before queueing; after close() receipts are dropped; bad input is counted, never thrown", async () => {
    const dest = recorder<readonly string[]>();
    const ex = createTelemetryExporter({
      destination: { format: "cef", send: dest.send },
      filter: { decisions: ["DEFER"] },
    });
    for (const e of await entries(10)) ex.observe(e);
    await ex.close();
    expect(dest.batches.flat()).toHaveLength(2);
    expect(ex.stats()).toMatchObject({ observed: 10, filtered: 8, exported: 2 });
    ex.observe((await entries(1))[0]!);
    ex.observe(null as never);
    expect(ex.stats()).toMatchObject({ observed: 12, dropped: 2 });
  });

  it("refuses invalid options at creation", () => {
    const destination = { format: "cef" as const, send: () => {} };
    expect(() => createTelemetryExporter({ destination, capacity: 0 })).toThrow(/capacity/);
    expect(() => createTelemetryExporter({ destination, filter: { kinds: ["x" as never] } })).toThrow(
      /filter.kinds/,
    );
    expect(() => createTelemetryExporter({ destination, redaction: { redact: ["a..b"] } })).toThrow(
      /redaction.redact/,
    );
  });
});

describe("OTLP/HTTP transport against a real receiver on loopback", () => {
  it("delivers logs and metrics; retries a 503; a stalled collector does not block observe()", async () => {
    const receiver = await startOtlpReceiver();
    try {
      const ex = createTelemetryExporter({
        destination: { format: "otlp", send: otlpHttp({ url: receiver.url, timeoutMs: 5_000 }) },
        retryDelayMs: 5,
        flushIntervalMs: 10,
      });
      const es = await entries(5);
      receiver.failNext(1);
      for (const e of es) ex.observe(e);
      await new Promise((r) => setTimeout(r, 50));
      await ex.flush();
      expect(receiver.rejected).toEqual([{ path: "/v1/logs", status: 503, reason: "told to fail" }]);
      expect(receiver.logs.flatMap((l) => l.resourceLogs![0]!.scopeLogs![0]!.logRecords!)).toHaveLength(5);
      expect(receiver.metrics).toHaveLength(1);
      expect(ex.stats()).toMatchObject({ exported: 5, retries: 1, failed: 0 });
    } finally {
      await receiver.close();
    }
  });

  it("a request the collector refuses as invalid (HTTP 400) is not retried", async () => {
    const receiver = await startOtlpReceiver();
    try {
      const errors: string[] = [];
      const ex = createTelemetryExporter({
        destination: {
          format: "otlp",
          send: async (p) =>
            otlpHttp({ url: receiver.url })({ ...p, logs: { resourceLogs: [{ bogus: true }] } }),
        },
        retryDelayMs: 1,
        onError: (e) => errors.push(e.message),
      });
      ex.observe((await entries(1))[0]!);
      await ex.flush();
      expect(ex.stats()).toMatchObject({ failed: 1, retries: 0 });
      expect(receiver.rejected).toHaveLength(1);
      expect(errors[0]).toMatch(/not delivered after 1 attempts: POST .*\/v1\/logs: HTTP 400/);
    } finally {
      await receiver.close();
    }
  });

  it("an HTTP error is a TransportError with its status; an invalid URL is refused", async () => {
    const receiver = await startOtlpReceiver();
    try {
      receiver.failNext(1);
      const send = otlpHttp({ url: receiver.url });
      const e = await send({ logs: { resourceLogs: [] }, metrics: null }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(TransportError);
      expect((e as TransportError).status).toBe(503);
      await expect(send({ logs: { resourceLogs: [{ bogus: 1 }] }, metrics: null })).rejects.toThrow(
        /HTTP 400/,
      );
      expect(() => otlpHttp({ url: "ftp://x" })).toThrow(/expected http/);
    } finally {
      await receiver.close();
    }
  });
});
