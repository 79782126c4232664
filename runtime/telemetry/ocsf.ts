/**
 * OCSF 1.1 events (AARM telemetry: `version "1.1"`, `action_event: api_activity`, `decision_event:
 * security_finding`, `approval_event: authorization`). One event per receipt:
 *
 * | receipt                         | OCSF class (class_uid, category_uid)              | activity_id                      |
 * | ------------------------------- | ------------------------------------------------- | -------------------------------- |
 * | decision, kernel                | Security Finding (2001, 2 Findings)               | 1 Create                         |
 * | deferral (a DEFER resolved)     | Security Finding (2001, 2 Findings)               | 3 Close (the DEFER's finding)    |
 * | approval (a STEP_UP decided)    | Authorize Session (3003, 3 Identity & Access Mgt) | 1 Assign Privileges              |
 * | credential issued               | Authorize Session (3003, 3 Identity & Access Mgt) | 1 Assign Privileges              |
 * | outcome (the tool ran), credential used or refused | API Activity (6003, 6 Application Activity) | 1–4 from the operation, else 99 |
 *
 * `type_uid` = class_uid × 100 + activity_id. `severity_id` follows the receipt's level (info 1, low 2, medium 3,
 * high 4); `status_id` is 1 Success (allowed), 2 Failure (refused) or 99 Other ("Pending": STEP_UP, DEFER). A
 * finding's `uid` is the action id, so a DEFER's finding and the one that closes it correlate. What OCSF has no
 * attribute for (rule ids, reasons, hashes, the receipt's place in its chain) is under `unmapped.aarm`.
 */
import type { Receipt } from "../receipts/schema.js";
import {
  credentialOf,
  levelOf,
  outcomeOf,
  principalOf,
  summaryOf,
  type Level,
  type TelemetryRecord,
} from "./record.js";

export const OCSF_VERSION = "1.1.0";

export interface OcsfOptions {
  /** metadata.product.version (default "0"). */
  readonly productVersion?: string;
}

export type OcsfEvent = Record<string, unknown> & {
  readonly class_uid: number;
  readonly category_uid: number;
  readonly activity_id: number;
  readonly type_uid: number;
  readonly severity_id: number;
  readonly time: number;
};

const SEVERITY: Readonly<Record<Level, readonly [number, string]>> = {
  info: [1, "Informational"],
  low: [2, "Low"],
  medium: [3, "Medium"],
  high: [4, "High"],
};

interface ClassDef {
  readonly uid: number;
  readonly name: string;
  readonly category: readonly [number, string];
}
const SECURITY_FINDING: ClassDef = { uid: 2001, name: "Security Finding", category: [2, "Findings"] };
const AUTHORIZE_SESSION: ClassDef = {
  uid: 3003,
  name: "Authorize Session",
  category: [3, "Identity & Access Management"],
};
const API_ACTIVITY: ClassDef = { uid: 6003, name: "API Activity", category: [6, "Application Activity"] };

/** API Activity's activity from the operation or the tool's verb: Create 1, Read 2, Update 3, Delete 4, Other 99. */
export function apiActivity(r: Receipt): readonly [number, string] {
  const op = (r.action.operation ?? "").toLowerCase();
  if (op === "read" || op === "get") return [2, "Read"];
  const verb = (r.action.tool.split(/[._/:-]/).find((w) => VERBS.has(w.toLowerCase())) ?? "").toLowerCase();
  const v = VERBS.get(verb);
  if (v) return v;
  if (op === "post" || op === "put" || op === "patch" || op === "delete") return VERBS.get(op)!;
  return [99, "Other"];
}

const VERBS = new Map<string, readonly [number, string]>([
  ...["create", "add", "insert", "send", "post", "new", "upload", "write"].map(
    (w) => [w, [1, "Create"]] as const,
  ),
  ...["get", "read", "list", "search", "query", "lookup", "fetch", "find", "view", "open"].map(
    (w) => [w, [2, "Read"]] as const,
  ),
  ...["update", "set", "edit", "modify", "patch", "put", "move", "rename", "rotate", "share"].map(
    (w) => [w, [3, "Update"]] as const,
  ),
  ...["delete", "remove", "drop", "destroy", "purge", "truncate"].map((w) => [w, [4, "Delete"]] as const),
]);

function status(r: Receipt): { status_id: number; status: string } {
  switch (outcomeOf(r)) {
    case "allowed":
      return { status_id: 1, status: "Success" };
    case "refused":
      return { status_id: 2, status: "Failure" };
    case "held":
      return { status_id: 99, status: "Pending" };
  }
}

function actor(r: Receipt): Record<string, unknown> {
  const id = r.identity;
  const name = principalOf(r);
  return {
    ...(name !== undefined
      ? {
          user: {
            name,
            uid: name,
            type_id: id.human !== undefined ? 1 : 99,
            type: id.human !== undefined ? "User" : "Other",
          },
        }
      : {}),
    session: { uid: r.context.session },
    ...(id.agent !== undefined ? { app_name: id.agent } : {}),
    authorizations: [
      {
        decision: r.decision.result,
        policy: {
          name: r.decision.policy.name,
          uid: r.decision.policy.hash,
          version: r.decision.policy.version ?? undefined,
        },
      },
    ],
  };
}

function unmapped(rec: TelemetryRecord): Record<string, unknown> {
  const r = rec.receipt;
  return {
    aarm: {
      kind: r.kind,
      receipt: { seq: r.seq, hash: rec.hash, prev: r.prev, kid: r.sig.kid },
      action: r.action,
      context: r.context,
      identity: r.identity,
      decision: r.decision,
      ...(r.approval ? { approval: r.approval } : {}),
      ...(r.deferral ? { deferral: r.deferral } : {}),
      ...(r.outcome ? { outcome: r.outcome } : {}),
      ...(r.details ? { details: r.details } : {}),
    },
  };
}

function base(
  rec: TelemetryRecord,
  cls: ClassDef,
  activity: readonly [number, string],
  o: OcsfOptions,
): OcsfEvent {
  const r = rec.receipt;
  const [severity_id, severity] = SEVERITY[levelOf(r)];
  return {
    class_uid: cls.uid,
    class_name: cls.name,
    category_uid: cls.category[0],
    category_name: cls.category[1],
    activity_id: activity[0],
    activity_name: activity[1],
    type_uid: cls.uid * 100 + activity[0],
    type_name: `${cls.name}: ${activity[1]}`,
    time: r.time,
    severity_id,
    severity,
    ...status(r),
    message: summaryOf(r),
    metadata: {
      version: OCSF_VERSION,
      product: { name: "aarm", vendor_name: "AARM", version: o.productVersion ?? "0" },
      uid: rec.hash,
      correlation_uid: r.action.id,
      logged_time: r.time,
      sequence: r.seq,
    },
    actor: actor(r),
    unmapped: unmapped(rec),
  };
}

function finding(rec: TelemetryRecord, activity: readonly [number, string], o: OcsfOptions): OcsfEvent {
  const r = rec.receipt;
  const open = outcomeOf(r) === "held";
  return {
    ...base(rec, SECURITY_FINDING, activity, o),
    finding: {
      uid: r.action.id,
      title: `${r.decision.result} ${r.action.tool}`,
      desc: r.decision.reasons.join("; "),
      types: [`aarm.${r.kind}`, r.decision.result],
      created_time: r.action.time,
      ...(r.kind === "deferral" ? { modified_time: r.time } : {}),
    },
    state_id: open ? 1 : 4,
    state: open ? "New" : "Resolved",
    resources: [{ type: "tool", name: r.action.tool, uid: r.action.id }],
  };
}

function authorization(rec: TelemetryRecord, privileges: readonly string[], o: OcsfOptions): OcsfEvent {
  const r = rec.receipt;
  const ev = base(rec, AUTHORIZE_SESSION, [1, "Assign Privileges"], o);
  const user = (ev["actor"] as { user?: unknown }).user ?? { name: "unknown", type_id: 0, type: "Unknown" };
  return { ...ev, user, session: { uid: r.context.session }, privileges: [...privileges] };
}

function api(rec: TelemetryRecord, o: OcsfOptions): OcsfEvent {
  const r = rec.receipt;
  const error = r.outcome && "error" in r.outcome ? r.outcome.error : undefined;
  return {
    ...base(rec, API_ACTIVITY, apiActivity(r), o),
    api: {
      operation: r.action.operation ?? r.action.tool,
      service: { name: r.action.tool },
      request: { uid: r.action.id },
      ...(error !== undefined ? { response: { error: "tool_error", message: error } } : {}),
    },
    src_endpoint: { name: r.identity.agent ?? r.identity.service ?? "agent" },
    resources: [{ type: "tool", name: r.action.tool, uid: r.action.id }],
    ...(error !== undefined ? { status_id: 2, status: "Failure", status_detail: error } : {}),
  };
}

/** The OCSF 1.1 event of one receipt. */
export function toOcsf(rec: TelemetryRecord, o: OcsfOptions = {}): OcsfEvent {
  const r = rec.receipt;
  switch (r.kind) {
    case "decision":
    case "kernel":
      return finding(rec, [1, "Create"], o);
    case "deferral":
      return finding(rec, [3, "Close"], o);
    case "approval":
      return authorization(rec, [`tool:${r.action.tool}`], o);
    case "outcome":
      return api(rec, o);
    case "credential": {
      const c = credentialOf(r);
      if (c?.event === "issued")
        return authorization(
          rec,
          c.operations.map((op) => `tool:${r.action.tool}:${op}`),
          o,
        );
      return api(rec, o);
    }
  }
}
