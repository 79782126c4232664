/**
 * Is the gateway's memory stable? Its resident memory (what bench/gateway-load.ts samples) moves with V8's heap
 * sizing and the allocator, so it cannot tell a leak from growth. This runs the gateway in process, on the same
 * trivial server, and after each round of 50 concurrent sessions × 40 calls (every session ended as a polite
 * client does) prints the heap still in use after two full garbage collections: flat when nothing leaks.
 *
 *   node --expose-gc --import tsx bench/gateway-heap.ts [ROUNDS]
 */
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { TRIVIAL_TOOLS, trivialServerCommand } from "./trivial-tools.js";
import { serveHttp } from "../gateway/http.js";
import { setupGateway } from "../gateway/setup.js";
import { compileBundle, scratchDir, testConfig } from "../gateway/test-support/fixture.js";

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
const POLICY = `policy "load" version "1.0.0"\ndefault deny\ntools from "./tools.json"\nallow echo\n`;
const srv = trivialServerCommand(["--http", "0"]);
const child = spawn(srv.command, srv.args, { stdio: ["ignore", "pipe", "inherit"] });
process.on("exit", () => child.kill());
const url: string = await new Promise((res) =>
  createInterface({ input: child.stdout! }).on("line", (l) => {
    const m = /^listening (\S+)/.exec(l);
    if (m) res(m[1]!);
  }),
);
const dir = scratchDir();
const b = await compileBundle(dir, POLICY, TRIVIAL_TOOLS);
const logs: string[] = [];
const core = await setupGateway(testConfig(dir, b, logs, { fsync: "off" }));
const gw = await serveHttp({
  core,
  upstream: { kind: "url", url: new URL(url) },
  host: "127.0.0.1",
  port: 0,
});
async function session(tag: string, calls: number) {
  const c = new Client({ name: "leak", version: "1.0.0" });
  const t = new StreamableHTTPClientTransport(gw.url);
  await c.connect(t);
  for (let i = 0; i < calls; i++) await c.callTool({ name: "echo", arguments: { text: `${tag}-${i}` } });
  await t.terminateSession();
  await c.close();
}
for (let round = 1; round <= rounds; round++) {
  await Promise.all(Array.from({ length: 50 }, (_, s) => session(`r${round}s${s}`, 40)));
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
child.kill();
