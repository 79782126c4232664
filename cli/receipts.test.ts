/**
 * `aarm keygen`, `aarm verify` and `aarm identity issue` in-process, on real key files and receipt files.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openReceiptFile } from "../host/receipt-file.js";
import { keyFileSigner } from "../host/signing-key.js";
import { readPublicKey } from "../host/keys.js";
import { createIdentityVerifier } from "../runtime/identity/index.js";
import { createReceiptWriter } from "../runtime/receipts/index.js";
import { sampleDraft } from "../runtime/receipts/test-support/drafts.js";
import { memoryIo } from "./io.js";
import { aarmProgram, guarded } from "./main.js";

let dir = "";
beforeAll(() => void (dir = mkdtempSync(join(tmpdir(), "aarm-cli-receipts-"))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function aarm(...args: string[]) {
  const io = memoryIo(dir);
  const status = await guarded(aarmProgram(), args, io);
  return { status, stdout: io.stdout(), stderr: io.stderr() };
}

async function writeReceipts(file: string, keyFile: string, from: number, count: number) {
  const sink = await openReceiptFile(join(dir, file));
  const w = createReceiptWriter({ signer: await keyFileSigner(join(dir, keyFile)), sink });
  for (let i = from; i < from + count; i++) await w.write(sampleDraft(i));
  await sink.close();
  return w.head();
}

describe("aarm keygen", () => {
  it("writes a key pair and refuses to overwrite it", async () => {
    const r = await aarm("keygen", "--out", "keys", "--name", "k1");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^key ed25519:[0-9a-f]{16}\n {2}secret: keys\/k1\.key\.json \(mode 0600/);
    const again = await aarm("keygen", "--out", "keys", "--name", "k1");
    expect(again).toMatchObject({ status: 2, stdout: "" });
    expect(again.stderr).toBe(
      "aarm keygen: keys/k1.key.json already exists; choose another --name (keep old public keys for verify)\n",
    );
  });

  it("needs --out", async () => {
    const r = await aarm("keygen");
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^aarm keygen: --out DIR is required\n/);
  });
});

describe("aarm verify", () => {
  let head = { seq: 0, hash: "" };
  beforeAll(async () => {
    await aarm("keygen", "--out", "vkeys", "--name", "old");
    await aarm("keygen", "--out", "vkeys", "--name", "new");
    await writeReceipts("r.jsonl", "vkeys/old.key.json", 0, 3);
    head = await writeReceipts("r.jsonl", "vkeys/new.key.json", 3, 4); // rotated key, same chain
  });

  it("R5: Verify receipt signature offline → signature validates (exit 0, rotated keys) [T14]", async () => {
    const r = await aarm("verify", "r.jsonl", "--keys", "vkeys");
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      `r.jsonl: 7 receipts verified (chain intact, signed by 2 keys; head 7:${head.hash})\n`,
    );
    expect(
      (await aarm("verify", "r.jsonl", "--keys", "vkeys", "--expect-head", `7:${head.hash}`)).status,
    ).toBe(0);
  });

  it("--format json prints {receipts, valid, firstError}", async () => {
    const r = await aarm("verify", "r.jsonl", "--keys", "vkeys", "--format", "json");
    expect(JSON.parse(r.stdout)).toEqual({ receipts: 7, valid: true, firstError: null });
  });

  it("--timeline prints each session's story", async () => {
    const r = await aarm("verify", "r.jsonl", "--keys", "vkeys", "--timeline");
    expect(r.stdout).toContain(
      "session sess-0 — human alice0@corp.example, agent banking-agent, role viewer",
    );
    expect(r.stdout).toMatch(
      / {2}2025-10-09T08:53:20\.000Z {2}#1 {2}decision {3}read_file \(tools\/call\) {2}ALLOW \[rule-0\]: allow because rule-0 matched/,
    );
    expect(r.stdout).toContain("deferred (unknown_context): waiting for context.approved_payees");
  });

  it("exit 1 names the first bad receipt after an edit", async () => {
    const text = readFileSync(join(dir, "r.jsonl"), "utf8");
    writeFileSync(join(dir, "bad.jsonl"), text.replace('"result":"MODIFY"', '"result":"ALLOW"'));
    const r = await aarm("verify", "bad.jsonl", "--keys", "vkeys");
    expect(r.status).toBe(1);
    expect(r.stdout).toBe(
      "bad.jsonl:3 (receipt 3): signature: the signature does not verify\n" +
        "bad.jsonl: INVALID — 2 receipts before line 3 verified\n",
    );
    const json = await aarm("verify", "bad.jsonl", "--keys", "vkeys", "--format", "json");
    expect(JSON.parse(json.stdout)).toEqual({
      receipts: 2,
      valid: false,
      firstError: { line: 3, seq: 3, problem: "signature", message: "the signature does not verify" },
    });
    const cut = await aarm("verify", "r.jsonl", "--keys", "vkeys", "--expect-head", `8:${head.hash}`);
    expect(cut.status).toBe(1);
    expect(cut.stdout).toContain("anchor: the file ends at seq 7 but the expected head is seq 8");
  });

  it.each([
    [
      ["verify", "missing.jsonl", "--keys", "vkeys"],
      "aarm verify: missing.jsonl: cannot read the receipt file (ENOENT)\n",
    ],
    [
      ["verify", "r.jsonl", "--keys", "nokeys"],
      /^aarm verify: .*nokeys: cannot read the key folder \(ENOENT\)\n$/,
    ],
    [["verify", "r.jsonl", "--keys", "."], "aarm verify: .: no public keys (*.pub.json) in the folder\n"],
  ])("exit 2 with one line on bad input: %j", async (args, message) => {
    const r = await aarm(...args);
    expect(r.status).toBe(2);
    if (typeof message === "string") expect(r.stderr).toBe(message);
    else expect(r.stderr).toMatch(message);
  });

  it.each([
    [["verify", "--keys", "vkeys"], "aarm verify: no receipt file given"],
    [["verify", "r.jsonl"], "aarm verify: --keys DIR is required"],
    [
      ["verify", "r.jsonl", "--keys", "vkeys", "--expect-head", "x"],
      "aarm verify: invalid --expect-head 'x'",
    ],
  ])("usage errors exit 2: %j", async (args, message) => {
    const r = await aarm(...args);
    expect(r.status).toBe(2);
    expect(r.stderr.startsWith(message)).toBe(true);
  });
});

describe("aarm identity issue", () => {
  it("prints an assertion the identity verifier accepts, with repeated --scope and --group", async () => {
    await aarm("keygen", "--out", "idp", "--name", "corp");
    const r = await aarm(
      "identity",
      "issue",
      "--key",
      "idp/corp.key.json",
      "--iss",
      "corp-idp",
      "--sub",
      "alice@corp.example",
      "--kind",
      "human",
      "--role",
      "teller",
      "--scope",
      "bank:read",
      "--scope",
      "bank:write",
      "--group",
      "approvers",
      "--ttl",
      "15m",
    );
    expect(r.status).toBe(0);
    const token = r.stdout.trim();
    const verifier = createIdentityVerifier({
      issuers: { "corp-idp": [readPublicKey(join(dir, "idp/corp.pub.json"))] },
    });
    const v = await verifier.verify([token], Date.now());
    expect(v).toMatchObject({
      ok: true,
      identity: { human: "alice@corp.example", role: "teller", scopes: ["bank:read", "bank:write"] },
    });
    const late = await verifier.verify([token], Date.now() + 16 * 60_000);
    expect(late).toMatchObject({ ok: false, code: "expired" });
  });

  it.each([
    [
      ["identity", "issue", "--iss", "x", "--sub", "y", "--kind", "human"],
      "aarm identity: --key is required",
    ],
    [
      ["identity", "issue", "--key", "k", "--iss", "x", "--sub", "y", "--kind", "robot"],
      "aarm identity: invalid value 'robot' for --kind",
    ],
    [
      ["identity", "issue", "--key", "k", "--iss", "x", "--sub", "y", "--kind", "human", "--ttl", "1y"],
      "aarm identity: invalid --ttl '1y'",
    ],
    [["identity", "mint"], "aarm identity: unknown action 'mint'"],
    [
      ["identity", "issue", "--key", "none.key.json", "--iss", "x", "--sub", "y", "--kind", "agent"],
      /^aarm identity: .*none\.key\.json: cannot read the key file \(ENOENT\)\n$/,
    ],
  ])("exit 2: %j", async (args, message) => {
    const r = await aarm(...args);
    expect(r.status).toBe(2);
    if (typeof message === "string") expect(r.stderr.startsWith(message)).toBe(true);
    else expect(r.stderr).toMatch(message);
  });
});
