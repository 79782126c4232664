/**
 * The metrics an OTLP exporter reports (the AARM gateway's counters `aarm.actions.total/denied/deferred/stepup`
 * and histogram `aarm.evaluation.latency_ms`, and the exporter's own `aarm.telemetry.*`), cumulative since the
 * exporter started. `aarm.evaluation.latency_ms` is measured from the receipts: a decision receipt's time minus
 * its action's time, as the enforcement layer recorded them (0 when it stamps both with one clock reading).
 */
import type { Receipt } from "../receipts/schema.js";
import { attributes, unixNano, type OtlpMetric } from "./otlp.js";

/** Upper bounds of the latency histogram's buckets, in ms. */
export const LATENCY_BOUNDS_MS: readonly number[] = [0.5, 1, 2, 5, 10, 25, 50, 100, 250, 1000, 5000];

/** The exporter's own counters (also returned by `stats()`). */
export interface ExporterCounters {
  readonly exported: number;
  readonly dropped: number;
  readonly failed: number;
  readonly queued: number;
}

export class TelemetryMetrics {
  readonly #start: number;
  readonly #byDecision = new Map<string, number>();
  readonly #byKind = new Map<string, number>();
  readonly #buckets = new Array<number>(LATENCY_BOUNDS_MS.length + 1).fill(0);
  #count = 0;
  #sum = 0;
  #min = Infinity;
  #max = -Infinity;

  constructor(startMs: number) {
    this.#start = startMs;
  }

  /** Count one receipt. */
  add(r: Receipt): void {
    this.#byKind.set(r.kind, (this.#byKind.get(r.kind) ?? 0) + 1);
    if (r.kind !== "decision") return;
    this.#byDecision.set(r.decision.result, (this.#byDecision.get(r.decision.result) ?? 0) + 1);
    const latency = Math.max(0, r.time - r.action.time);
    let i = LATENCY_BOUNDS_MS.findIndex((b) => latency <= b);
    if (i < 0) i = LATENCY_BOUNDS_MS.length;
    this.#buckets[i]!++;
    this.#count++;
    this.#sum += latency;
    this.#min = Math.min(this.#min, latency);
    this.#max = Math.max(this.#max, latency);
  }

  /** The metrics as OTLP JSON at `nowMs`. */
  toOtlp(nowMs: number, exporter: ExporterCounters): OtlpMetric[] {
    const times = { startTimeUnixNano: unixNano(this.#start), timeUnixNano: unixNano(nowMs) };
    const counter = (
      name: string,
      description: string,
      unit: string,
      points: [Record<string, string>, number][],
    ) => ({
      name,
      description,
      unit,
      sum: {
        aggregationTemporality: 2, // AGGREGATION_TEMPORALITY_CUMULATIVE
        isMonotonic: true,
        dataPoints: points.map(([attrs, n]) => ({
          attributes: attributes(attrs),
          ...times,
          asInt: String(n),
        })),
      },
    });
    const decisions = (e: string) => this.#byDecision.get(e) ?? 0;
    return [
      counter("aarm.actions.total", "Decisions made, by decision", "{action}", [
        ...["ALLOW", "DENY", "MODIFY", "STEP_UP", "DEFER"].map(
          (e) => [{ "aarm.decision": e }, decisions(e)] as [Record<string, string>, number],
        ),
      ]),
      counter("aarm.actions.denied", "Actions denied", "{action}", [[{}, decisions("DENY")]]),
      counter("aarm.actions.deferred", "Actions deferred", "{action}", [[{}, decisions("DEFER")]]),
      counter("aarm.actions.stepup", "Actions held for approval", "{action}", [[{}, decisions("STEP_UP")]]),
      counter(
        "aarm.receipts.total",
        "Receipts exported, by kind",
        "{receipt}",
        [...this.#byKind].map(([k, n]) => [{ "aarm.receipt.kind": k }, n]),
      ),
      {
        name: "aarm.evaluation.latency_ms",
        description: "Decision latency: the decision receipt's time minus the action's time",
        unit: "ms",
        histogram: {
          aggregationTemporality: 2,
          dataPoints: [
            {
              attributes: [],
              ...times,
              count: String(this.#count),
              sum: this.#sum,
              bucketCounts: this.#buckets.map(String),
              explicitBounds: [...LATENCY_BOUNDS_MS],
              ...(this.#count > 0 ? { min: this.#min, max: this.#max } : {}),
            },
          ],
        },
      },
      counter("aarm.telemetry.events_exported", "Events the exporter delivered", "{event}", [
        [{}, exporter.exported],
      ]),
      counter(
        "aarm.telemetry.dropped_events",
        "Events dropped because the queue was full or the exporter closed",
        "{event}",
        [[{}, exporter.dropped]],
      ),
      counter("aarm.telemetry.export_failures", "Events not delivered after every retry", "{event}", [
        [{}, exporter.failed],
      ]),
      {
        name: "aarm.telemetry.buffer_size",
        description: "Events waiting in the exporter's queue",
        unit: "{event}",
        gauge: {
          dataPoints: [{ attributes: [], timeUnixNano: times.timeUnixNano, asInt: String(exporter.queued) }],
        },
      },
    ];
  }
}
