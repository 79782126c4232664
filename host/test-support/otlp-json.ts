/**
 * A strict validator of OTLP/HTTP JSON requests: the protobuf JSON mapping of
 * opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest and
 * opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest (opentelemetry-proto v1), as OTLP
 * specifies it: lowerCamelCase field names only (an unknown or snake_case field is an error), 64-bit integers
 * (fixed64 times, counts, sfixed64 asInt, int64 intValue) as decimal strings within range, enums as integers
 * within their range, trace and span ids as hex, exactly one member of each oneof (AnyValue, a metric's data, a
 * number point's value), and a histogram point's bucket counts consistent with its bounds and count.
 */
import { z } from "zod";

const U64_MAX = (1n << 64n) - 1n;
const u64 = z
  .string()
  .regex(/^(0|[1-9][0-9]*)$/, "expected a 64-bit unsigned integer as a decimal string")
  .refine((s) => BigInt(s) <= U64_MAX, "out of range for fixed64");
const i64 = z
  .string()
  .regex(/^-?(0|[1-9][0-9]*)$/, "expected a 64-bit integer as a decimal string")
  .refine((s) => BigInt(s) >= -(1n << 63n) && BigInt(s) < 1n << 63n, "out of range for int64");
const uint32 = z.number().int().min(0).max(0xffffffff);
const enumOf = (max: number) => z.number().int().min(0).max(max);
const hex = (bytes: number) =>
  z.string().regex(new RegExp(`^([0-9a-f]{${bytes * 2}})?$`), `expected ${bytes} bytes as lower-case hex`);

type AnyValue = unknown;
const AnyValue: z.ZodType<AnyValue> = z.lazy(() =>
  z.union([
    z.strictObject({ stringValue: z.string() }),
    z.strictObject({ boolValue: z.boolean() }),
    z.strictObject({ intValue: i64 }),
    z.strictObject({ doubleValue: z.number() }),
    z.strictObject({ arrayValue: z.strictObject({ values: z.array(AnyValue).optional() }) }),
    z.strictObject({ kvlistValue: z.strictObject({ values: z.array(KeyValue).optional() }) }),
    z.strictObject({ bytesValue: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/) }),
  ]),
);
const KeyValue = z.strictObject({ key: z.string().min(1), value: AnyValue });
const attributes = z.array(KeyValue).optional();

const Resource = z.strictObject({ attributes, droppedAttributesCount: uint32.optional() });
const Scope = z.strictObject({
  name: z.string().optional(),
  version: z.string().optional(),
  attributes,
  droppedAttributesCount: uint32.optional(),
});

const LogRecord = z.strictObject({
  timeUnixNano: u64.optional(),
  observedTimeUnixNano: u64.optional(),
  severityNumber: enumOf(24).optional(),
  severityText: z.string().optional(),
  body: AnyValue.optional(),
  attributes,
  droppedAttributesCount: uint32.optional(),
  flags: uint32.optional(),
  traceId: hex(16).optional(),
  spanId: hex(8).optional(),
  eventName: z.string().optional(),
});

export const ExportLogsServiceRequest = z.strictObject({
  resourceLogs: z
    .array(
      z.strictObject({
        resource: Resource.optional(),
        scopeLogs: z
          .array(
            z.strictObject({
              scope: Scope.optional(),
              logRecords: z.array(LogRecord).optional(),
              schemaUrl: z.string().optional(),
            }),
          )
          .optional(),
        schemaUrl: z.string().optional(),
      }),
    )
    .optional(),
});

const exemplars = z.array(z.unknown()).optional();
const NumberDataPoint = z
  .strictObject({
    attributes,
    startTimeUnixNano: u64.optional(),
    timeUnixNano: u64.optional(),
    asDouble: z.number().optional(),
    asInt: i64.optional(),
    exemplars,
    flags: uint32.optional(),
  })
  .refine((p) => (p.asDouble === undefined) !== (p.asInt === undefined), "exactly one of asDouble, asInt");

const HistogramDataPoint = z
  .strictObject({
    attributes,
    startTimeUnixNano: u64.optional(),
    timeUnixNano: u64.optional(),
    count: u64.optional(),
    sum: z.number().optional(),
    bucketCounts: z.array(u64).optional(),
    explicitBounds: z.array(z.number()).optional(),
    exemplars,
    flags: uint32.optional(),
    min: z.number().optional(),
    max: z.number().optional(),
  })
  .superRefine((p, ctx) => {
    const buckets = p.bucketCounts ?? [];
    const bounds = p.explicitBounds ?? [];
    if (buckets.length > 0 && buckets.length !== bounds.length + 1)
      ctx.addIssue({ code: "custom", message: "bucketCounts must have one more entry than explicitBounds" });
    if (bounds.some((b, i) => i > 0 && b <= bounds[i - 1]!))
      ctx.addIssue({ code: "custom", message: "explicitBounds must increase strictly" });
    const total = buckets.reduce((a, b) => a + BigInt(b), 0n);
    if (buckets.length > 0 && total !== BigInt(p.count ?? "0"))
      ctx.addIssue({ code: "custom", message: "the bucket counts do not add up to count" });
  });

const temporality = enumOf(2);
const Metric = z
  .strictObject({
    name: z.string().min(1),
    description: z.string().optional(),
    unit: z.string().optional(),
    gauge: z.strictObject({ dataPoints: z.array(NumberDataPoint).optional() }).optional(),
    sum: z
      .strictObject({
        dataPoints: z.array(NumberDataPoint).optional(),
        aggregationTemporality: temporality.optional(),
        isMonotonic: z.boolean().optional(),
      })
      .optional(),
    histogram: z
      .strictObject({
        dataPoints: z.array(HistogramDataPoint).optional(),
        aggregationTemporality: temporality.optional(),
      })
      .optional(),
    exponentialHistogram: z.unknown().optional(),
    summary: z.unknown().optional(),
    metadata: attributes,
  })
  .refine(
    (m) =>
      ["gauge", "sum", "histogram", "exponentialHistogram", "summary"].filter((k) => k in m).length === 1,
    "exactly one of gauge, sum, histogram, exponentialHistogram, summary",
  );

export const ExportMetricsServiceRequest = z.strictObject({
  resourceMetrics: z
    .array(
      z.strictObject({
        resource: Resource.optional(),
        scopeMetrics: z
          .array(
            z.strictObject({
              scope: Scope.optional(),
              metrics: z.array(Metric).optional(),
              schemaUrl: z.string().optional(),
            }),
          )
          .optional(),
        schemaUrl: z.string().optional(),
      }),
    )
    .optional(),
});

export type ExportLogsServiceRequest = z.infer<typeof ExportLogsServiceRequest>;
export type ExportMetricsServiceRequest = z.infer<typeof ExportMetricsServiceRequest>;

/** The first problem of a zod error as one line: `resourceLogs.0.scopeLogs.0.logRecords.3.timeUnixNano: ...`. */
export function firstProblem(e: z.ZodError): string {
  const i = e.issues[0];
  return i ? `${i.path.map(String).join(".") || "(root)"}: ${i.message}` : "invalid";
}
