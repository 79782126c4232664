/**
 * AARM R8 (telemetry export): "Real-time streaming within seconds of occurrence; standard schemas (OCSF, CEF, or
 * documented custom); configurable filtering by action type, decision (including DEFER), identity; batch export
 * for historical analysis." Verification: "Configure export to SIEM, verify events appear with correct schema
 * including deferral events." Decisions come from examples/aarm-reference; their signed receipts are observed as
 * they are stored and exported — OTLP to a real HTTP receiver on 127.0.0.1 that validates the protobuf JSON
 * mapping, OCSF 1.1 and CEF to collecting destinations.
 */
import { describe, expect, it } from "vitest";
import { compileFile } from "../../index.js";
import {
  createEnforcer,
  createIdentityVerifier,
  createReceiptWriter,
  createSigner,
  createTelemetryExporter,
  generateKeyPair,
  issueAssertion,
  loadPolicy,
  memorySink,
  otlpHttp,
  teeSink,
  type OcsfEvent,
  type ReceiptDraft,
  type TelemetryFilter,
} from "../../runtime/index.js";
/* eslint-disable no-restricted-imports -- test fixtures (an OTLP receiver, receipt drafts), not part of the package */
import { startOtlpReceiver } from "../../host/test-support/otlp-receiver.js";
import { decisionDraft, deferralTimeout } from "../../runtime/telemetry/test-support/receipts.js";
/* eslint-enable no-restricted-imports */
import { example, T0 } from "../scenarios/harness.js";

type LogRecord = { attributes?: { key: string; value: { stringValue?: string } }[]; severityNumber?: number };
const attr = (r: LogRecord, key: string) => r.attributes?.find((a) => a.key === key)?.value.stringValue;

/** A session on the reference policy that produces every decision, and a DEFER that times out. */
async function runSession(write: (d: ReceiptDraft) => Promise<unknown>) {
  const compiled = compileFile(example("aarm-reference"));
  if (!compiled.ir) throw new Error("examples/aarm-reference does not compile");
  const clock = { now: T0 };
  const policy = loadPolicy(compiled.ir, { clock: () => clock.now });
  const alice = policy.openSession({
    identity: { human: "alice@corp.example", agent: "support-bot", role: "analyst" },
    request: "clean up the test data I created yesterday",
  });
  const bob = policy.openSession({
    identity: { human: "bob@corp.example", agent: "ops-bot", role: "operator" },
  });
  const actions: [typeof alice, string, Record<string, unknown>][] = [
    [alice, "database.query", { sql: "SELECT count(*) FROM signups", limit: 10 }], // ALLOW
    [alice, "database.query", { sql: "SELECT id FROM orders", limit: 5000 }], // MODIFY
    [alice, "database.drop_table", { table: "users" }], // DENY
    [alice, "database.delete", { table: "test_records", where: "owner = 'alice'" }], // STEP_UP
    [bob, "credentials.rotate", { target: "db-prod" }], // DEFER
  ];
  let deferDraft: ReceiptDraft | undefined;
  for (const [session, tool, args] of actions) {
    clock.now += 1000;
    const d = session.decide({ tool, args });
    const draft = decisionDraft(d, session);
    if (d.effect === "DEFER") deferDraft = draft;
    await write(draft);
  }
  await write(deferralTimeout(deferDraft!, clock.now + 300_000));
}

async function until(condition: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("R8 telemetry export", () => {
  it("[T20] [C39] [R8.1] configure SIEM export → events appear with correct schema, DEFER events included", async () => {
    const receiver = await startOtlpReceiver();
    try {
      const ocsf: OcsfEvent[] = [];
      const cef: string[] = [];
      // Default batching (1 s interval): nothing is flushed by hand before the events are checked.
      const otlp = createTelemetryExporter({
        destination: { format: "otlp", send: otlpHttp({ url: receiver.url }) },
      });
      const siem = createTelemetryExporter({
        destination: { format: "ocsf", send: (b) => void ocsf.push(...b) },
      });
      const arcsight = createTelemetryExporter({
        destination: { format: "cef", send: (b) => void cef.push(...b) },
      });
      const keys = generateKeyPair();
      const writer = createReceiptWriter({
        signer: await createSigner(keys),
        sink: teeSink(memorySink(), otlp, siem, arcsight),
      });
      await runSession((d) => writer.write(d));

      const records = () =>
        receiver.logs.flatMap((l) =>
          l.resourceLogs!.flatMap((r) => r.scopeLogs!.flatMap((s) => s.logRecords!)),
        );
      await until(() => records().length === 6 && ocsf.length === 6 && cef.length === 6, 5_000); // "within seconds"
      expect(receiver.rejected).toEqual([]); // every request passed the strict protobuf-JSON check
      expect(
        records().map((r) => [attr(r as LogRecord, "event.name"), attr(r as LogRecord, "aarm.decision")]),
      ).toEqual([
        ["aarm.decision", "ALLOW"],
        ["aarm.decision", "MODIFY"],
        ["aarm.decision", "DENY"],
        ["aarm.decision", "STEP_UP"],
        ["aarm.decision", "DEFER"],
        ["aarm.deferral", "DENY"],
      ]);
      const deferLog = records()[4] as LogRecord;
      expect(attr(deferLog, "aarm.deferral.trigger")).toBe("unknown_context");
      expect(attr(deferLog, "aarm.identity.human")).toBe("bob@corp.example");

      expect(
        ocsf.map((e) => [e.class_uid, e.category_uid, e.type_uid, e.severity_id, e["status_id"]]),
      ).toEqual([
        [2001, 2, 200101, 1, 1],
        [2001, 2, 200101, 2, 1],
        [2001, 2, 200101, 4, 2],
        [2001, 2, 200101, 3, 99],
        [2001, 2, 200101, 3, 99], // the DEFER: an open finding
        [2001, 2, 200103, 4, 2], // its timeout closes it
      ]);
      expect(ocsf[4]).toMatchObject({ state_id: 1, finding: { types: ["aarm.decision", "DEFER"] } });
      expect((ocsf[5]!["finding"] as { uid: string }).uid).toBe((ocsf[4]!["finding"] as { uid: string }).uid);
      expect(cef[4]).toMatch(
        /^CEF:0\|AARM\|RuntimeSecurity\|0\|decision:DEFER\|DEFER credentials.rotate: [^|]*\|5\|/,
      );
      expect(cef[5]).toContain("flexString1=unknown_context resolved by timeout");

      await otlp.close();
      const last = receiver.metrics.at(-1)!.resourceMetrics![0]!.scopeMetrics![0]!.metrics!;
      const deferred = last.find((m) => m.name === "aarm.actions.deferred") as {
        sum: { dataPoints: { asInt: string }[] };
      };
      expect(deferred.sum.dataPoints[0]!.asInt).toBe("1");
    } finally {
      await receiver.close();
    }
  });

  it("[C39] [R8.2] filters by action type, decision (DEFER) and identity", async () => {
    const got = { defer: [] as OcsfEvent[], tool: [] as OcsfEvent[], bob: [] as OcsfEvent[] };
    const make = (key: keyof typeof got, filter: TelemetryFilter) =>
      createTelemetryExporter({
        destination: { format: "ocsf", send: (b) => void got[key].push(...b) },
        filter,
      });
    const exporters = [
      make("defer", { decisions: ["DEFER"] }),
      make("tool", { tools: ["database.*"], decisions: ["DENY", "STEP_UP"] }),
      make("bob", { identities: { human: ["bob@corp.example"] } }),
    ];
    const writer = createReceiptWriter({
      signer: await createSigner(generateKeyPair()),
      sink: teeSink(memorySink(), ...exporters),
    });
    await runSession((d) => writer.write(d));
    for (const e of exporters) await e.close();
    const tools = (l: OcsfEvent[]) => l.map((e) => `${(e["finding"] as { title: string }).title}`);
    expect(tools(got.defer)).toEqual(["DEFER credentials.rotate"]);
    expect(tools(got.tool)).toEqual(["DENY database.drop_table", "STEP_UP database.delete"]);
    expect(tools(got.bob)).toEqual(["DEFER credentials.rotate", "DENY credentials.rotate"]);
    expect(exporters[0]!.stats()).toMatchObject({ observed: 6, filtered: 5, exported: 1 });
  });

  it("[C39] [R8.3] batch export for historical analysis: a whole receipt chain, in batches, in order", async () => {
    const sink = memorySink();
    const writer = createReceiptWriter({ signer: await createSigner(generateKeyPair()), sink });
    for (let round = 0; round < 4; round++) await runSession((d) => writer.write(d));
    const batches: number[] = [];
    const seqs: number[] = [];
    const ex = createTelemetryExporter({
      destination: {
        format: "ocsf",
        send: (b) =>
          void (
            batches.push(b.length),
            seqs.push(...b.map((e) => (e["metadata"] as { sequence: number }).sequence))
          ),
      },
      maxBatch: 10,
    });
    for (const e of sink.entries) ex.observe(e);
    await ex.close();
    expect(batches).toEqual([10, 10, 4]);
    expect(seqs).toEqual(sink.entries.map((e) => e.receipt.seq));
  });

  it("[T20] [C39] R8 through the enforcement layer: every decision and every resolution reaches the collector", async () => {
    const receiver = await startOtlpReceiver();
    try {
      const compiled = compileFile(example("aarm-reference"));
      if (!compiled.ir) throw new Error("examples/aarm-reference does not compile");
      const policy = loadPolicy(compiled.ir);
      const idp = await createSigner(generateKeyPair());
      const otlp = createTelemetryExporter({
        destination: { format: "otlp", send: otlpHttp({ url: receiver.url }) },
      });
      const receipts = createReceiptWriter({
        signer: await createSigner(generateKeyPair()),
        sink: teeSink(memorySink(), otlp),
      });
      const identity = createIdentityVerifier({ issuers: { "corp-idp": [idp] } });
      const enforcer = createEnforcer({ policy, receipts, identity }); // no approval or deferral service
      const assertion = await issueAssertion(idp, {
        iss: "corp-idp",
        sub: "alice@corp.example",
        kind: "human",
      });
      const session = await enforcer.openSession({ assertions: [assertion], request: "delete my test data" });
      const tool = () => "ok";
      await session.perform({ tool: "database.query", args: { sql: "SELECT 1", limit: 5 } }, tool);
      await session.perform({ tool: "database.query", args: { sql: "SELECT 1", limit: 5000 } }, tool);
      await session.perform({ tool: "database.drop_table", args: { table: "users" } }, tool);
      await session.perform(
        { tool: "database.delete", args: { table: "test_rows", where: "owner = 'alice'" } },
        tool,
      );
      await session.perform({ tool: "credentials.rotate", args: { target: "db-prod" } }, tool);
      await otlp.close();
      expect(receiver.rejected).toEqual([]);
      const records = receiver.logs.flatMap((l) =>
        l.resourceLogs!.flatMap((r) => r.scopeLogs!.flatMap((x) => x.logRecords!)),
      );
      expect(
        records.map((r) => `${attr(r as LogRecord, "event.name")}:${attr(r as LogRecord, "aarm.decision")}`),
      ).toEqual([
        "aarm.decision:ALLOW",
        "aarm.outcome:ALLOW",
        "aarm.decision:MODIFY",
        "aarm.outcome:MODIFY",
        "aarm.decision:DENY",
        "aarm.decision:STEP_UP",
        "aarm.approval:DENY", // no approval service: the STEP_UP's resolution
        "aarm.decision:DEFER",
        "aarm.deferral:DENY", // no deferral service: the DEFER's resolution
      ]);
      expect(records.every((r) => attr(r as LogRecord, "aarm.identity.status") === "verified")).toBe(true);
    } finally {
      await receiver.close();
    }
  });
});
