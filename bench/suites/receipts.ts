/**
 * Receipts: a decision plus its signed, hash-chained receipt (Ed25519), one at a time and pipelined; then
 * `aarm verify` over a receipt file of the same receipts.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { aarmProgram, guarded } from "../../cli/main.js";
import { memoryIo } from "../../cli/io.js";
import { writeNewKeyPair } from "../../host/keys.js";
import { openReceiptFile } from "../../host/receipt-file.js";
import { createSigner, hasWebCryptoEd25519 } from "../../runtime/crypto/ed25519.js";
import { callbackSink, createReceiptWriter, type ReceiptSink } from "../../runtime/receipts/index.js";
import { cycling, type Latency, measureSideBySide, type Timing } from "../measure.js";
import { compileBench, loadBoth } from "../workload/load.js";
import { generatePolicy } from "../workload/policy.js";
import { decisionDraft } from "../workload/receipt.js";
import { buildSession, makeRequests } from "../workload/session.js";

export interface ReceiptsConfig {
  readonly rules: number;
  readonly pipelined: number;
  readonly verifyReceipts: number;
  readonly timing: Timing;
  readonly rounds: number;
}

export interface ReceiptsResult {
  readonly rules: number;
  /** session.decide + draft + sign + chain, awaited one at a time. */
  readonly decideAndSign: Latency;
  /** Receipts per second with `pipelined` decisions in flight (signing is sequential; storing is pipelined). */
  readonly pipelinedPerS: number;
  readonly signer: string;
  /** `aarm verify` of a file of `verifyReceipts` receipts. */
  readonly verify: { readonly receipts: number; readonly seconds: number; readonly receiptsPerS: number };
}

export async function receiptsSuite(
  config: ReceiptsConfig,
  log: (s: string) => void,
): Promise<ReceiptsResult> {
  const dir = mkdtempSync(join(tmpdir(), "aarm-bench-"));
  try {
    const { keys } = writeNewKeyPair(join(dir, "keys"), "bench");
    const signer = await createSigner(keys);
    const policy = (await loadBoth(compileBench(generatePolicy(config.rules).aarm))).compiled;
    const { session, now } = buildSession(policy, 100);
    const requests = makeRequests(1000, 100);
    let n = 0;
    const decideAndWrite = (sink: ReceiptSink) => {
      const writer = createReceiptWriter({ signer, sink });
      return (r: (typeof requests)[number]) => {
        const d = session.decide({ id: `r${++n}`, tool: r.tool, args: r.args, time: now });
        return writer.write(decisionDraft(session, d));
      };
    };
    const discard = callbackSink(() => undefined);
    const one = decideAndWrite(discard);
    const lat = await measureSideBySide(
      { decideAndSign: cycling(requests, one) },
      config.timing,
      config.rounds,
    );

    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: config.pipelined }, (_, i) => one(requests[i % requests.length]!)),
    );
    const pipelinedPerS = Math.round(config.pipelined / ((performance.now() - t0) / 1000));

    const file = join(dir, "receipts.jsonl");
    const sink = await openReceiptFile(file, { fsync: "off" });
    const toFile = decideAndWrite(sink);
    await Promise.all(
      Array.from({ length: config.verifyReceipts }, (_, i) => toFile(requests[i % requests.length]!)),
    );
    await sink.close();
    const io = memoryIo(dir);
    const v0 = performance.now();
    const code = await guarded(aarmProgram(), ["verify", file, "--keys", join(dir, "keys")], io);
    const seconds = (performance.now() - v0) / 1000;
    if (code !== 0) throw new Error(`aarm verify failed (${code}): ${io.stdout()}${io.stderr()}`);
    const result: ReceiptsResult = {
      rules: config.rules,
      decideAndSign: lat["decideAndSign"]!,
      pipelinedPerS,
      signer: (await hasWebCryptoEd25519()) ? "WebCrypto Ed25519" : "@noble/ed25519",
      verify: {
        receipts: config.verifyReceipts,
        seconds: Number(seconds.toFixed(3)),
        receiptsPerS: Math.round(config.verifyReceipts / seconds),
      },
    };
    log(
      `receipts: decide+sign p50 ${result.decideAndSign.p50Us} µs p99 ${result.decideAndSign.p99Us} µs, ` +
        `${result.decideAndSign.opsPerS}/s one at a time, ${pipelinedPerS}/s pipelined; verify ${result.verify.receiptsPerS}/s`,
    );
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
