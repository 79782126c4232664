/**
 * The requirement items of AARM R1–R9 (the ✓ and ○ bullets of each requirement in the current spec,
 * ../shared/reference/aarm-spec.md §2), each with the table rows and catalogue items whose tests prove it. A test
 * may also claim an item directly by naming it: `[R4.5]`. An item passes when it has tests and all of them pass.
 * The seed numbering's requirements are single sentences; they are proven through the mapping in catalog.ts.
 */
import type { Level } from "./catalog.js";

export interface Item {
  /** `R<n>.<k>`, numbered in the order the spec lists the bullets. */
  readonly key: string;
  readonly requirement: string;
  readonly level: Level;
  readonly text: string;
  /** Table rows (`T<n>`) and catalogue items (`C<n>`) whose tests prove this item. */
  readonly rows: readonly string[];
}

type Spec = readonly [text: string, rows: readonly string[], level?: Level];

function items(requirement: string, level: Level, list: readonly Spec[]): Item[] {
  return list.map(([text, rows, own], i) => ({
    key: `${requirement}.${i + 1}`,
    requirement,
    level: own ?? level,
    text,
    rows,
  }));
}

export const ITEMS: readonly Item[] = [
  ...items("R1", "MUST", [
    ["Actions matching DENY policies do not execute", ["T1", "C1"]],
    ["No effects occur on target systems for denied or deferred actions", ["T1", "T2", "C2"]],
    ["No fail-open mode that bypasses policy evaluation", ["T3", "C3", "C4"]],
    ["Denial and deferral decisions recorded with the matching policy and reason", ["T1", "T2"]],
  ]),
  ...items("R2", "MUST", [
    ["Track prior actions executed in the session", ["T4", "C5"]],
    ["Track data classifications accessed", ["T4", "C5"]],
    ["Default to highest sensitivity level when no classification mechanism produces a result", ["C6"]],
    ["Maintain original user request (when available) for intent alignment", ["C7"]],
    ["Make accumulated context available to policy evaluation", ["T4", "T7"]],
    ["Append-only, hash-chained context log that detects retroactive modification", ["T5", "C8"], "SHOULD"],
  ]),
  ...items("R3", "MUST", [
    [
      "Support action classification: forbidden, context-dependent deny / allow / defer",
      ["T6", "T7", "T8", "T9"],
    ],
    ["Evaluate forbidden actions against static policy with immediate denial", ["T6", "C9"]],
    ["Evaluate context-dependent actions against accumulated session context", ["T7", "T8", "C10", "C11"]],
    ["Defer actions when the policy engine cannot reach a confident decision", ["T9", "C12"]],
    ["Support parameter validation: type, range, pattern, allowlist/blocklist", ["C17"]],
    [
      "Deferral triggered by unpopulated context, same-priority conflicts, low confidence",
      ["C13", "C14", "C15"],
    ],
    ["The conditions triggering deferral are documented and auditable", ["C16"]],
  ]),
  ...items("R4", "MUST", [
    ["Five decisions: ALLOW, DENY, MODIFY, STEP_UP, DEFER, each enforced", ["T10", "C20", "C21"]],
    ["STEP_UP: execution blocks until the approval decision is received", ["C22"]],
    ["STEP_UP: approval requests routed to configured approvers", []],
    ["STEP_UP: configurable timeouts enforced (DENY on timeout)", ["T11", "C23"]],
    ["STEP_UP: full action context available to approvers", []],
    ["DEFER: execution paused until sufficient context is collected", ["C25"]],
    ["DEFER: deferred actions tracked with execution order maintained", ["C28"]],
    ["DEFER: no premature execution of high-risk operations", ["T2", "C2"]],
    ["DEFER: configurable timeouts enforced; DENY on timeout; no fail-open", ["T12", "C24"]],
    ["DEFER: dependent actions (relying on a deferred action's output) also deferred", ["C26"]],
    ["DEFER: independent actions proceed without blocking", ["C26"]],
    ["DEFER: cascading deferrals bounded; exceeding the limit is DENY", ["C27"]],
    [
      "DEFER: recorded in receipts with reason; resolution or timeout gives a follow-up receipt",
      ["T16", "C25"],
    ],
  ]),
  ...items("R5", "MUST", [
    ["Receipts for all actions", ["T13", "C29"]],
    [
      "Receipt fields: action, context, identity, decision, approval, deferral, outcome",
      ["T13", "T16", "C30"],
    ],
    ["Signature verifiable offline with published public keys", ["T14", "C31"]],
    ["Signed over a canonical serialization with a secure algorithm (Ed25519)", ["T14", "T15"]],
    ["Tampering with any field, or an unknown key, fails verification", ["T15", "C32"]],
  ]),
  ...items("R6", "MUST", [
    ["Human, service and agent identity, session, role and privilege scope bound to actions", ["T17", "C33"]],
    ["Identity captured at submission and preserved for deferred or delegated actions", ["T18", "C34"]],
    ["Identity claims validated against trusted sources, including freshness and revocation", ["C36"]],
    ["Actions without verifiable identity denied or flagged", ["C35"]],
    ["Identity recorded in tamper-evident receipts", ["T17"]],
  ]),
  ...items("R7", "SHOULD", [
    ["Drift computed between the request and each action", ["T19", "C37"]],
    ["Embedding model calibrated against known-benign and known-malicious sequences", []],
    ["Cumulative drift tracked across sequences, not only per action", ["C38"]],
    ["Drift thresholds trigger alerts, deferral or escalation", ["T19", "C37", "C38"]],
  ]),
  ...items("R8", "SHOULD", [
    ["Standard schemas (OCSF, CEF) including DEFER events", ["T20", "C39"]],
    ["Configurable filtering by action type, decision, identity", ["C39"]],
    ["Real-time streaming and batch export", ["C39"]],
  ]),
  ...items("R9", "SHOULD", [
    ["Just-in-time credentials with minimal validity", ["C40"]],
    ["Operation-specific scoping: a read credential cannot write", ["T21", "C40"]],
    ["Credential usage logged for audit", ["C40"]],
  ]),
];
