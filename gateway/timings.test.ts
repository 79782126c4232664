/**
 * `aarm gateway --timings FILE`: the histograms of where a forwarded call's time goes, and the file the gateway
 * writes when it closes. Only the accounting is checked here, never how fast anything is.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TRIVIAL_TOOLS, trivialServerCommand } from "../bench/trivial-tools.js";
import { serveHttp } from "./http.js";
import { setupGateway } from "./setup.js";
import { connect, textOf } from "./test-support/client.js";
import { compileBundle, scratchDir, testConfig } from "./test-support/fixture.js";
import { Timings, type TimingsReport } from "./timings.js";

describe("gateway timings", () => {
  it("splits each forwarded call into its stages; own time is the total minus the wait for the server", () => {
    const t = new Timings();
    for (let i = 0; i < 100; i++) {
      // 0.1 ms in, 0.2 ms deciding, 1 ms (i = 99: 50 ms) at the server, 0.3 ms for the outcome, 0.05 ms out
      const upstream = i === 99 ? 50 : 1;
      const s = { received: 10, relayed: 10.1, forwarded: 10.3, answered: 10.3 + upstream };
      t.call({ ...s, replying: s.answered + 0.3 }, s.answered + 0.35);
    }
    t.call({ received: 0, relayed: 1 }, 2); // never forwarded (denied, or failed): not a forwarded call's time
    const r = t.report();
    expect(r.calls).toBe(100);
    expect(r.inbound.p50Ms).toBeCloseTo(0.1, 2);
    expect(r.decision.p50Ms).toBeCloseTo(0.2, 2);
    expect(r.upstream.p50Ms).toBeCloseTo(1, 2);
    expect(r.upstream.maxMs).toBeCloseTo(50, 2);
    expect(r.outcome.p99Ms).toBeCloseTo(0.3, 2);
    expect(r.outbound.p50Ms).toBeCloseTo(0.05, 2);
    expect(r.own.p50Ms).toBeCloseTo(0.65, 2);
    expect(r.own.maxMs).toBeCloseTo(0.65, 2);
    expect(r.total.maxMs).toBeCloseTo(50.65, 2);
  });

  it("a percentile is the upper edge of its 5 µs bucket, never more than the largest value seen", () => {
    const t = new Timings();
    const s = { received: 0, relayed: 0, forwarded: 0, answered: 0, replying: 0 };
    t.call(s, 0.0123);
    expect(t.report().total).toMatchObject({ n: 1, p50Ms: 0.012, maxMs: 0.012 });
    for (let i = 0; i < 98; i++) t.call(s, 123.4); // beyond 50 ms: 1 ms buckets
    expect(t.report().total.p50Ms).toBe(123.4); // the bucket's edge (124) is more than anything seen
    t.call(s, 70_000); // beyond 60 s: the largest value
    expect(t.report().total.maxMs).toBe(70_000);
    expect(t.report().total.p50Ms).toBe(124);
    expect(t.report().total.p99Ms).toBe(124);
    t.call(s, 80_000);
    expect(t.report().total.p99Ms).toBe(80_000);
  });

  it("the gateway writes the file when it closes: every forwarded call counted, refused calls not", async () => {
    const dir = scratchDir();
    const policy = `policy "t" version "1.0.0"\ndefault deny\ntools from "./tools.json"\nallow echo\n`;
    const b = await compileBundle(dir, policy, TRIVIAL_TOOLS);
    const file = join(dir, "timings.json");
    const core = await setupGateway(testConfig(dir, b, [], { timings: file }));
    const upstream = { kind: "command" as const, ...trivialServerCommand(), stderr: "ignore" as const };
    const gateway = await serveHttp({ core, upstream, host: "127.0.0.1", port: 0 });
    const client = await connect(gateway.url);
    for (let i = 0; i < 3; i++)
      expect(textOf(await client.callTool({ name: "echo", arguments: { text: `${i}` } })).text).toBe(`${i}`);
    expect(textOf(await client.callTool({ name: "crash", arguments: {} })).isError).toBe(true);
    await client.close();
    await gateway.close();
    await core.close();
    const r = JSON.parse(readFileSync(file, "utf8")) as TimingsReport;
    expect(r.calls).toBe(3);
    expect(r.upstream.n).toBe(3);
    expect(r.own.maxMs).toBeLessThanOrEqual(r.total.maxMs);
    expect(r.total.p50Ms).toBeGreaterThan(0);
  });
});
