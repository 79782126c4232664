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
import { installNodeCrypto } from "../../host/node-crypto.js";
import { openReceiptFile } from "../../host/receipt-file.js";
import { nodeSigner } from "../../host/node-signer.js";
import { createSigner, type Signer } from "../../runtime/crypto/ed25519.js";
import { callbackSink, createReceiptWriter, type ReceiptSink } from "../../runtime/receipts/index.js";
import { cycling, type Latency, measureSideBySide, median, type Timing } from "../measure.js";
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
  /**
   * A busy loop as long as decideAndSign's median, measured in the same rounds: the tail the machine itself adds
   * (preemption by other processes) to an operation of that length, whatever it computes.
   */
  readonly machine: Latency;
  /** Receipts per second with `pipelined` decisions in flight (signing is sequential; storing is pipelined);
   * medians over `rounds` runs. */
  readonly pipelinedPerS: number;
  /** Receipts per second of CPU time (user + system, every thread of the process): what one core sustains. */
  readonly pipelinedPerCpuS: number;
  /** The same with the portable WebCrypto signer (each signature a round trip to libuv's thread pool). */
  readonly pipelinedWebCryptoPerS: number;
  readonly pipelinedWebCryptoPerCpuS: number;
  readonly signer: string;
  /** `aarm verify` of a file of `verifyReceipts` receipts. */
  readonly verify: { readonly receipts: number; readonly seconds: number; readonly receiptsPerS: number };
}

/** Busy-wait for `us` microseconds. */
function spin(us: number): number {
  const end = performance.now() + us / 1000;
  let turns = 0;
  while (performance.now() < end) turns++;
  return turns;
}

/** The median duration of an operation over a few hundred calls, µs (it also warms the operation up). */
async function typicalUs(op: () => unknown): Promise<number> {
  const us: number[] = [];
  for (let i = 0; i < 400; i++) {
    const t0 = performance.now();
    await op();
    us.push((performance.now() - t0) * 1000);
  }
  return median(us);
}

export async function receiptsSuite(
  config: ReceiptsConfig,
  log: (s: string) => void,
): Promise<ReceiptsResult> {
  installNodeCrypto(); // as the aarm command does: SHA-256 on node:crypto
  const dir = mkdtempSync(join(tmpdir(), "aarm-bench-"));
  try {
    const { keys } = writeNewKeyPair(join(dir, "keys"), "bench");
    const signer = nodeSigner(keys);
    const webSigner = await createSigner(keys, { backend: "webcrypto" });
    const policy = (await loadBoth(compileBench(generatePolicy(config.rules).aarm))).compiled;
    const { session, now } = buildSession(policy, 100);
    const requests = makeRequests(1000, 100);
    let n = 0;
    const decideAndWrite = (sink: ReceiptSink, by: Signer = signer) => {
      const writer = createReceiptWriter({ signer: by, sink });
      return (r: (typeof requests)[number]) => {
        const d = session.decide({ id: `r${++n}`, tool: r.tool, args: r.args, time: now });
        return writer.write(decisionDraft(session, d));
      };
    };
    const discard = callbackSink(() => undefined);
    const one = decideAndWrite(discard);
    const spinUs = await typicalUs(() => one(requests[n % requests.length]!));
    const lat = await measureSideBySide(
      { decideAndSign: cycling(requests, one), machine: async () => spin(spinUs) },
      config.timing,
      config.rounds,
    );

    /** Receipts per wall-clock second, and per second of this process's CPU time (all threads). */
    const pipelined = async (write: ReturnType<typeof decideAndWrite>) => {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: config.pipelined }, (_, i) => write(requests[i % requests.length]!)),
      );
      const seconds = (performance.now() - t0) / 1000;
      const c = process.cpuUsage(c0);
      return {
        perS: Math.round(config.pipelined / seconds),
        perCpuS: Math.round(config.pipelined / ((c.user + c.system) / 1e6)),
      };
    };
    /** The median of `rounds` runs, the two signers in turn (one run of 5,000 is a single, noisy sample). */
    const webWrite = decideAndWrite(
      callbackSink(() => undefined),
      webSigner,
    );
    const runs: { node: { perS: number; perCpuS: number }; web: { perS: number; perCpuS: number } }[] = [];
    for (let r = 0; r < config.rounds; r++)
      runs.push({ node: await pipelined(one), web: await pipelined(webWrite) });
    const med = (f: (x: (typeof runs)[number]) => number) => Math.round(median(runs.map(f)));
    const node = { perS: med((x) => x.node.perS), perCpuS: med((x) => x.node.perCpuS) };
    const web = { perS: med((x) => x.web.perS), perCpuS: med((x) => x.web.perCpuS) };

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
      machine: lat["machine"]!,
      pipelinedPerS: node.perS,
      pipelinedPerCpuS: node.perCpuS,
      pipelinedWebCryptoPerS: web.perS,
      pipelinedWebCryptoPerCpuS: web.perCpuS,
      signer: "Ed25519 on node:crypto (host/node-signer.ts)",
      verify: {
        receipts: config.verifyReceipts,
        seconds: Number(seconds.toFixed(3)),
        receiptsPerS: Math.round(config.verifyReceipts / seconds),
      },
    };
    log(
      `receipts: decide+sign p50 ${result.decideAndSign.p50Us} µs p99 ${result.decideAndSign.p99Us} µs ` +
        `(a ${spinUs.toFixed(0)} µs busy loop: p99 ${result.machine.p99Us} µs), ` +
        `${result.decideAndSign.opsPerS}/s one at a time, ${node.perS}/s pipelined (${node.perCpuS} per CPU second; WebCrypto ${web.perS}/s, ${web.perCpuS} per CPU second); verify ${result.verify.receiptsPerS}/s`,
    );
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
