/**
 * Telemetry export (AARM R8; docs/telemetry.md): receipts as OCSF 1.1, CEF or OpenTelemetry (OTLP/HTTP JSON logs
 * and metrics), filtered, redacted, batched through a bounded queue that never slows a decision.
 */
export { cefHeader, cefValue, toCef, type CefOptions } from "./cef.js";
export {
  createTelemetryExporter,
  type TelemetryDestination,
  type TelemetryExporter,
  type TelemetryExporterOptions,
  type TelemetryStats,
} from "./exporter.js";
export { checkFilter, compileFilter, type TelemetryFilter } from "./filter.js";
export { LATENCY_BOUNDS_MS, TelemetryMetrics } from "./metrics.js";
export { OCSF_VERSION, apiActivity, toOcsf, type OcsfEvent, type OcsfOptions } from "./ocsf.js";
export {
  anyValue,
  logsRequest,
  metricsRequest,
  unixNano,
  type AnyValue,
  type KeyValue,
  type OtlpSource,
} from "./otlp.js";
export { REDACTED, checkRedaction, redactRecord, type RedactionOptions } from "./redact.js";
export { levelOf, recordOf, summaryOf, type Level, type TelemetryRecord } from "./record.js";
export { teeSink } from "./tee.js";
export { TransportError, httpJson, otlpHttp, type HttpSendOptions, type OtlpPayload } from "./transport.js";
