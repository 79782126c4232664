/**
 * `aarm export` in-process, on a real signed receipt file, to standard output and to a real OTLP receiver on
 * 127.0.0.1.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openReceiptFile } from "../host/receipt-file.js";
import { keyFileSigner } from "../host/signing-key.js";
import { startOtlpReceiver } from "../host/test-support/otlp-receiver.js";
import { createReceiptWriter } from "../runtime/receipts/index.js";
import { sampleDraft } from "../runtime/receipts/test-support/drafts.js";
import { memoryIo } from "./io.js";
import { aarmProgram, guarded } from "./main.js";

let dir = "";
async function aarm(...args: string[]) {
  const io = memoryIo(dir);
  const status = await guarded(aarmProgram(), args, io);
  return { status, stdout: io.stdout(), stderr: io.stderr() };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "aarm-cli-export-"));
  await aarm("keygen", "--out", "keys", "--name", "k");
  const sink = await openReceiptFile(join(dir, "r.jsonl"));
  const w = createReceiptWriter({ signer: await keyFileSigner(join(dir, "keys/k.key.json")), sink });
  for (let i = 0; i < 10; i++) await w.write(sampleDraft(i));
  await sink.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("aarm export", () => {
  it("OCSF to standard output, verified, with filters; parameters left out", async () => {
    const r = await aarm(
      "export",
      "r.jsonl",
      "--format",
      "ocsf",
      "--keys",
      "keys",
      "--decision",
      "DEFER",
      "--decision",
      "DENY",
    );
    expect(r.status).toBe(0);
    const events = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(events.map((e) => (e["finding"] as { types: string[] }).types[1])).toEqual([
      "DENY",
      "DEFER",
      "DENY",
      "DEFER",
    ]);
    expect(events.every((e) => e["class_uid"] === 2001 && e["metadata"] !== undefined)).toBe(true);
    expect(r.stdout).not.toContain('"parameters"');
    expect(r.stderr).toBe(
      "aarm export: 4 of 10 receipts exported as ocsf (6 filtered out, 0 failed, 1 batch)\n",
    );
  });

  it("CEF lines, with --include-parameters and --redact", async () => {
    const r = await aarm(
      "export",
      "r.jsonl",
      "-f",
      "cef",
      "--tool",
      "send_*",
      "--human",
      "alice1@corp.example",
      "--redact",
      "identity.human",
    );
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines).toHaveLength(5);
    expect(
      lines.every((l) => l.startsWith("CEF:0|AARM|RuntimeSecurity|") && l.includes("suser=[REDACTED]")),
    ).toBe(true);
    expect(r.stderr).toContain("the receipts are not verified (give --keys DIR to verify them first)");
  });

  it("OTLP to a real collector on loopback, in batches", async () => {
    const receiver = await startOtlpReceiver();
    try {
      const r = await aarm(
        "export",
        "r.jsonl",
        "--format",
        "otlp",
        "--to",
        receiver.url,
        "--keys",
        "keys",
        "--batch",
        "4",
        "--header",
        "Authorization: Bearer t0k3n",
      );
      expect(r.stderr).toBe(
        `aarm export: 10 of 10 receipts exported as otlp to ${receiver.url} (0 filtered out, 0 failed, 3 batches)\n`,
      );
      expect(r.status).toBe(0);
      expect(receiver.rejected).toEqual([]);
      expect(receiver.logs.map((l) => l.resourceLogs![0]!.scopeLogs![0]!.logRecords!.length)).toEqual([
        4, 4, 2,
      ]);
      expect(receiver.metrics).toHaveLength(3);
      expect(receiver.headers.map((h) => h["authorization"])).toEqual(Array(6).fill("Bearer t0k3n"));
    } finally {
      await receiver.close();
    }
  });

  it("an unreachable collector is reported and exits 1", async () => {
    const receiver = await startOtlpReceiver();
    const url = receiver.url;
    await receiver.close(); // nothing listens there now
    const r = await aarm("export", "r.jsonl", "--format", "otlp", "--to", url, "--kind", "decision");
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /events not delivered after 4 attempts: POST http:\/\/127\.0\.0\.1:\d+\/v1\/logs/,
    );
    expect(r.stderr).toContain("0 of 10 receipts exported as otlp");
  }, 20_000);

  it("a tampered file is not exported", async () => {
    const text = readFileSync(join(dir, "r.jsonl"), "utf8").replace(
      "alice0@corp.example",
      "mallory@corp.example",
    );
    writeFileSync(join(dir, "bad.jsonl"), text);
    const r = await aarm("export", "bad.jsonl", "--format", "cef", "--keys", "keys");
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^aarm export: bad\.jsonl: line 1: signature: .*; nothing exported\n$/);
    writeFileSync(join(dir, "junk.jsonl"), '{"v":1}\n');
    const j = await aarm("export", "junk.jsonl", "--format", "cef");
    expect(j.status).toBe(1);
    expect(j.stderr).toContain("aarm export: junk.jsonl: line 1: ");
  });

  it.each([
    [["r.jsonl"], "--format ocsf|cef|otlp is required"],
    [["r.jsonl", "--format", "xml"], "'xml'"],
    [["r.jsonl", "--format", "cef", "--to", "http://127.0.0.1:1"], "--to is for ocsf and otlp"],
    [["r.jsonl", "--format", "otlp", "--to", "ftp://x"], "--to: expected an http:// or https:// URL"],
    [["r.jsonl", "--format", "ocsf", "--decision", "MAYBE"], '--decision: unknown decision "MAYBE"'],
    [["r.jsonl", "--format", "ocsf", "--batch", "0"], "--batch: expected a positive integer"],
    [["r.jsonl", "--format", "ocsf", "--redact", "a..b"], "--redact: 'a..b' is not a dotted path"],
    [
      ["r.jsonl", "--format", "ocsf", "--header", "nocolon"],
      "--header: expected 'Name: value', got 'nocolon'",
    ],
    [["r.jsonl", "--format", "ocsf", "--header", "A: b"], "--header needs --to"],
    [["missing.jsonl", "--format", "ocsf"], "missing.jsonl: cannot read the receipt file (ENOENT)"],
  ])("usage errors exit 2: %j", async (args, message) => {
    const r = await aarm("export", ...args);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});
