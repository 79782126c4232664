/**
 * What the exporters read: a stored receipt and its hash (the chain's link to it), plus the facts every format
 * derives from it the same way — the event's type, the effective decision, its severity, and who acted.
 */
import type { DecisionEffect } from "../decide/decision.js";
import type { ReceiptEntry } from "../receipts/sink.js";
import type { Receipt } from "../receipts/schema.js";

/** A receipt as the exporters see it (a ReceiptEntry without its line). */
export interface TelemetryRecord {
  readonly receipt: Receipt;
  /** sha256 hex of the receipt's line: unique, and what the next receipt's `prev` holds. */
  readonly hash: string;
}

export function recordOf(entry: ReceiptEntry): TelemetryRecord {
  return { receipt: entry.receipt, hash: entry.hash };
}

/** How serious an event is, in one scale every format maps to its own. */
export type Level = "info" | "low" | "medium" | "high";

/**
 * The level of a receipt: an ALLOW is info, a MODIFY low, a STEP_UP or DEFER (an action held for a human or for
 * context) medium, a DENY — including every timeout and every refused credential use — high; a kernel report is
 * always high.
 */
export function levelOf(r: Receipt): Level {
  if (r.kind === "kernel") return "high";
  return EFFECT_LEVEL[r.decision.result];
}

const EFFECT_LEVEL: Readonly<Record<DecisionEffect, Level>> = {
  ALLOW: "info",
  MODIFY: "low",
  STEP_UP: "medium",
  DEFER: "medium",
  DENY: "high",
};

/** Whether the action may run, is held, or was refused, as a receipt records it. */
export type Outcome = "allowed" | "held" | "refused";

export function outcomeOf(r: Receipt): Outcome {
  const e = r.decision.result;
  if (e === "ALLOW" || e === "MODIFY") return "allowed";
  return e === "DENY" ? "refused" : "held";
}

/** The principal the action runs for: the human, else the service, else the agent. */
export function principalOf(r: Receipt): string | undefined {
  return r.identity.human ?? r.identity.service ?? r.identity.agent;
}

/** `credential` details of a credential receipt, when present and well-formed. */
export function credentialOf(r: Receipt): { event: string; jti: string; operations: string[] } | undefined {
  const c = (r.details as { credential?: unknown } | undefined)?.credential;
  if (typeof c !== "object" || c === null) return undefined;
  const o = c as Record<string, unknown>;
  if (typeof o["event"] !== "string" || typeof o["jti"] !== "string") return undefined;
  const ops = Array.isArray(o["operations"])
    ? o["operations"].filter((x): x is string => typeof x === "string")
    : [];
  return { event: o["event"], jti: o["jti"], operations: ops };
}

/** A one-line human summary: `DENY email.send: external email after PII access`. */
export function summaryOf(r: Receipt): string {
  const what = `${r.decision.result} ${r.action.tool}`;
  const why = r.decision.reasons.join("; ");
  switch (r.kind) {
    case "decision":
      return `${what}: ${why}`;
    case "approval":
      return `approval ${r.approval?.outcome ?? "unknown"} → ${what}: ${why}`;
    case "deferral":
      return `deferral resolved by ${r.deferral?.resolution?.method ?? "unknown"} → ${what}: ${why}`;
    case "outcome":
      return `${r.action.tool} ran: ${r.outcome && "error" in r.outcome ? `error: ${r.outcome.error}` : "ok"}`;
    case "credential":
      return why;
    case "kernel":
      return `kernel ${what}: ${why}`;
  }
}
