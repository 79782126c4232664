/**
 * The floor of one more loopback HTTP hop, for the gateway load benchmark (bench/gateway-load.ts): a reverse proxy
 * on node:http that forwards each request's bytes to the server and the answer's bytes back, parsing nothing (no
 * JSON, no MCP). Its connections to the server are kept alive and pooled, as the gateway's are. The URL to give
 * clients is printed on stdout as `listening <url>`.
 *
 *   node --import tsx bench/raw-proxy.ts UPSTREAM_URL
 */
import { Agent, createServer, request } from "node:http";
import type { AddressInfo } from "node:net";

const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "upgrade", "proxy-connection"]);

const target = new URL(process.argv[2] ?? "");
const agent = new Agent({ keepAlive: true, timeout: 2000 });

const server = createServer((req, res) => {
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) headers[k] = v;
  headers["host"] = target.host;
  const up = request(
    { host: target.hostname, port: target.port, path: req.url, method: req.method, headers, agent },
    (answer) => {
      const back: Record<string, string | string[]> = {};
      for (const [k, v] of Object.entries(answer.headers))
        if (v !== undefined && !HOP_BY_HOP.has(k)) back[k] = v;
      res.writeHead(answer.statusCode ?? 502, back);
      answer.pipe(res);
    },
  );
  up.on("error", (e) => {
    if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
    res.end(`proxy: ${e.message}`);
  });
  req.pipe(up);
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  const port = (server.address() as AddressInfo).port;
  process.stdout.write(`listening http://127.0.0.1:${port}${target.pathname}\n`);
});
