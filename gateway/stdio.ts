/**
 * The gateway over stdio: the MCP client starts `aarm gateway ... -- <server command>` as if it were the server,
 * and the gateway starts the real server. One process is one session.
 */
import { randomUUID } from "node:crypto";
import type { Readable, Writable } from "node:stream";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { Relay, type GatewayCore } from "./relay.js";
import { upstreamConnector, type UpstreamSpec } from "./upstream.js";

export interface StdioGatewayOptions {
  readonly core: GatewayCore;
  readonly upstream: UpstreamSpec;
  readonly stdin: Readable;
  readonly stdout: Writable;
  /** The session id (default: `stdio-` and a random UUID). */
  readonly sessionId?: string;
}

/** Serve one session on stdin/stdout; resolves when the client closes stdin (or the session is closed). */
export async function serveStdio(o: StdioGatewayOptions): Promise<Relay> {
  const downstream = new StdioServerTransport(o.stdin, o.stdout);
  const upstream = upstreamConnector(o.upstream);
  let ended!: () => void;
  const done = new Promise<void>((resolve) => (ended = resolve));
  const relay = new Relay({
    id: o.sessionId ?? `stdio-${randomUUID()}`,
    downstream,
    connectUpstream: () => upstream.connect(),
    ...o.core,
    onClose: () => ended(),
  });
  o.stdin.once("end", () => void relay.close());
  await downstream.start();
  await done;
  upstream.close();
  return relay;
}
