/**
 * The floor of the MCP protocol stack, for the gateway load benchmark (bench/gateway-load.ts): the gateway's own
 * relay and HTTP wiring (gateway/http.ts, gateway/relay.ts, the upstream transport on gateway/upstream-fetch.ts),
 * with a mediator that decides nothing and writes no receipt — each `tools/call` is forwarded with its arguments
 * as they came. What the gateway adds beyond this relay is aarm's own part: the decision, the two signed and
 * stored receipts, the enforcement around them. This exists only here, in the benchmark: the gateway itself has
 * no way to skip its mediation. The URL is printed on stdout as `listening <url>`.
 *
 *   node --import tsx bench/sdk-relay.ts UPSTREAM_URL
 */
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { serveHttp } from "../gateway/http.js";
import type { Mediator } from "../gateway/mediator.js";
import { methodFilter, serverMethodFilter } from "../gateway/methods.js";
import { errorResult } from "../gateway/results.js";
import { Timings } from "../gateway/timings.js";

/** Forward every call unchanged; a failed forward is a tool error result, as the gateway's would be. */
const passThrough: Mediator = {
  listed: () => true,
  open: (req) =>
    Promise.resolve({
      ok: true,
      session: {
        id: req.id,
        async call(call, forward) {
          const params = (call.message as { params?: { arguments?: Record<string, unknown> } }).params;
          try {
            return (await forward(params?.arguments ?? {})) as JSONRPCMessage;
          } catch (e) {
            return errorResult(call.id, e instanceof Error ? e.message : String(e));
          }
        },
        close: () => Promise.resolve(),
      },
    }),
};

const gateway = await serveHttp({
  core: {
    mediator: passThrough,
    passes: methodFilter(),
    serverPasses: serverMethodFilter(),
    upstreamTimeoutMs: 30_000,
    heartbeatMs: 0,
    log: (line) => process.stderr.write(`${line}\n`),
    // Stamped as the gateway is in the benchmark (`--timings`), so that the difference is not the stamping.
    timings: new Timings(),
  },
  upstream: { kind: "url", url: new URL(process.argv[2] ?? "") },
  host: "127.0.0.1",
  port: 0,
});
process.stdout.write(`listening ${gateway.url.href}\n`);

// Stop cleanly on a signal, so that `node --cpu-prof` writes its profile.
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.once(signal, () => void gateway.close().finally(() => process.exit(0)));
