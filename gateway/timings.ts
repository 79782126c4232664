/**
 * `aarm gateway --timings FILE`: where the time of each forwarded `tools/call` goes inside the gateway, kept as
 * fixed-size histograms (memory does not grow with the number of calls) and written to FILE as JSON when the
 * gateway stops. A call's stages, each measured on the gateway's monotonic clock (docs/gateway.md, "Timings"):
 *
 *   received ─ inbound ─► relayed ─ decision ─► forwarded ─ upstream ─► answered ─ outcome ─► replying ─ outbound ─► replied
 *
 * - received: the HTTP request of the call arrived (over stdio: the message reached the relay);
 * - relayed: the MCP SDK's server transport handed the message to the relay;
 * - forwarded: the call was decided, its decision receipt stored, and the request handed to the upstream transport;
 * - answered: the server's answer came back through the upstream transport;
 * - replying: the outcome receipt is stored and the answer handed to the client's transport;
 * - replied: the HTTP response to the client is finished (over stdio: the message was written).
 *
 * `own` = `total` − `upstream`: the time the call spent in the gateway itself, everything but waiting for the server.
 */

/** Histogram resolution: 5 µs buckets up to 50 ms, then 1 ms buckets up to 60 s; beyond, one bucket (its max). */
const FINE_US = 5;
const FINE_LIMIT_US = 50_000;
const COARSE_US = 1000;
const COARSE_LIMIT_US = 60_000_000;
const FINE = FINE_LIMIT_US / FINE_US;
const BUCKETS = FINE + (COARSE_LIMIT_US - FINE_LIMIT_US) / COARSE_US + 1;

function bucketOf(us: number): number {
  if (us < FINE_LIMIT_US) return Math.max(0, Math.floor(us / FINE_US));
  return Math.min(BUCKETS - 1, FINE + Math.floor((us - FINE_LIMIT_US) / COARSE_US));
}

/** The upper edge of a bucket, in ms (a percentile is reported as the bucket's upper edge: never understated). */
function upperMs(bucket: number): number {
  const us = bucket < FINE ? (bucket + 1) * FINE_US : FINE_LIMIT_US + (bucket - FINE + 1) * COARSE_US;
  return us / 1000;
}

export interface Distribution {
  readonly n: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly meanMs: number;
}

class Histogram {
  readonly #counts = new Uint32Array(BUCKETS);
  #n = 0;
  #sum = 0;
  #max = 0;

  add(ms: number): void {
    const v = ms > 0 ? ms : 0;
    this.#counts[bucketOf(v * 1000)]!++;
    this.#n++;
    this.#sum += v;
    if (v > this.#max) this.#max = v;
  }

  #at(q: number): number {
    const rank = Math.ceil(q * this.#n);
    let seen = 0;
    for (let b = 0; b < BUCKETS; b++) {
      seen += this.#counts[b]!;
      if (seen >= rank) return b === BUCKETS - 1 ? this.#max : Math.min(upperMs(b), this.#max);
    }
    return this.#max;
  }

  summary(): Distribution {
    const r = (x: number) => Math.round(x * 1000) / 1000;
    if (this.#n === 0) return { n: 0, p50Ms: 0, p90Ms: 0, p99Ms: 0, maxMs: 0, meanMs: 0 };
    return {
      n: this.#n,
      p50Ms: r(this.#at(0.5)),
      p90Ms: r(this.#at(0.9)),
      p99Ms: r(this.#at(0.99)),
      maxMs: r(this.#max),
      meanMs: r(this.#sum / this.#n),
    };
  }
}

/** The moments of one call (performance.now() ms); filled in as the call goes through the gateway. */
export interface CallStamps {
  received: number;
  relayed?: number;
  forwarded?: number;
  answered?: number;
  replying?: number;
}

export const STAGES = ["inbound", "decision", "upstream", "outcome", "outbound", "total", "own"] as const;
export type Stage = (typeof STAGES)[number];

export type TimingsReport = { readonly calls: number } & Readonly<Record<Stage, Distribution>>;

/** The gateway's timing histograms. */
export class Timings {
  readonly #h = new Map<Stage, Histogram>(STAGES.map((s) => [s, new Histogram()]));
  #calls = 0;

  /** Account one forwarded call that ended at `replied`. Calls that were not forwarded are not counted. */
  call(s: CallStamps, replied: number): void {
    const { received, relayed, forwarded, answered, replying } = s;
    if (relayed === undefined || forwarded === undefined || answered === undefined || replying === undefined)
      return;
    this.#calls++;
    const add = (stage: Stage, ms: number) => this.#h.get(stage)!.add(ms);
    add("inbound", relayed - received);
    add("decision", forwarded - relayed);
    add("upstream", answered - forwarded);
    add("outcome", replying - answered);
    add("outbound", replied - replying);
    add("total", replied - received);
    add("own", replied - received - (answered - forwarded));
  }

  report(): TimingsReport {
    const out: Record<string, unknown> = { calls: this.#calls };
    for (const s of STAGES) out[s] = this.#h.get(s)!.summary();
    return out as TimingsReport;
  }
}
