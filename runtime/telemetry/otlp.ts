/**
 * OpenTelemetry OTLP/HTTP JSON (the protobuf JSON mapping of opentelemetry.proto.collector.{logs,metrics}.v1):
 * ExportLogsServiceRequest — one LogRecord per receipt — and ExportMetricsServiceRequest — the counters and
 * histogram of metrics.ts. OTLP's JSON rules are followed: lowerCamelCase field names, 64-bit integers
 * (timeUnixNano, asInt, count, bucketCounts, intValue) as decimal strings, enums as integers, AnyValue as exactly
 * one of stringValue / boolValue / intValue / doubleValue / arrayValue / kvlistValue.
 */
import type { Receipt } from "../receipts/schema.js";
import { levelOf, principalOf, summaryOf, type Level, type TelemetryRecord } from "./record.js";

export type AnyValue =
  | { readonly stringValue: string }
  | { readonly boolValue: boolean }
  | { readonly intValue: string }
  | { readonly doubleValue: number }
  | { readonly arrayValue: { readonly values: readonly AnyValue[] } }
  | { readonly kvlistValue: { readonly values: readonly KeyValue[] } };
export interface KeyValue {
  readonly key: string;
  readonly value: AnyValue;
}

/** Where the telemetry comes from (the OTLP Resource and InstrumentationScope). */
export interface OtlpSource {
  /** service.name (default "aarm"). */
  readonly serviceName?: string;
  /** service.version and the scope's version (default "0"). */
  readonly version?: string;
  /** Extra resource attributes (deployment.environment, host.name, ...). */
  readonly resource?: Readonly<Record<string, string>>;
}

/** A value as an OTLP AnyValue (undefined → absent; objects → kvlist). */
export function anyValue(v: unknown): AnyValue | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === "string") return { stringValue: v };
  if (typeof v === "boolean") return { boolValue: v };
  if (typeof v === "number") return Number.isSafeInteger(v) ? { intValue: String(v) } : { doubleValue: v };
  if (Array.isArray(v))
    return { arrayValue: { values: v.map(anyValue).filter((x): x is AnyValue => x !== undefined) } };
  if (typeof v === "object") return { kvlistValue: { values: attributes(v as Record<string, unknown>) } };
  return { stringValue: String(v) };
}

/** Attributes from a record of values; undefined values are left out. */
export function attributes(o: Readonly<Record<string, unknown>>): KeyValue[] {
  const out: KeyValue[] = [];
  for (const [key, v] of Object.entries(o)) {
    const value = anyValue(v);
    if (value !== undefined) out.push({ key, value });
  }
  return out;
}

/** ms since the epoch → OTLP's fixed64 nanoseconds, as a decimal string. */
export function unixNano(ms: number): string {
  return (BigInt(Math.floor(ms)) * 1_000_000n).toString();
}

const SEVERITY: Readonly<Record<Level, readonly [number, string]>> = {
  info: [9, "INFO"],
  low: [10, "INFO2"],
  medium: [13, "WARN"],
  high: [17, "ERROR"],
};

function resource(source: OtlpSource) {
  return {
    attributes: attributes({
      "service.name": source.serviceName ?? "aarm",
      "service.version": source.version ?? "0",
      ...source.resource,
    }),
  };
}

const scope = (source: OtlpSource) => ({ name: "aarm.telemetry", version: source.version ?? "0" });

function logAttributes(rec: TelemetryRecord): KeyValue[] {
  const r: Receipt = rec.receipt;
  return attributes({
    "event.name": `aarm.${r.kind}`,
    "aarm.decision": r.decision.result,
    "aarm.decided_by": r.decision.decidedBy,
    "aarm.tool": r.action.tool,
    "aarm.operation": r.action.operation,
    "aarm.action_id": r.action.id,
    "aarm.parameters_hash": r.action.parametersHash,
    "aarm.parameters": r.action.parameters,
    "aarm.session": r.context.session,
    "aarm.context.log_head": r.context.logHead,
    "aarm.identity.principal": principalOf(r),
    "aarm.identity.human": r.identity.human,
    "aarm.identity.service": r.identity.service,
    "aarm.identity.agent": r.identity.agent,
    "aarm.identity.role": r.identity.role,
    "aarm.identity.status": r.identity.status,
    "aarm.rule_ids": [...r.decision.ruleIds],
    "aarm.reasons": [...r.decision.reasons],
    "aarm.policy.name": r.decision.policy.name,
    "aarm.policy.version": r.decision.policy.version,
    "aarm.policy.hash": r.decision.policy.hash,
    "aarm.deferral.trigger": r.deferral?.trigger,
    "aarm.deferral.waiting_for": r.deferral ? [...r.deferral.waitingFor] : undefined,
    "aarm.deferral.resolution": r.deferral?.resolution?.method,
    "aarm.approval.outcome": r.approval?.outcome,
    "aarm.approval.approvers": r.approval?.approvals.map((a) => a.approver),
    "aarm.outcome.error": r.outcome && "error" in r.outcome ? r.outcome.error : undefined,
    "aarm.details": r.details,
    "aarm.receipt.seq": r.seq,
    "aarm.receipt.hash": rec.hash,
    "aarm.receipt.kid": r.sig.kid,
  });
}

/** One OTLP LogRecord per receipt. `observedMs` is when the exporter read it. */
export function logRecord(rec: TelemetryRecord, observedMs: number) {
  const [severityNumber, severityText] = SEVERITY[levelOf(rec.receipt)];
  return {
    timeUnixNano: unixNano(rec.receipt.time),
    observedTimeUnixNano: unixNano(observedMs),
    severityNumber,
    severityText,
    body: { stringValue: summaryOf(rec.receipt) },
    attributes: logAttributes(rec),
  };
}

/** An ExportLogsServiceRequest for a batch of receipts. */
export function logsRequest(
  records: readonly TelemetryRecord[],
  observedMs: number,
  source: OtlpSource = {},
) {
  return {
    resourceLogs: [
      {
        resource: resource(source),
        scopeLogs: [{ scope: scope(source), logRecords: records.map((r) => logRecord(r, observedMs)) }],
      },
    ],
  };
}

/** A metric in OTLP JSON (built by metrics.ts). */
export type OtlpMetric = Record<string, unknown> & { readonly name: string };

/** An ExportMetricsServiceRequest for a set of metrics. */
export function metricsRequest(metrics: readonly OtlpMetric[], source: OtlpSource = {}) {
  return {
    resourceMetrics: [{ resource: resource(source), scopeMetrics: [{ scope: scope(source), metrics }] }],
  };
}
