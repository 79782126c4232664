/**
 * The MCP SDK's own client, connected to a gateway over Streamable HTTP, and what tests read from tool results.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { constants, openSync, closeSync, writeSync } from "node:fs";

/** Connect a client, with HTTP headers on every request (identity assertions, the user's request). */
export async function connect(
  url: URL,
  headers: Record<string, string> = {},
  name = "test-agent",
): Promise<Client> {
  const client = new Client({ name, version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers } }));
  return client;
}

/** The text of a tool result, and whether it is an error. */
export function textOf(result: unknown): { text: string; isError: boolean } {
  const r = result as { content?: { type: string; text?: string }[]; isError?: boolean };
  const text = (r.content ?? []).map((c) => (c.type === "text" ? (c.text ?? "") : "")).join("\n");
  return { text, isError: r.isError === true };
}

/**
 * Whether some process holds `fifo` open for reading: opening the write end without blocking fails with ENXIO
 * when nobody reads. If a reader is waiting, `payload` is written to it and the write end closed.
 */
export function fifoHasReader(fifo: string, payload = ""): boolean {
  let fd: number;
  try {
    fd = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
  } catch (e) {
    if ((e as { code?: string }).code === "ENXIO") return false;
    throw e;
  }
  writeSync(fd, payload);
  closeSync(fd);
  return true;
}

/** Poll `check` every 20 ms until it is true or `ms` passed. */
export async function eventually(check: () => boolean, ms = 5000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return check();
}
