/**
 * The tool server behind the gateway: a command the gateway starts (one process per client session, spoken to
 * over stdio) or a Streamable HTTP endpoint (one MCP session per client session). Both are the MCP SDK's client
 * transports; over HTTP, on the gateway's own fetch (upstream-fetch.ts) with connections pooled across sessions.
 */
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { upstreamFetch } from "./upstream-fetch.js";

export type UpstreamSpec =
  | {
      readonly kind: "command";
      readonly command: string;
      readonly args: readonly string[];
      readonly cwd?: string;
      /** The server's environment (default: the gateway's). */
      readonly env?: Readonly<Record<string, string>>;
      /** Where the server's stderr goes (default: the gateway's stderr). */
      readonly stderr?: "inherit" | "ignore";
    }
  | { readonly kind: "url"; readonly url: URL; readonly headers?: Readonly<Record<string, string>> };

function processEnv(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined),
  );
}

/** The tool server, as the gateway's sessions reach it. */
export interface Upstream {
  /** A new, unstarted transport to the tool server (one per client session). */
  connect(): Promise<Transport>;
  /** Release what the sessions shared (pooled HTTP connections). */
  close(): void;
}

export function upstreamConnector(spec: UpstreamSpec): Upstream {
  if (spec.kind === "command") {
    return {
      connect: () =>
        Promise.resolve(
          new StdioClientTransport({
            command: spec.command,
            args: [...spec.args],
            env: { ...(spec.env ?? processEnv()) },
            stderr: spec.stderr ?? "inherit",
            ...(spec.cwd !== undefined ? { cwd: spec.cwd } : {}),
          }),
        ),
      close: () => undefined,
    };
  }
  const fetch = upstreamFetch();
  return {
    connect: () =>
      Promise.resolve(
        new StreamableHTTPClientTransport(spec.url, {
          fetch,
          ...(spec.headers ? { requestInit: { headers: { ...spec.headers } } } : {}),
        }),
      ),
    close: () => fetch.close(),
  };
}
