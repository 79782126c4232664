/**
 * `npm run bench:gateway`: the MCP gateway under load on loopback (docs/performance.md, "MCP gateway under load").
 * A trivial MCP server (bench/trivial-server.ts) and `aarm gateway --listen` each run in their own process; the
 * clients are the MCP SDK's own, in this process.
 *
 * 1. Added latency: one session straight to the server, one through a raw HTTP proxy (bench/raw-proxy.ts), one
 *    through the gateway's relay with nothing decided (bench/sdk-relay.ts) and one through the gateway call `echo`
 *    in turn (so all see the same moments of a shared machine); the difference of the per-call latency percentiles
 *    is what each adds: the extra hop, the MCP SDK's transports, and aarm's own part (gateway − relay).
 * 2. Load: `--sessions` concurrent sessions × `--calls` sequential calls each (default 50 × 200), twice, with the
 *    gateway's resident memory sampled from /proc; then every receipt is verified (chain, signatures) and each call
 *    must have exactly one decision and one outcome receipt: none lost, none duplicated.
 *
 *   npm run bench:gateway [-- --sessions 50 --calls 200 --fsync group|receipt|decisions|off --smoke --json --no-write
 *                              --profile DIR --built --gateway PATH/bin/aarm.js --compare PATH/bin/aarm.js
 *                              --record]
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createRequire } from "node:module";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { compileBundle, scratchDir } from "../gateway/test-support/fixture.js";
import { noIssuerVerifier } from "../gateway/identity.js";
import { loadBundleDir } from "../host/bundle.js";
import { installNodeCrypto } from "../host/node-crypto.js";
import { readKeyDir } from "../host/keys.js";
import { openReceiptFile } from "../host/receipt-file.js";
import { keyFileSigner } from "../host/signing-key.js";
import { createEnforcer, fromMcp } from "../runtime/index.js";
import { createReceiptWriter, verifyReceiptText } from "../runtime/receipts/index.js";
import type { TimingsReport } from "../gateway/timings.js";
import type { LoadOptions, LoadReport, Percentiles } from "./gateway-load-report.js";
import { renderSection } from "./gateway-load-report.js";
import { TRIVIAL_TOOLS, trivialServerCommand } from "./trivial-tools.js";

const root = fileURLToPath(new URL("..", import.meta.url));
export const POLICY = `policy "load" version "1.0.0"\ndefault deny\ntools from "./tools.json"\nallow echo\n`;

export type { LoadOptions, LoadReport } from "./gateway-load-report.js";

const round3 = (x: number) => Math.round(x * 1000) / 1000;

function percentiles(samples: number[]): Percentiles {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
  return {
    p50Ms: round3(at(0.5)),
    p99Ms: round3(at(0.99)),
    maxMs: round3(s[s.length - 1] ?? NaN),
    n: s.length,
  };
}

/** Start a child process and resolve with the first line of its output matching `pattern` (group 1). */
export function startChild(
  command: string,
  args: string[],
  pattern: RegExp,
  stream: "stdout" | "stderr",
): Promise<{ child: ChildProcess; match: string }> {
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], cwd: root });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child[stream]! });
    let seen = "";
    lines.on("line", (l) => {
      seen += `${l}\n`;
      const m = pattern.exec(l);
      if (m) resolve({ child, match: m[1]! });
    });
    child.on("exit", (code) => reject(new Error(`${command} ${args.join(" ")} exited (${code}):\n${seen}`)));
  });
}

/** The resident memory of a process in MB (Linux /proc). */
function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Math.round(Number(m[1]) / 102.4) / 10 : NaN;
}

async function client(url: string): Promise<Client> {
  const c = new Client({ name: "load", version: "1.0.0" });
  await c.connect(new StreamableHTTPClientTransport(new URL(url)));
  return c;
}

/** End a session as a polite client does: DELETE it on the server (Streamable HTTP), then close. */
async function end(c: Client): Promise<void> {
  await (c.transport as StreamableHTTPClientTransport | undefined)?.terminateSession();
  await c.close();
}

/** One session: `calls` sequential echo calls; per-call latencies in ms, and how many failed. */
async function session(url: string, tag: string, calls: number): Promise<{ ms: number[]; errors: number }> {
  let c: Client;
  try {
    c = await client(url);
  } catch {
    return { ms: [], errors: calls }; // the session was refused: every call of it counts as failed
  }
  const ms: number[] = [];
  let errors = 0;
  for (let i = 0; i < calls; i++) {
    const text = `${tag}-${i}`;
    const t0 = performance.now();
    try {
      const r = (await c.callTool({ name: "echo", arguments: { text } })) as {
        content: { text?: string }[];
        isError?: boolean;
      };
      ms.push(performance.now() - t0);
      if (r.isError || r.content[0]?.text !== text) errors++;
    } catch {
      errors++;
    }
  }
  await end(c).catch(() => undefined);
  return { ms, errors };
}

/** A small deterministic pseudo-random generator (mulberry32): the same order of paths in every run. */
function seeded(seed: number): () => number {
  let t = seed >>> 0;
  return () => {
    t = (t + 0x6d2b79f5) >>> 0;
    let r = Math.imul(t ^ (t >>> 15), 1 | t);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

/** Shuffle `items` in place (Fisher–Yates) and return them. */
function shuffled<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/**
 * One session on each path (direct, raw proxy, MCP relay, gateway; and another build's gateway with --compare),
 * calling in turn, each round in a new random order, so that all see the same moments of a shared machine (the load
 * changes from second to second, and measuring one path after the other would compare different moments) and none
 * always follows the same other path (the process called just before may still be finishing its work, and takes
 * a core from the next). The first `warm` rounds are not counted.
 */
async function interleaved<K extends string>(
  urls: Readonly<Record<K, string>>,
  warm: number,
  calls: number,
  warmed: () => void = () => undefined,
): Promise<Record<K, number[]>> {
  const paths = Object.keys(urls) as K[];
  const order = paths.map((_, k) => k);
  const random = seeded(1);
  const clients = await Promise.all(paths.map((p) => client(urls[p])));
  const out = Object.fromEntries(paths.map((p) => [p, [] as number[]])) as Record<K, number[]>;
  for (let i = 0; i < warm + calls; i++) {
    if (i === warm) warmed();
    for (const k of shuffled(order, random)) {
      const t0 = performance.now();
      const r = (await clients[k]!.callTool({ name: "echo", arguments: { text: `seq-${i}` } })) as {
        isError?: boolean;
      };
      if (i >= warm) out[paths[k]!].push(performance.now() - t0);
      if (r.isError) throw new Error(`echo through ${paths[k]} failed: ${JSON.stringify(r)}`);
    }
  }
  await Promise.all(clients.map(end));
  return out;
}

export async function concurrent(url: string, tag: string, sessions: number, calls: number) {
  const t0 = performance.now();
  const runs = await Promise.all(
    Array.from({ length: sessions }, (_, s) => session(url, `${tag}-s${s}`, calls)),
  );
  const seconds = (performance.now() - t0) / 1000;
  return { ms: runs.flatMap((r) => r.ms), errors: runs.reduce((n, r) => n + r.errors, 0), seconds };
}

/** Check the receipt file: verified chain, and exactly one decision and one outcome receipt per call. */
async function checkReceipts(text: string, keysDir: string, calls: number): Promise<LoadReport["receipts"]> {
  const v = await verifyReceiptText(text, { keys: readKeyDir(keysDir) });
  const byKind = new Map<string, Map<string, number>>();
  for (const line of text.split("\n")) {
    if (line === "") continue;
    const r = JSON.parse(line) as { kind: string; action: { id: string } };
    const m = byKind.get(r.kind) ?? new Map<string, number>();
    m.set(r.action.id, (m.get(r.action.id) ?? 0) + 1);
    byKind.set(r.kind, m);
  }
  let duplicated = 0;
  let lost = 0;
  for (const kind of ["decision", "outcome"]) {
    const m = byKind.get(kind) ?? new Map<string, number>();
    for (const n of m.values()) duplicated += n - 1;
    lost += calls - m.size;
  }
  return { count: v.receipts, valid: v.valid, calls, lost, duplicated };
}

/** CPU time (user + system) a process used so far, in ms (Linux /proc; clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

interface Gateway {
  readonly url: string;
  readonly pid: number;
  /** Stop it (SIGTERM) and read what it measured of its own time per call. */
  stop(): Promise<TimingsReport>;
  kill(): void;
}

export async function runLoad(
  o: LoadOptions,
  log: (line: string) => void = () => undefined,
): Promise<LoadReport> {
  const dir = scratchDir();
  const b = await compileBundle(dir, POLICY, TRIVIAL_TOOLS);
  const receipts = join(dir, "receipts.jsonl");
  const server = trivialServerCommand(["--http", "0"]);
  const up = await startChild(server.command, server.args, /^listening (\S+)/, "stdout");
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
  const entry = o.gateway
    ? [o.gateway]
    : o.built
      ? [join(root, "bin/aarm.js")]
      : ["--import", tsx, join(root, "bench/aarm-cli.ts")];
  /** One gateway process; the phases use one each, appending to the same receipt file. */
  const startGateway = async (phase: string, aarm = entry, file = receipts): Promise<Gateway> => {
    const timings = join(dir, `timings-${phase}.json`);
    const args = [...(o.profile ? ["--cpu-prof", "--cpu-prof-dir", o.profile] : []), ...aarm, "gateway"];
    args.push("--bundle", b.bundle, "--keys", b.keys, "--receipts", file, "--key", b.secretKey);
    args.push("--fsync", o.fsync, "--timings", timings, "--upstream", up.match, "--listen", "127.0.0.1:0");
    if (o.record) args.push("--record", join(dir, `recorded-${phase}`));
    const gw = await startChild(process.execPath, args, /listening on (\S+)/, "stderr");
    return {
      url: gw.match,
      pid: gw.child.pid!,
      async stop() {
        const exited = new Promise((r) => gw.child.once("exit", r));
        gw.child.kill("SIGTERM");
        await exited;
        return JSON.parse(readFileSync(timings, "utf8")) as TimingsReport;
      },
      kill: () => void gw.child.kill("SIGKILL"),
    };
  };
  const started: Gateway[] = [];
  const floors: ChildProcess[] = [];
  try {
    const warm = Math.max(1, Math.floor(o.sequential / 10));
    log(
      `added latency: ${o.sequential} sequential calls (after ${warm} warm-up calls) direct, through a raw proxy, an MCP relay and the gateway`,
    );
    const floor = async (script: string) => {
      const c = await startChild(
        process.execPath,
        ["--import", tsx, join(root, script), up.match],
        /^listening (\S+)/,
        "stdout",
      );
      floors.push(c.child);
      return { url: c.match, pid: c.child.pid! };
    };
    const [proxy, relay, seqGw, other] = await Promise.all([
      floor("bench/raw-proxy.ts"),
      floor("bench/sdk-relay.ts"),
      startGateway("sequential"),
      o.compare ? startGateway("compare", [o.compare], join(dir, "receipts-compare.jsonl")) : undefined,
    ]);
    started.push(seqGw, ...(other ? [other] : []));
    const pids = {
      server: up.child.pid!,
      proxy: proxy.pid,
      relay: relay.pid,
      gateway: seqGw.pid,
      ...(other ? { other: other.pid } : {}),
    };
    const urls: Record<string, string> = {
      direct: up.match,
      proxy: proxy.url,
      relay: relay.url,
      gateway: seqGw.url,
      ...(other ? { other: other.url } : {}),
    };
    let cpu0: Record<string, number> = {};
    const cpuNow = () => Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuMs(pid)]));
    const runs = await interleaved(urls, warm, o.sequential, () => (cpu0 = cpuNow()));
    const cpu1 = cpuNow();
    const cpuPerCall = (k: string) => round3((cpu1[k]! - cpu0[k]!) / o.sequential);
    const seqTimings = await seqGw.stop();
    const otherTimings = await other?.stop();
    for (const c of floors) c.kill("SIGKILL");
    const d = percentiles(runs["direct"]!);
    const g = percentiles(runs["gateway"]!);
    const added = (p: Percentiles, from: Percentiles = d) => ({
      addedP50Ms: round3(p.p50Ms - from.p50Ms),
      addedP99Ms: round3(p.p99Ms - from.p99Ms),
    });
    const px = percentiles(runs["proxy"]!);
    const rl = percentiles(runs["relay"]!);
    const floorReport: LoadReport["sequential"]["floor"] = {
      proxy: { ...px, ...added(px), cpuMsPerCall: cpuPerCall("proxy") },
      relay: { ...rl, ...added(rl), cpuMsPerCall: cpuPerCall("relay") },
      aarm: added(g, rl),
      // Every path ends at the server: its CPU time per call it served.
      serverCpuMsPerCall: round3(cpuPerCall("server") / Object.keys(urls).length),
    };
    const ot = runs["other"] ? percentiles(runs["other"]) : undefined;
    const compare: LoadReport["sequential"]["compare"] =
      ot && otherTimings && o.compare
        ? {
            aarm: o.compare,
            gateway: { ...ot, ...added(ot) },
            cpuMsPerCall: cpuPerCall("other"),
            own: otherTimings,
          }
        : undefined;
    const loadGw = await startGateway("load");
    started.push(loadGw);
    const pid = loadGw.pid;
    const load: LoadReport["load"][number][] = [];
    for (const r of [1, 2]) {
      log(
        `load round ${r}: ${o.sessions} sessions × ${o.calls} calls, straight to the server, then through the gateway`,
      );
      const s0 = cpuMs(up.child.pid!);
      const directRun = await concurrent(up.match, `load${r}-direct`, o.sessions, o.calls);
      const serverCpu = (cpuMs(up.child.pid!) - s0) / directRun.ms.length;
      const before = rssMb(pid);
      let peak = before;
      const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 100);
      const c0 = cpuMs(pid);
      const run = await concurrent(loadGw.url, `load${r}-gateway`, o.sessions, o.calls);
      const cpu = (cpuMs(pid) - c0) / run.ms.length;
      clearInterval(sampler);
      const after = rssMb(pid);
      const dp = percentiles(directRun.ms);
      const gp = percentiles(run.ms);
      load.push({
        round: r,
        direct: dp,
        gateway: gp,
        addedP50Ms: round3(gp.p50Ms - dp.p50Ms),
        addedP99Ms: round3(gp.p99Ms - dp.p99Ms),
        directCallsPerS: Math.round(directRun.ms.length / directRun.seconds),
        callsPerS: Math.round(run.ms.length / run.seconds),
        gatewayCpuMsPerCall: round3(cpu),
        serverCpuMsPerCall: round3(serverCpu),
        errors: run.errors + directRun.errors,
        rssMb: { before, peak: Math.max(peak, after), after },
      });
    }
    const loadTimings = await loadGw.stop();
    const gatewayCalls = warm + o.sequential + 2 * o.sessions * o.calls;
    const check = await checkReceipts(readFileSync(receipts, "utf8"), b.keys, gatewayCalls);
    log(`enforcement alone: ${o.sequential} calls in process`);
    const enforcement = percentiles(await enforcementAlone(b, join(dir, "inprocess.jsonl"), o));
    const cpu = cpus();
    return {
      machine: `${cpu.length} × ${cpu[0]?.model ?? "?"}, Node ${process.version}, load average ${loadavg()[0]!.toFixed(1)} at the end`,
      options: o,
      sequential: {
        direct: d,
        gateway: g,
        addedP50Ms: round3(g.p50Ms - d.p50Ms),
        addedP99Ms: round3(g.p99Ms - d.p99Ms),
        gatewayCpuMsPerCall: cpuPerCall("gateway"),
        own: seqTimings,
        enforcement,
        floor: floorReport,
        ...(compare ? { compare } : {}),
      },
      load,
      loadOwn: loadTimings,
      receipts: check,
    };
  } finally {
    for (const g of started) g.kill();
    for (const c of floors) c.kill("SIGKILL");
    up.child.kill("SIGKILL");
  }
}

/**
 * What the enforcement itself costs per call, without transports: the same bundle, receipt file policy and key in
 * this process, `perform` on the MCP adapter's action with a no-op tool (after a tenth as many warm-up calls).
 * SHA-256 on node:crypto, as the `aarm` command (the gateway) has it.
 */
async function enforcementAlone(
  b: { bundle: string; keys: string; secretKey: string },
  file: string,
  o: LoadOptions,
) {
  installNodeCrypto();
  const { policy } = await loadBundleDir(b.bundle, { trustedKeys: [...readKeyDir(b.keys).values()] });
  const sink = await openReceiptFile(file, { fsync: o.fsync });
  const receipts = createReceiptWriter({ signer: await keyFileSigner(b.secretKey), sink });
  const enforcer = createEnforcer({ policy, receipts, identity: noIssuerVerifier() });
  const session = await enforcer.openSession({ assertions: [] });
  const warm = Math.max(1, Math.floor(o.sequential / 10));
  const ms: number[] = [];
  for (let i = 0; i < warm + o.sequential; i++) {
    const message = {
      jsonrpc: "2.0",
      id: i,
      method: "tools/call",
      params: { name: "echo", arguments: { text: `${i}` } },
    };
    const t0 = performance.now();
    const out = await session.perform(fromMcp(message), (args) => args["text"]);
    if (i >= warm) ms.push(performance.now() - t0);
    if (out.effect !== "ALLOW") throw new Error(`in-process call ${i}: ${out.reasons.join("; ")}`);
  }
  await sink.close();
  return ms;
}

const BEGIN = "<!-- gateway-load:begin (generated by npm run bench:gateway; do not edit) -->";
const END = "<!-- gateway-load:end -->";

function writeSection(section: string): void {
  const path = join(root, "docs/performance.md");
  const text = readFileSync(path, "utf8");
  const i = text.indexOf(BEGIN);
  const j = text.indexOf(END);
  if (i < 0 || j < i) throw new Error(`docs/performance.md has no ${BEGIN} ... ${END} markers`);
  writeFileSync(path, `${text.slice(0, i + BEGIN.length)}\n${section}\n${text.slice(j)}`);
}

function option(argv: readonly string[], name: string, fallback: number): number {
  const i = argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(argv[i + 1]) : fallback;
  if (!Number.isInteger(v) || v < 1) throw new Error(`--${name} needs a positive whole number`);
  return v;
}

async function main(argv: readonly string[]): Promise<void> {
  const smoke = argv.includes("--smoke");
  const f = argv.indexOf("--fsync");
  const fsync = (f >= 0 ? argv[f + 1] : "group") as LoadOptions["fsync"];
  if (!["group", "receipt", "decisions", "off"].includes(fsync))
    throw new Error("--fsync takes group, receipt, decisions or off");
  const o: LoadOptions = {
    sessions: option(argv, "sessions", smoke ? 5 : 50),
    calls: option(argv, "calls", smoke ? 10 : 200),
    sequential: option(argv, "sequential", smoke ? 50 : 2000),
    fsync,
    ...(argv.includes("--profile") ? { profile: argv[argv.indexOf("--profile") + 1]! } : {}),
    ...(argv.includes("--built") ? { built: true } : {}),
    ...(argv.includes("--gateway") ? { gateway: argv[argv.indexOf("--gateway") + 1]! } : {}),
    ...(argv.includes("--compare") ? { compare: argv[argv.indexOf("--compare") + 1]! } : {}),
    ...(argv.includes("--record") ? { record: true } : {}),
  };
  const report = await runLoad(o, (l) => process.stderr.write(`${l}\n`));
  if (argv.includes("--json")) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else process.stdout.write(`${renderSection(report)}\n`);
  if (!smoke && !argv.includes("--no-write")) writeSection(renderSection(report));
  const r = report.receipts;
  if (!r.valid || r.lost > 0 || r.duplicated > 0 || report.load.some((l) => l.errors > 0))
    process.exitCode = 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href)
  await main(process.argv.slice(2));
