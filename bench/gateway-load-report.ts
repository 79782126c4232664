/**
 * The report of `npm run bench:gateway` (bench/gateway-load.ts) and the docs/performance.md section made from it.
 */
import type { Distribution, TimingsReport } from "../gateway/timings.js";

export interface LoadOptions {
  readonly sessions: number;
  readonly calls: number;
  /** Sequential calls measured for the added latency (after as many warm-up calls, a tenth of them). */
  readonly sequential: number;
  readonly fsync: "group" | "receipt" | "decisions" | "off";
  /** Write a CPU profile of the gateway process into this folder (node --cpu-prof). */
  readonly profile?: string;
  /** Run the gateway from the build (bin/aarm.js, dist/) instead of the sources under tsx. */
  readonly built?: boolean;
  /** Run this `aarm` as the gateway (the bin/aarm.js of another build, to measure it beside this one). */
  readonly gateway?: string;
  /** Also run this `aarm` (another build's bin/aarm.js) as a second gateway in the one-at-a-time calls, in turn. */
  readonly compare?: string;
  /** Every gateway also records its sessions (`aarm gateway --record`, a folder of its own per gateway). */
  readonly record?: boolean;
}

export interface Percentiles {
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly n: number;
}

/** Percentiles of one path, and what it adds to the direct round trip (p50 and p99 differences). */
export interface Added {
  readonly addedP50Ms: number;
  readonly addedP99Ms: number;
}

export interface LoadReport {
  readonly machine: string;
  readonly options: LoadOptions;
  readonly sequential: {
    readonly direct: Percentiles;
    readonly gateway: Percentiles;
    readonly addedP50Ms: number;
    readonly addedP99Ms: number;
    /** CPU time of the gateway process per call (user + system). */
    readonly gatewayCpuMsPerCall: number;
    /** The gateway's own time per call, measured inside it (gateway/timings.ts). */
    readonly own: TimingsReport;
    /** The enforcement alone, in process: decide, decision receipt, the tool (a no-op), outcome receipt. */
    readonly enforcement: Percentiles;
    /**
     * The floors, called in turn with the direct and gateway sessions: a raw HTTP reverse proxy (one more loopback
     * hop, bench/raw-proxy.ts) and the gateway's relay on the MCP SDK's transports with nothing decided or
     * receipted (bench/sdk-relay.ts); `aarm` is the gateway minus that relay, aarm's own part.
     */
    readonly floor: {
      readonly proxy: Percentiles & Added & { readonly cpuMsPerCall: number };
      readonly relay: Percentiles & Added & { readonly cpuMsPerCall: number };
      readonly aarm: Added;
      /** CPU time of the trivial server per call it served, one at a time (it serves every path). */
      readonly serverCpuMsPerCall: number;
    };
    /** Another build's gateway (`--compare`), called in turn with the others. */
    readonly compare?: {
      readonly aarm: string;
      readonly gateway: Percentiles & Added;
      readonly cpuMsPerCall: number;
      readonly own: TimingsReport;
    };
  };
  readonly load: readonly {
    readonly round: number;
    readonly direct: Percentiles;
    readonly gateway: Percentiles;
    readonly addedP50Ms: number;
    readonly addedP99Ms: number;
    readonly directCallsPerS: number;
    readonly callsPerS: number;
    readonly gatewayCpuMsPerCall: number;
    /** CPU time of the trivial server per direct call: what one MCP hop costs a server. */
    readonly serverCpuMsPerCall: number;
    readonly errors: number;
    readonly rssMb: { readonly before: number; readonly peak: number; readonly after: number };
  }[];
  /** The gateway's own time per call over both load rounds, measured inside it. */
  readonly loadOwn: TimingsReport;
  readonly receipts: {
    readonly count: number;
    readonly valid: boolean;
    readonly calls: number;
    readonly lost: number;
    readonly duplicated: number;
  };
}

const STAGE_ROWS: readonly [keyof TimingsReport, string][] = [
  ["inbound", "HTTP request arrived → the MCP SDK's server transport hands it to the relay"],
  [
    "decision",
    "decide, sign the decision receipt, store it (fsync), hand the call to the upstream transport",
  ],
  ["upstream", "the hop: upstream transport, network, the server, back (not the gateway's own time)"],
  ["outcome", "check the server's answer, record it, sign and store the outcome receipt (fsync)"],
  ["outbound", "the answer handed to the client's transport → HTTP response finished"],
  ["own", "**the gateway's own time: everything but the upstream stage**"],
  ["total", "HTTP request arrived → response finished"],
];

const TARGET_MS = 1;
const round3 = (x: number) => Math.round(x * 1000) / 1000;
const met = (p99: number) => (p99 <= TARGET_MS ? "yes" : "**no**");

/** The docs/performance.md section. */
export function renderSection(r: LoadReport): string {
  const row = (name: string, p: Percentiles) => `| ${name} | ${p.p50Ms} | ${p.p99Ms} | ${p.maxMs} | ${p.n} |`;
  const s = r.sequential;
  const f = s.floor;
  const floorRow = (name: string, p: Percentiles & Added, cpu: number) =>
    `| ${name} | ${p.p50Ms} | ${p.p99Ms} | ${p.addedP50Ms} | ${p.addedP99Ms} | ${cpu} |`;
  const last = r.load[r.load.length - 1]!;
  const dist = (d: Distribution) => `${d.p50Ms} | ${d.p99Ms}`;
  const n = r.options.sessions;
  const lines = [
    `Measured on ${r.machine}; receipts fsync policy \`${r.options.fsync}\`${r.options.record ? "; sessions recorded (`--record`)" : ""}.`,
    "",
    `Added latency per call (ms; target p99 ≤ ${TARGET_MS} ms), by both definitions (see above):`,
    "",
    "| measure | concurrency | p50 | p99 | p99 ≤ 1 ms |",
    "| --- | --- | --- | --- | --- |",
    `| round trip through the gateway − round trip to the server | 1 | ${s.addedP50Ms} | ${s.addedP99Ms} | ${met(s.addedP99Ms)} |`,
    `| aarm's own part: round trip through the gateway − round trip through a relay on the same MCP transports | 1 | ${f.aarm.addedP50Ms} | ${f.aarm.addedP99Ms} | ${met(f.aarm.addedP99Ms)} |`,
    `| round trip through the gateway − round trip to the server (round ${last.round}) | ${n} sessions | ${last.addedP50Ms} | ${last.addedP99Ms} | ${met(last.addedP99Ms)} |`,
    `| the gateway's own time, measured inside it | 1 | ${dist(s.own.own)} | ${met(s.own.own.p99Ms)} |`,
    `| the gateway's own time, measured inside it | ${n} sessions | ${dist(r.loadOwn.own)} | ${met(r.loadOwn.own.p99Ms)} |`,
    "",
    "What each layer adds, one call at a time: a raw HTTP proxy (one more loopback hop, no parsing), the gateway's relay on the MCP SDK's transports deciding and receipting nothing, and the gateway; each called in turn with the direct session (ms):",
    "",
    "| path | p50 | p99 | added p50 | added p99 | its CPU per call |",
    "| --- | --- | --- | --- | --- | --- |",
    `| client → server | ${s.direct.p50Ms} | ${s.direct.p99Ms} | | | server: ${f.serverCpuMsPerCall} |`,
    floorRow("client → raw HTTP proxy → server", f.proxy, f.proxy.cpuMsPerCall),
    floorRow("client → MCP relay (no decision, no receipt) → server", f.relay, f.relay.cpuMsPerCall),
    floorRow("client → gateway → server", { ...s.gateway, ...s }, s.gatewayCpuMsPerCall),
    ...(s.compare
      ? [
          floorRow(
            `client → gateway of \`${s.compare.aarm}\` → server`,
            s.compare.gateway,
            s.compare.cpuMsPerCall,
          ),
        ]
      : []),
    `| **aarm's own part: gateway − MCP relay** | | | **${f.aarm.addedP50Ms}** | **${f.aarm.addedP99Ms}** | ${round3(s.gatewayCpuMsPerCall - f.relay.cpuMsPerCall)} |`,
    "",
    "Where a forwarded call's time goes inside the gateway (`aarm gateway --timings`; ms):",
    "",
    `| stage | what | 1 at a time p50 | p99 | ${n} sessions p50 | p99 |`,
    "| --- | --- | --- | --- | --- | --- |",
    ...STAGE_ROWS.map(
      ([k, what]) =>
        `| ${k} | ${what} | ${dist(s.own[k] as Distribution)} | ${dist(r.loadOwn[k] as Distribution)} |`,
    ),
    "",
    `One session to the server and one through the gateway, calling in turn (ms per call; gateway CPU ${s.gatewayCpuMsPerCall} ms per call):`,
    "",
    "| path | p50 | p99 | max | calls |",
    "| --- | --- | --- | --- | --- |",
    row("client → server", s.direct),
    row("client → gateway → server", s.gateway),
    row("the enforcement alone, in process (decide + 2 signed, stored receipts)", s.enforcement),
    "",
    `Load: ${n} concurrent sessions × ${r.options.calls} sequential calls each, straight to the server and then through the gateway, run twice (ms per call; CPU in ms of CPU time per call):`,
    "",
    "| round | direct p50 | direct p99 | gateway p50 | gateway p99 | added p50 | added p99 | direct calls/s | gateway calls/s | server CPU | gateway CPU | errors | gateway RSS before → peak → after (MB) |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ...r.load.map(
      (l) =>
        `| ${l.round} | ${l.direct.p50Ms} | ${l.direct.p99Ms} | ${l.gateway.p50Ms} | ${l.gateway.p99Ms} | ${l.addedP50Ms} | ${l.addedP99Ms} | ${l.directCallsPerS} | ${l.callsPerS} | ${l.serverCpuMsPerCall} | ${l.gatewayCpuMsPerCall} | ${l.errors} | ${l.rssMb.before} → ${l.rssMb.peak} → ${l.rssMb.after} |`,
    ),
    "",
    `Receipts: ${r.receipts.count} in the file, chain and signatures ${r.receipts.valid ? "verified" : "INVALID"}; ` +
      `${r.receipts.calls} calls through the gateway, ${r.receipts.lost} receipts lost, ${r.receipts.duplicated} duplicated ` +
      "(each call has exactly one decision and one outcome receipt).",
  ];
  return lines.join("\n");
}
