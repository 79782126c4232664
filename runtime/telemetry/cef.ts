/**
 * ArcSight Common Event Format (CEF) version 0, one line per receipt (AARM telemetry: `vendor "AARM"`, `product
 * "RuntimeSecurity"`):
 *
 *   CEF:0|AARM|RuntimeSecurity|<version>|<kind>:<decision>|<summary>|<severity>|<extension>
 *
 * Escaping follows the CEF specification: in header fields a backslash becomes `\\` and a pipe `\|`, and line
 * breaks (not allowed in the header) become spaces; in extension values a backslash becomes `\\`, an equals sign
 * `\=`, and line breaks `\n` / `\r` (pipes need no escaping there). Severity is 0–10: info 1, low 3, medium 5,
 * high 8. Extension keys are CEF's own (rt, act, cat, outcome, suser, externalId, reason, msg, cnN/csN with their
 * labels), so a SIEM maps them without configuration.
 */
import {
  credentialOf,
  levelOf,
  outcomeOf,
  principalOf,
  summaryOf,
  type Level,
  type TelemetryRecord,
} from "./record.js";

export interface CefOptions {
  /** The Device Version header field (default "0"). */
  readonly productVersion?: string;
}

const SEVERITY: Readonly<Record<Level, number>> = { info: 1, low: 3, medium: 5, high: 8 };

/** Escape a CEF header field. */
export function cefHeader(text: string): string {
  if (!/[\\|\r\n]/.test(text)) return text;
  return text
    .replace(/\\/g, "\\\\")
    .replace(/\|/g, "\\|")
    .replace(/\r\n|\r|\n/g, " ");
}

/** Escape a CEF extension value. */
export function cefValue(text: string): string {
  if (!/[\\=\r\n]/.test(text)) return text;
  return text
    .replace(/\\/g, "\\\\")
    .replace(/=/g, "\\=")
    .replace(/\r\n|\n/g, "\\n")
    .replace(/\r/g, "\\r");
}

/** The CEF line of one receipt (no trailing newline). */
export function toCef(rec: TelemetryRecord, o: CefOptions = {}): string {
  const r = rec.receipt;
  const ext: [string, string | number | undefined][] = [
    ["rt", r.time],
    ["act", r.decision.result],
    ["cat", r.kind],
    ["outcome", outcomeOf(r)],
    ["suser", principalOf(r)],
    ["externalId", r.action.id],
    ["reason", r.decision.reasons.join("; ")],
    ["cs1Label", "session"],
    ["cs1", r.context.session],
    ["cs2Label", "tool"],
    ["cs2", r.action.tool],
    ["cs3Label", "policy"],
    ["cs3", `${r.decision.policy.name}@${r.decision.policy.version ?? "unversioned"}`],
    ["cs4Label", "rules"],
    ["cs4", r.decision.ruleIds.join(",")],
    ["cs5Label", "agent"],
    ["cs5", r.identity.agent],
    ["cs6Label", "policyHash"],
    ["cs6", r.decision.policy.hash],
    ["cn1Label", "receiptSeq"],
    ["cn1", r.seq],
    ["fileHash", rec.hash],
    ["requestMethod", r.action.operation],
    [
      "flexString1Label",
      r.deferral ? "deferral" : r.approval ? "approval" : credentialOf(r) ? "credential" : undefined,
    ],
    [
      "flexString1",
      r.deferral
        ? `${r.deferral.trigger}${r.deferral.resolution ? ` resolved by ${r.deferral.resolution.method}` : ""}`
        : r.approval
          ? r.approval.outcome
          : credentialOf(r)?.event,
    ],
  ];
  const extension = ext
    .filter((e): e is [string, string | number] => e[1] !== undefined && e[1] !== "")
    .map(([k, v]) => `${k}=${cefValue(String(v))}`)
    .join(" ");
  const header = [
    "CEF:0",
    cefHeader("AARM"),
    cefHeader("RuntimeSecurity"),
    cefHeader(o.productVersion ?? "0"),
    cefHeader(`${r.kind}:${r.decision.result}`),
    cefHeader(summaryOf(r)),
    String(SEVERITY[levelOf(r)]),
  ];
  return `${header.join("|")}|${extension}`;
}
