/**
 * A trivial MCP server for the gateway's tests and load benchmark: `echo` answers at once, and three tools
 * misbehave on purpose — `crash` exits the process, `garbage` answers with a result that is not a CallToolResult,
 * `silent` never answers — `report` answers its text in a text block with only a status in `structuredContent`
 * (a value the gateway must still trace: provenance), and `ask` asks the client's model a question
 * (`sampling/createMessage`, which the gateway refuses to relay unless passed). Serves stdio by default, or
 * Streamable HTTP with `--http PORT` (0: any free port; the URL is printed on stdout as `listening <url>`).
 *
 *   node --import tsx bench/trivial-server.ts [--http PORT]
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import {
  CallToolRequestSchema,
  CreateMessageResultSchema,
  ListToolsRequestSchema,
} from "@modelcontextprotocol/sdk/types.js";
import { TRIVIAL_TOOLS } from "./trivial-tools.js";

function mcpServer(transport: Transport): Server {
  const server = new Server({ name: "trivial", version: "1.0.0" }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: TRIVIAL_TOOLS }));
  server.setRequestHandler(CallToolRequestSchema, async (req, extra) => {
    const args = req.params.arguments ?? {};
    switch (req.params.name) {
      case "echo":
        return { content: [{ type: "text", text: String(args["text"]) }] };
      case "crash":
        process.exit(3);
        break;
      case "garbage":
        await transport.send({ jsonrpc: "2.0", id: extra.requestId, result: { content: "not a list" } });
        return new Promise(() => undefined);
      case "silent":
        return new Promise(() => undefined);
      case "ask": {
        // A server that asks the client's model whatever the client declared (server.request skips the SDK's
        // capability check unless it is strict), and says what it saw and got.
        const caps = server.getClientCapabilities() ?? {};
        let answer: string;
        try {
          const messages = [{ role: "user", content: { type: "text", text: "Summarise the session" } }];
          const r = await server.request(
            { method: "sampling/createMessage", params: { messages, maxTokens: 16 } },
            CreateMessageResultSchema,
          );
          answer = r.content.type === "text" ? `answered: ${r.content.text}` : `answered: ${r.content.type}`;
        } catch (e) {
          answer = `refused: ${e instanceof Error ? e.message : String(e)}`;
        }
        const declared = {
          sampling: caps.sampling !== undefined,
          elicitation: caps.elicitation !== undefined,
        };
        return { content: [{ type: "text", text: JSON.stringify({ declared, answer }) }] };
      }
      case "report":
        return {
          content: [{ type: "text", text: String(args["text"]) }],
          structuredContent: { status: "received" },
        };
    }
    return { content: [{ type: "text", text: `no tool ${req.params.name}` }], isError: true };
  });
  void server.connect(transport);
  return server;
}

async function body(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return chunks.length ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : undefined;
}

async function serveHttp(port: number): Promise<void> {
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  const http = createServer((req, res) => {
    void (async () => {
      const parsed = req.method === "POST" ? await body(req) : undefined;
      const sid = req.headers["mcp-session-id"];
      let t = typeof sid === "string" ? sessions.get(sid) : undefined;
      if (!t) {
        const transport = new StreamableHTTPServerTransport({
          sessionIdGenerator: randomUUID,
          enableJsonResponse: true,
          onsessioninitialized: (id) => void sessions.set(id, transport),
        });
        transport.onclose = () => transport.sessionId && sessions.delete(transport.sessionId);
        mcpServer(transport);
        t = transport;
      }
      await t.handleRequest(req, res, parsed);
    })();
  });
  await new Promise<void>((resolve) => http.listen(port, "127.0.0.1", resolve));
  process.stdout.write(`listening http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp\n`);
}

const i = process.argv.indexOf("--http");
if (i >= 0) await serveHttp(Number(process.argv[i + 1] ?? 0));
else mcpServer(new StdioServerTransport());
