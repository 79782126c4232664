/**
 * Is the gateway's memory stable? Its resident memory (what bench/gateway-load.ts samples) moves with V8's heap
 * sizing and the allocator, so it cannot tell a leak from growth. This runs the gateway in process, on the same
 * trivial server, and after each round of 50 concurrent sessions × 40 calls (every session ended as a polite
 * client does) prints the heap still in use after two full garbage collections: flat when nothing leaks.
 *
 *   node --expose-gc --import tsx bench/gateway-heap.ts [ROUNDS]
 */
import { serveHttp } from "../gateway/http.js";
import { setupGateway } from "../gateway/setup.js";
import { compileBundle, scratchDir, testConfig } from "../gateway/test-support/fixture.js";
import { concurrent, POLICY, startChild } from "./gateway-load.js";
import { TRIVIAL_TOOLS, trivialServerCommand } from "./trivial-tools.js";

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) {
  console.error("gateway-heap: run with node --expose-gc (see the comment at the top)");
  process.exit(2);
}
const rounds = Number(process.argv[2] ?? 8);
if (!Number.isInteger(rounds) || rounds < 1) {
  console.error("gateway-heap: ROUNDS must be a positive whole number");
  process.exit(2);
}
const srv = trivialServerCommand(["--http", "0"]);
const up = await startChild(srv.command, srv.args, /^listening (\S+)/, "stdout");
process.on("exit", () => up.child.kill());
const dir = scratchDir();
const b = await compileBundle(dir, POLICY, TRIVIAL_TOOLS);
const core = await setupGateway(testConfig(dir, b, [], { fsync: "off" }));
const gw = await serveHttp({
  core,
  upstream: { kind: "url", url: new URL(up.match) },
  host: "127.0.0.1",
  port: 0,
});
for (let round = 1; round <= rounds; round++) {
  const run = await concurrent(gw.url.href, `r${round}`, 50, 40);
  if (run.errors > 0) {
    console.error(`gateway-heap: round ${round}: ${run.errors} calls failed`);
    process.exit(1);
  }
  await new Promise((r) => setTimeout(r, 300));
  gc();
  gc();
  const m = process.memoryUsage();
  console.log(
    `round ${round}: sessions open ${gw.sessions.size}, heapUsed ${(m.heapUsed / 1e6).toFixed(1)} MB, rss ${(m.rss / 1e6).toFixed(0)} MB, external ${(m.external / 1e6).toFixed(1)}`,
  );
}
await gw.close();
await core.close();
up.child.kill();
