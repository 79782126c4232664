import { describe, expect, it } from "vitest";
import {
  ExportLogsServiceRequest,
  ExportMetricsServiceRequest,
  firstProblem,
} from "../../host/test-support/otlp-json.js";
import { sampleDraft } from "../receipts/test-support/drafts.js";
import type { ReceiptDraft } from "../receipts/draft.js";
import { cefHeader, cefValue, toCef } from "./cef.js";
import { compileFilter } from "./filter.js";
import { TelemetryMetrics } from "./metrics.js";
import { apiActivity, toOcsf } from "./ocsf.js";
import { logsRequest, metricsRequest } from "./otlp.js";
import { redactRecord, REDACTED } from "./redact.js";
import type { TelemetryRecord } from "./record.js";
import { approved, deferralTimeout, receiptChain } from "./test-support/receipts.js";

async function records(drafts: readonly ReceiptDraft[]): Promise<TelemetryRecord[]> {
  const { writer, sink } = await receiptChain();
  for (const d of drafts) await writer.write(d);
  return sink.entries.map((e) => ({ receipt: e.receipt, hash: e.hash }));
}

const T = 1_760_000_000_000;
const credential = (event: string, operation?: string): ReceiptDraft =>
  sampleDraft(0, {
    kind: "credential",
    action: {
      id: "act_c",
      tool: "read_file",
      ...(operation ? { operation } : {}),
      parametersHash: "0".repeat(64),
      time: T,
    },
    details: {
      credential: { event, jti: "cred_1", operations: ["read"], expiresAt: T + 60_000, maxUses: 1 },
    },
  });

/** The attributes OCSF 1.1 requires of every event (base_event) and of each class used here. */
function expectOcsfRequired(e: Record<string, unknown>): void {
  for (const k of ["activity_id", "category_uid", "class_uid", "severity_id", "time", "type_uid", "metadata"])
    expect(e, k).toHaveProperty(k);
  const m = e["metadata"] as { version: string; product: { vendor_name: string; name: string } };
  expect(m.version).toBe("1.1.0");
  expect(m.product).toMatchObject({ vendor_name: "AARM", name: "aarm" });
  expect(e["type_uid"]).toBe((e["class_uid"] as number) * 100 + (e["activity_id"] as number));
  if (e["class_uid"] === 2001) {
    expect(e).toHaveProperty("finding.title");
    expect(e).toHaveProperty("finding.uid");
    expect([1, 2, 3, 4]).toContain(e["state_id"]);
  } else if (e["class_uid"] === 3003) {
    expect(e).toHaveProperty("user.name");
    expect((e["privileges"] as unknown[]).length).toBeGreaterThan(0);
  } else if (e["class_uid"] === 6003) {
    expect(e).toHaveProperty("actor");
    expect(e).toHaveProperty("api.operation");
    expect(e).toHaveProperty("src_endpoint");
  } else throw new Error(`unexpected class ${String(e["class_uid"])}`);
}

describe("OCSF 1.1", () => {
  it("maps each decision to a Security Finding with the right severity, status and state", async () => {
    const recs = await records([0, 1, 2, 3, 4].map((i) => sampleDraft(i)));
    const events = recs.map((r) => toOcsf(r));
    for (const e of events) expectOcsfRequired(e);
    expect(events.map((e) => [e["class_uid"], e["category_uid"], e["activity_id"], e["type_uid"]])).toEqual(
      Array(5).fill([2001, 2, 1, 200101]),
    );
    expect(events.map((e) => [e["severity_id"], e["status_id"], e["state_id"]])).toEqual([
      [1, 1, 4], // ALLOW
      [4, 2, 4], // DENY
      [2, 1, 4], // MODIFY
      [3, 99, 1], // STEP_UP: pending, a new finding
      [3, 99, 1], // DEFER
    ]);
    const defer = events[4]!;
    expect(defer["status"]).toBe("Pending");
    expect(defer["finding"]).toMatchObject({
      uid: recs[4]!.receipt.action.id,
      types: ["aarm.decision", "DEFER"],
    });
    expect(defer).toHaveProperty("unmapped.aarm.deferral.waitingFor", ["context.approved_payees"]);
    expect(defer["actor"]).toMatchObject({
      user: { name: "alice0@corp.example", type_id: 1 },
      session: { uid: "sess-1" },
      app_name: "banking-agent",
      authorizations: [{ decision: "DEFER", policy: { name: "banking", version: "1.2.0" } }],
    });
    expect(defer["metadata"]).toMatchObject({
      uid: recs[4]!.hash,
      correlation_uid: recs[4]!.receipt.action.id,
      sequence: 5,
    });
  });

  it("a DEFER's resolution closes its finding; approvals and issued credentials are Authorize Session; uses and outcomes API Activity", async () => {
    const defer = sampleDraft(4);
    const stepUp = sampleDraft(3);
    const outcome = sampleDraft(1, { kind: "outcome", outcome: { error: "upstream 500" } });
    const recs = await records([
      defer,
      deferralTimeout(defer, T + 300_000),
      approved(stepUp, "bob@corp.example", T + 5_000),
      credential("issued"),
      credential("used", "read"),
      outcome,
    ]);
    const [open, closed, approval, issued, used, ran] = recs.map((r) => toOcsf(r));
    for (const e of [open, closed, approval, issued, used, ran]) expectOcsfRequired(e!);
    expect([closed!["type_uid"], closed!["state_id"], closed!["severity_id"], closed!["status_id"]]).toEqual([
      200103, 4, 4, 2,
    ]);
    expect((closed!["finding"] as { uid: string }).uid).toBe((open!["finding"] as { uid: string }).uid);
    expect([
      approval!["class_uid"],
      approval!["category_uid"],
      approval!["type_uid"],
      approval!["status_id"],
    ]).toEqual([3003, 3, 300301, 1]);
    expect(approval!["privileges"]).toEqual(["tool:send_money"]);
    expect(approval).toHaveProperty("unmapped.aarm.approval.approvals.0.approver", "bob@corp.example");
    expect(issued!["privileges"]).toEqual(["tool:read_file:read"]);
    expect([used!["class_uid"], used!["activity_id"], used!["type_uid"]]).toEqual([6003, 2, 600302]);
    expect([ran!["class_uid"], ran!["activity_id"], ran!["status_id"], ran!["status_detail"]]).toEqual([
      6003,
      1,
      2,
      "upstream 500",
    ]);
  });

  it("API Activity's activity comes from the operation or the tool's verb", () => {
    const r = (tool: string, operation?: string) =>
      apiActivity({ action: { tool, ...(operation ? { operation } : {}) } } as never)[0];
    expect([
      r("db.query"),
      r("email.send"),
      r("doc.update"),
      r("db.drop_table"),
      r("x", "read"),
      r("misc.thing"),
    ]).toEqual([2, 1, 3, 4, 2, 99]);
  });
});

describe("CEF", () => {
  /** Split a CEF line back into its header fields and extension pairs, undoing the escapes. */
  function parseCef(line: string): { header: string[]; ext: Record<string, string> } {
    const header: string[] = [];
    let field = "";
    let i = 0;
    for (; header.length < 7; i++) {
      const ch = line[i]!;
      if (ch === "\\") field += line[++i];
      else if (ch === "|") {
        header.push(field);
        field = "";
      } else field += ch;
    }
    const ext: Record<string, string> = {};
    const rest = line.slice(i);
    const re = /(\w+)=((?:\\.|[^\\=])*?)(?= \w+=|$)/g;
    for (const m of rest.matchAll(re))
      ext[m[1]!] = m[2]!.replace(/\\(.)/g, (_x, c: string) => (c === "n" ? "\n" : c === "r" ? "\r" : c));
    return { header, ext };
  }

  it("escapes pipes and backslashes in the header, = and line breaks in extensions, and round-trips", async () => {
    expect(cefHeader("a|b\\c\nd")).toBe("a\\|b\\\\c d");
    expect(cefValue("a=b\\c\nd\re|f")).toBe("a\\=b\\\\c\\nd\\re|f");
    const nasty = sampleDraft(1, {
      decision: {
        ...sampleDraft(1).decision,
        reasons: ["amount=5000 | too much\\really\nsecond line"],
        ruleIds: ["r|1", "r=2"],
      },
    });
    const [rec] = await records([{ ...nasty, action: { ...nasty.action, tool: "pay|ments\\x" } }]);
    const line = toCef(rec!, { productVersion: "1.0|beta" });
    expect(line).not.toContain("\n");
    const { header, ext } = parseCef(line);
    expect(header).toEqual([
      "CEF:0",
      "AARM",
      "RuntimeSecurity",
      "1.0|beta",
      "decision:DENY",
      "DENY pay|ments\\x: amount=5000 | too much\\really second line",
      "8",
    ]);
    expect(ext).toMatchObject({
      act: "DENY",
      cat: "decision",
      outcome: "refused",
      suser: "alice1@corp.example",
      reason: "amount=5000 | too much\\really\nsecond line",
      cs2: "pay|ments\\x",
      cs4: "r|1,r=2",
      cs1Label: "session",
      rt: String(rec!.receipt.time),
      cn1: "1",
      fileHash: rec!.hash,
    });
  });

  it("severity follows the decision: ALLOW 1, MODIFY 3, STEP_UP and DEFER 5, DENY 8", async () => {
    const recs = await records([0, 1, 2, 3, 4].map((i) => sampleDraft(i)));
    expect(recs.map((r) => toCef(r).split("|")[6])).toEqual(["1", "8", "3", "5", "5"]);
    expect(toCef(recs[4]!)).toContain("flexString1=unknown_context");
  });
});

describe("OTLP JSON", () => {
  it("logs and metrics requests satisfy the protobuf JSON mapping", async () => {
    const recs = await records([0, 1, 2, 3, 4].map((i) => sampleDraft(i)));
    const logs = logsRequest(recs, T + 1, {
      serviceName: "gw",
      version: "1.2.3",
      resource: { "deployment.environment": "test" },
    });
    const pl = ExportLogsServiceRequest.safeParse(logs);
    expect(pl.success ? "ok" : firstProblem(pl.error)).toBe("ok");
    const record = logs.resourceLogs[0]!.scopeLogs[0]!.logRecords[4]!;
    expect(record).toMatchObject({
      timeUnixNano: `${recs[4]!.receipt.time}000000`,
      severityNumber: 13,
      severityText: "WARN",
    });
    expect(record.attributes).toContainEqual({ key: "aarm.decision", value: { stringValue: "DEFER" } });
    expect(record.attributes).toContainEqual({ key: "aarm.receipt.seq", value: { intValue: "5" } });
    expect(record.attributes).toContainEqual({
      key: "aarm.deferral.waiting_for",
      value: { arrayValue: { values: [{ stringValue: "context.approved_payees" }] } },
    });
    const m = new TelemetryMetrics(T);
    for (const r of recs) m.add(r.receipt);
    const metrics = metricsRequest(m.toOtlp(T + 10, { exported: 5, dropped: 2, failed: 0, queued: 0 }));
    const pm = ExportMetricsServiceRequest.safeParse(metrics);
    expect(pm.success ? "ok" : firstProblem(pm.error)).toBe("ok");
    const byName = new Map(metrics.resourceMetrics[0]!.scopeMetrics[0]!.metrics.map((x) => [x.name, x]));
    expect(byName.get("aarm.actions.deferred")).toMatchObject({ sum: { dataPoints: [{ asInt: "1" }] } });
    expect(byName.get("aarm.telemetry.dropped_events")).toMatchObject({
      sum: { dataPoints: [{ asInt: "2" }] },
    });
  });

  it("the strict schema refuses what a careless encoder produces", () => {
    const bad = (o: unknown) => !ExportLogsServiceRequest.safeParse(o).success;
    const rec = (r: object) => ({ resourceLogs: [{ scopeLogs: [{ logRecords: [r] }] }] });
    expect(bad(rec({ timeUnixNano: 1 }))).toBe(true); // fixed64 as a number
    expect(bad(rec({ time_unix_nano: "1" }))).toBe(true); // snake_case
    expect(bad(rec({ severityNumber: "SEVERITY_NUMBER_INFO" }))).toBe(true); // enum by name
    expect(bad(rec({ body: { stringValue: "a", intValue: "1" } }))).toBe(true); // two oneof members
    expect(bad(rec({ traceId: "AAECAwQFBgcICQoLDA0ODw==" }))).toBe(true); // base64, not hex
    expect(bad(rec({ timeUnixNano: "1", severityNumber: 9, body: { stringValue: "ok" } }))).toBe(false);
  });
});

describe("filters and redaction", () => {
  it("filters by kind, tool pattern, decision and identity", async () => {
    const recs = await records([0, 1, 2, 3, 4, 5].map((i) => sampleDraft(i)));
    const pick = (f: Parameters<typeof compileFilter>[0]) =>
      recs.filter((r) => compileFilter(f)(r.receipt)).map((r) => r.receipt.seq);
    expect(pick({})).toEqual([1, 2, 3, 4, 5, 6]);
    expect(pick({ decisions: ["DEFER", "DENY"] })).toEqual([2, 5]);
    expect(pick({ tools: ["send_*"] })).toEqual([2, 4, 6]);
    expect(pick({ tools: ["read_file"], decisions: ["DEFER"] })).toEqual([5]);
    expect(pick({ identities: { human: ["alice1@corp.example"] } })).toEqual([2, 4, 6]);
    expect(pick({ identities: { role: ["viewer"], human: ["alice1@corp.example"] } })).toEqual([
      1, 2, 3, 4, 5, 6,
    ]);
    expect(pick({ kinds: ["approval"] })).toEqual([]);
    expect(() => compileFilter({ decisions: ["MAYBE" as never] })).toThrow(
      /filter.decisions: unknown decision "MAYBE"/,
    );
    expect(() => compileFilter({ tools: [""] })).toThrow(/filter.tools/);
  });

  it("parameters leave only when asked; named fields are redacted; the receipt is untouched", async () => {
    const [rec] = await records([sampleDraft(1)]);
    expect(redactRecord(rec!).receipt.action.parameters).toBeUndefined();
    expect(redactRecord(rec!).receipt.action.parametersHash).toBe(rec!.receipt.action.parametersHash);
    const r = redactRecord(rec!, {
      parameters: "include",
      redact: ["action.parameters.recipient", "identity.human", "nope.x"],
    });
    expect(r.receipt.action.parameters).toEqual({ recipient: REDACTED, amount: 10, note: "rent ✓" });
    expect(r.receipt.identity.human).toBe(REDACTED);
    expect(rec!.receipt.identity.human).toBe("alice1@corp.example");
    const [m] = await records([
      sampleDraft(2, {
        details: { modifiedParameters: { note: REDACTED, amount: 20 }, wrapper: { tool: "w" } },
      }),
    ]);
    expect(redactRecord(m!).receipt.details).toEqual({ wrapper: { tool: "w" } });
    expect(redactRecord(m!, { parameters: "include" }).receipt.details).toHaveProperty(
      "modifiedParameters.amount",
      20,
    );
    const a = await records([approved(sampleDraft(3), "bob", T)]);
    expect(
      redactRecord(a[0]!, { redact: ["approval.approvals.comment"] }).receipt.approval?.approvals[0]?.comment,
    ).toBe(REDACTED);
  });
});
