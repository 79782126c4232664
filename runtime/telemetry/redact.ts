/**
 * What leaves the AARM boundary ("telemetry exporters should scrub or hash sensitive fields before they leave").
 * Receipts already omit the parameters the policy redacts (only their hash is kept); on top of that, exporters
 * send no parameters at all by default (neither `action.parameters` nor the `details.modifiedParameters` a
 * redacting MODIFY's receipt holds) — `parameters: "include"` sends the ones the receipt holds — and any field
 * named in `redact` (a dotted path into the receipt: `action.parameters.body`, `identity.human`,
 * `approval.approvals.comment`) is replaced by "[REDACTED]" wherever it occurs, also inside lists.
 */
import type { Receipt } from "../receipts/schema.js";
import type { TelemetryRecord } from "./record.js";

export const REDACTED = "[REDACTED]";

export interface RedactionOptions {
  /** "omit" (default): only `action.parametersHash` leaves; "include": the parameters the receipt holds. */
  readonly parameters?: "omit" | "include";
  /** Dotted paths whose values are replaced by "[REDACTED]". */
  readonly redact?: readonly string[];
}

function redactPath(value: unknown, path: readonly string[]): unknown {
  if (path.length === 0) return value === undefined ? undefined : REDACTED;
  if (Array.isArray(value)) return value.map((v) => redactPath(v, path));
  if (typeof value !== "object" || value === null) return value;
  const [head, ...rest] = path as [string, ...string[]];
  if (!Object.hasOwn(value, head)) return value;
  return { ...value, [head]: redactPath((value as Record<string, unknown>)[head], rest) };
}

/** Check redaction options: a problem, or null. */
export function checkRedaction(o: RedactionOptions): string | null {
  if (o.parameters !== undefined && o.parameters !== "omit" && o.parameters !== "include")
    return `redaction.parameters: expected "omit" or "include", got ${JSON.stringify(o.parameters)}`;
  for (const p of o.redact ?? [])
    if (typeof p !== "string" || !/^[^.]+(\.[^.]+)*$/.test(p))
      return `redaction.redact: ${JSON.stringify(p)} is not a dotted path such as action.parameters.body`;
  return null;
}

/** The record as it may leave: parameters dropped or kept, paths redacted. The receipt itself is not changed. */
export function redactRecord(rec: TelemetryRecord, o: RedactionOptions = {}): TelemetryRecord {
  let r: Receipt = rec.receipt;
  if ((o.parameters ?? "omit") === "omit") {
    if (r.action.parameters !== undefined) {
      const { parameters: _p, ...action } = r.action;
      r = { ...r, action };
    }
    // The enforcement layer keeps the modified parameters of a redacting MODIFY here: parameters too.
    if (r.details !== undefined && Object.hasOwn(r.details, "modifiedParameters")) {
      const { modifiedParameters: _m, ...details } = r.details;
      r = { ...r, details };
    }
  }
  for (const path of o.redact ?? []) r = redactPath(r, path.split(".")) as Receipt;
  return r === rec.receipt ? rec : { receipt: r, hash: rec.hash };
}
