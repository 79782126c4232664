/**
 * Observing receipts as they are stored: a ReceiptSink that stores through another sink and, once a receipt is
 * stored, hands it to observers (telemetry exporters). An observer runs after the store resolved and cannot fail
 * it or delay it beyond its own synchronous call (an exporter's observe() only enqueues). With a receipt writer,
 * `createReceiptWriter({..., onStored: exporter.observe})` does the same.
 */
import type { ReceiptEntry, ReceiptSink } from "../receipts/sink.js";

export function teeSink(
  sink: ReceiptSink,
  ...observers: readonly { observe(entry: ReceiptEntry): void }[]
): ReceiptSink {
  return {
    head: () => sink.head(),
    async append(entry) {
      await sink.append(entry);
      for (const o of observers) {
        try {
          o.observe(entry);
        } catch {
          // an observer's fault never turns a stored receipt into a failed one
        }
      }
    },
  };
}
