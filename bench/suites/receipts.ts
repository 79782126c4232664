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
   * A fixed amount of arithmetic as long as decideAndSign's median, measured in the same rounds: the tail the
   * machine itself adds (stalls of the virtual CPU, other processes) to an operation of that length.
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

/** Where work() leaves its result, so that the loop is not optimised away. */
let sink = 0;

/**
 * A fixed amount of arithmetic: `turns` rounds of xorshift. Not a wait until a deadline: a busy loop that spins
 * until a time comes absorbs a stall of the machine that falls inside it (it then just spins less), so its tail
 * is not the tail an operation of that length meets. On a virtual machine that stalls a running thread for about
 * 60 µs some 700 times a second, the difference is most of the p99 (docs/performance.md, "Receipts").
 */
function work(turns: number): number {
  let x = sink | 1;
  for (let i = 0; i < turns; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
  }
  sink = x;
  return x;
}

/** The median duration of calls to an operation, µs. */
async function medianUs(op: () => unknown, calls: number): Promise<number> {
  const us: number[] = [];
  for (let i = 0; i < calls; i++) {
    const t0 = performance.now();
    await op();
    us.push((performance.now() - t0) * 1000);
  }
  return median(us);
}

/**
 * How many turns of work() take as long as the median call of `op`, once `op` is warmed up: its first few thousand
 * calls run unoptimised code and take about twice as long as later ones.
 */
async function matchingWork(op: () => unknown): Promise<{ turns: number; us: number }> {
  for (let i = 0; i < 3000; i++) await op();
  const us = await medianUs(op, 1000);
  const probe = 100_000;
  const probeUs = await medianUs(() => work(probe), 50);
  return { turns: Math.max(1, Math.round((probe * us) / probeUs)), us };
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
    const same = await matchingWork(() => one(requests[n % requests.length]!));
    const lat = await measureSideBySide(
      { decideAndSign: cycling(requests, one), machine: async () => work(same.turns) },
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
        `(${same.us.toFixed(0)} µs of arithmetic: p50 ${result.machine.p50Us} µs p99 ${result.machine.p99Us} µs), ` +
        `${result.decideAndSign.opsPerS}/s one at a time, ${node.perS}/s pipelined (${node.perCpuS} per CPU second; WebCrypto ${web.perS}/s, ${web.perCpuS} per CPU second); verify ${result.verify.receiptsPerS}/s`,
    );
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
