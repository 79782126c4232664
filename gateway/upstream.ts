/**
 * The tool server behind the gateway: a command the gateway starts (one process per client session, spoken to
 * over stdio) or a Streamable HTTP endpoint (one MCP session per client session). Both are the MCP SDK's client
 * transports.
 */
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";

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

/** A function that opens a new, unstarted transport to the tool server for each call. */
export function upstreamConnector(spec: UpstreamSpec): () => Promise<Transport> {
  if (spec.kind === "command") {
    return () =>
      Promise.resolve(
        new StdioClientTransport({
          command: spec.command,
          args: [...spec.args],
          env: { ...(spec.env ?? processEnv()) },
          stderr: spec.stderr ?? "inherit",
          ...(spec.cwd !== undefined ? { cwd: spec.cwd } : {}),
        }),
      );
  }
  return () =>
    Promise.resolve(
      new StreamableHTTPClientTransport(
        spec.url,
        spec.headers ? { requestInit: { headers: { ...spec.headers } } } : {},
      ),
    );
}
