/**
 * A real OTLP/HTTP receiver on loopback, for tests: a Node HTTP server on 127.0.0.1 (a free port) that accepts
 * POST /v1/logs and /v1/metrics with `content-type: application/json`, validates each body strictly against the
 * protobuf JSON mapping (otlp-json.ts), keeps what it accepted, and answers as a collector does: 200 with an empty
 * Export*ServiceResponse, 400 with a google.rpc.Status JSON for an invalid body, 404/405/415 otherwise. It can be
 * told to answer 503 to the next N requests (an overloaded collector) or to hold requests (a stalled one).
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  ExportLogsServiceRequest,
  ExportMetricsServiceRequest,
  firstProblem,
  type ExportLogsServiceRequest as Logs,
  type ExportMetricsServiceRequest as Metrics,
} from "./otlp-json.js";

export interface OtlpReceiver {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  readonly logs: Logs[];
  readonly metrics: Metrics[];
  /** The headers of every request, in order. */
  readonly headers: IncomingMessage["headers"][];
  /** Requests refused, with why. */
  readonly rejected: { readonly path: string; readonly status: number; readonly reason: string }[];
  /** Answer 503 to the next n requests. */
  failNext(n: number): void;
  /** Hold every request until release() is called. */
  stall(): void;
  release(): void;
  close(): Promise<void>;
}

function body(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const logs: Logs[] = [];
  const metrics: Metrics[] = [];
  const headers: IncomingMessage["headers"][] = [];
  const rejected: { path: string; status: number; reason: string }[] = [];
  let failures = 0;
  let held: (() => void)[] | null = null;

  const server: Server = createServer((req, res) => {
    void (async () => {
      headers.push(req.headers);
      const text = await body(req);
      if (held) await new Promise<void>((r) => held!.push(r));
      const path = req.url ?? "";
      const answer = (status: number, payload: object, reason?: string) => {
        if (reason !== undefined) rejected.push({ path, status, reason });
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(payload));
      };
      if (path !== "/v1/logs" && path !== "/v1/metrics")
        return answer(404, { code: 5, message: "not found" }, "not found");
      if (req.method !== "POST") return answer(405, { code: 12, message: "POST only" }, "method");
      if (!(req.headers["content-type"] ?? "").startsWith("application/json"))
        return answer(415, { code: 3, message: "expected application/json" }, "content-type");
      if (failures > 0) {
        failures--;
        return answer(503, { code: 14, message: "unavailable" }, "told to fail");
      }
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        return answer(400, { code: 3, message: "not JSON" }, "not JSON");
      }
      const schema = path === "/v1/logs" ? ExportLogsServiceRequest : ExportMetricsServiceRequest;
      const parsed = schema.safeParse(json);
      if (!parsed.success) {
        const reason = firstProblem(parsed.error);
        return answer(400, { code: 3, message: reason }, reason);
      }
      if (path === "/v1/logs") logs.push(parsed.data as Logs);
      else metrics.push(parsed.data as Metrics);
      answer(200, {});
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    logs,
    metrics,
    headers,
    rejected,
    failNext: (n) => void (failures = n),
    stall: () => void (held ??= []),
    release() {
      const waiting = held ?? [];
      held = null;
      for (const r of waiting) r();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const r of held ?? []) r();
        held = null;
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
