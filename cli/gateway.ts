/**
 * `aarm gateway --bundle DIR [--keys DIR | --dev] [options] -- <server command...>` (stdio) and
 * `aarm gateway --bundle DIR --upstream URL --listen 127.0.0.1:PORT` (Streamable HTTP): the MCP gateway
 * (docs/gateway.md). Over stdio, stdout is the MCP channel: everything the gateway says goes to stderr.
 */
import { isAbsolute, join } from "node:path";
import { serveHttp } from "../gateway/http.js";
import { GatewayConfigError, setupGateway, type Gateway, type GatewayConfig } from "../gateway/setup.js";
import { serveStdio } from "../gateway/stdio.js";
import type { UpstreamSpec } from "../gateway/upstream.js";
import { startApprovalServer, type ApprovalServer } from "../host/approvals-http.js";
import type { FsyncPolicy } from "../host/receipt-file.js";
import type { ParsedArgs, UsageError } from "./args.js";
import { EXIT_OK, EXIT_USAGE, type Command } from "./command.js";
import { parseDuration } from "./identity.js";
import type { Io } from "./io.js";

type Options = {
  config: Omit<GatewayConfig, "log">;
  upstream: UpstreamSpec;
  listen: { host: string; port: number } | null;
  /** Close an HTTP session idle this long (ms). */
  sessionIdleMs: number;
  /** The approvals endpoint's port (loopback), or null. */
  approvalsPort: number | null;
};

function parseListen(text: string): { host: string; port: number } | UsageError {
  const m = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):([0-9]{1,5})$/.exec(text);
  const port = m ? Number(m[2]) : NaN;
  if (!m || port > 65535)
    return { error: `invalid --listen '${text}' (expected HOST:PORT, e.g. 127.0.0.1:8931)` };
  return { host: m[1]!.replace(/^\[|\]$/g, ""), port };
}

function parseIssuer(text: string, abs: (p: string) => string): { name: string; path: string } | UsageError {
  const eq = text.indexOf("=");
  if (eq <= 0 || eq === text.length - 1)
    return { error: `invalid --issuer '${text}' (expected NAME=KEYFILE or NAME=DIR)` };
  return { name: text.slice(0, eq), path: abs(text.slice(eq + 1)) };
}

function parseUpstream(args: ParsedArgs, url: string | undefined, cwd: string): UpstreamSpec | UsageError {
  const [command, ...rest] = args.positionals;
  if (url !== undefined && command !== undefined)
    return { error: "give either --upstream URL or a server command after --, not both" };
  if (url !== undefined) {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return { error: `invalid --upstream '${url}' (expected an http:// or https:// URL)` };
    }
    if (u.protocol !== "http:" && u.protocol !== "https:")
      return { error: `invalid --upstream '${url}' (expected an http:// or https:// URL)` };
    return { kind: "url", url: u };
  }
  if (command === undefined)
    return { error: "no tool server: give --upstream URL or a server command after --" };
  return { kind: "command", command, args: rest, cwd };
}

type Get = (name: string) => string | undefined;

/** The bundle and how its signature is trusted; the receipts and their key. */
function parseFiles(
  get: Get,
  dev: boolean,
  abs: (p: string) => string,
): Pick<GatewayConfig, "bundle" | "keys" | "dev" | "receipts" | "key" | "fsync"> | UsageError {
  const bundle = get("bundle");
  if (bundle === undefined) return { error: "--bundle DIR is required" };
  const keys = get("keys");
  if (keys === undefined && !dev)
    return { error: "--keys DIR is required (or --dev to accept an unsigned bundle)" };
  if (keys !== undefined && dev) return { error: "give --keys DIR or --dev, not both" };
  const receipts = get("receipts");
  const key = get("key");
  if (receipts === undefined || key === undefined)
    return { error: "--receipts FILE and --key KEYFILE are required: every decision is receipted" };
  return {
    bundle: abs(bundle),
    keys: keys === undefined ? null : abs(keys),
    dev,
    receipts: abs(receipts),
    key: abs(key),
    fsync: (get("fsync") ?? "group") as FsyncPolicy,
  };
}

/** `--record DIR` and `--timings FILE`, made absolute, when given. */
function optionalPaths(get: Get, abs: (p: string) => string): Pick<GatewayConfig, "record" | "timings"> {
  const record = get("record");
  const timings = get("timings");
  return {
    ...(record !== undefined ? { record: abs(record) } : {}),
    ...(timings !== undefined ? { timings: abs(timings) } : {}),
  };
}

function parsePort(text: string | undefined): number | null | UsageError {
  if (text === undefined) return null;
  const port = /^[0-9]{1,5}$/.test(text) ? Number(text) : NaN;
  return port <= 65535 ? port : { error: `invalid --approvals '${text}' (expected a port number)` };
}

function parse(args: ParsedArgs, io: Io): Options | UsageError {
  const get: Get = (name) => {
    const v = args.options.get(name);
    return typeof v === "string" ? v : undefined;
  };
  const abs = (p: string) => (isAbsolute(p) ? p : join(io.cwd, p));
  const files = parseFiles(get, args.options.has("dev"), abs);
  if ("error" in files) return files;
  const timeoutText = get("upstream-timeout") ?? "60s";
  const upstreamTimeoutMs = parseDuration(timeoutText);
  if (upstreamTimeoutMs === null)
    return {
      error: `invalid --upstream-timeout '${timeoutText}' (expected a number and a unit: 500ms, 30s, 2m)`,
    };
  const issuers: { name: string; path: string }[] = [];
  for (const text of args.lists?.get("issuer") ?? []) {
    const i = parseIssuer(text, abs);
    if ("error" in i) return i;
    issuers.push(i);
  }
  const upstream = parseUpstream(args, get("upstream"), io.cwd);
  if ("error" in upstream) return upstream;
  const listenText = get("listen");
  const listen = listenText === undefined ? null : parseListen(listenText);
  if (listen && "error" in listen) return listen;
  const deferText = get("defer-timeout");
  const deferTimeoutMs = deferText === undefined ? undefined : parseDuration(deferText);
  if (deferTimeoutMs === null)
    return { error: `invalid --defer-timeout '${deferText}' (expected a number and a unit: 30s, 5m)` };
  const idleText = get("session-idle") ?? "30m";
  const sessionIdleMs = parseDuration(idleText);
  if (sessionIdleMs === null)
    return { error: `invalid --session-idle '${idleText}' (expected a number and a unit: 10m, 1h)` };
  const approvalsPort = parsePort(get("approvals"));
  if (approvalsPort !== null && typeof approvalsPort === "object") return approvalsPort;
  const prefix = get("prefix");

  return {
    upstream,
    listen,
    sessionIdleMs,
    approvalsPort,
    config: {
      ...files,
      approvals: approvalsPort !== null,
      ...(prefix !== undefined ? { prefix } : {}),
      list: get("list") === "allowed" ? "allowed" : "all",
      issuers,
      identityMode: get("identity-mode") === "flag" ? "flag" : "enforce",
      ...optionalPaths(get, abs),
      pass: args.lists?.get("pass") ?? [],
      upstreamTimeoutMs,
      ...(deferTimeoutMs !== undefined ? { deferTimeoutMs } : {}),
    },
  };
}

/** Resolves on SIGINT or SIGTERM. */
function interrupted(): Promise<void> {
  return new Promise((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });
}

/** Serve until stopped: HTTP until SIGINT/SIGTERM, stdio until the client closes stdin. */
async function serve(o: Options, core: Gateway, io: Io): Promise<number> {
  const log = (line: string) => io.err(`${line}\n`);
  if (!o.listen) {
    await serveStdio({ core, upstream: o.upstream, stdin: process.stdin, stdout: process.stdout });
    return EXIT_OK;
  }
  let gateway;
  try {
    gateway = await serveHttp({ core, upstream: o.upstream, ...o.listen, idleMs: o.sessionIdleMs });
  } catch (e) {
    const why = (e as { code?: string }).code ?? String(e);
    io.err(`aarm gateway: cannot listen on ${o.listen.host}:${o.listen.port} (${why})\n`);
    return EXIT_USAGE;
  }
  log(`aarm gateway: listening on ${gateway.url.href}`);
  await interrupted();
  await gateway.close();
  return EXIT_OK;
}

async function run(args: ParsedArgs, io: Io): Promise<number | UsageError> {
  const o = parse(args, io);
  if ("error" in o) return o;
  let core: Gateway;
  try {
    core = await setupGateway({ ...o.config, log: (line) => io.err(`${line}\n`) });
  } catch (e) {
    if (!(e instanceof GatewayConfigError)) throw e;
    io.err(`aarm gateway: ${e.message}\n`);
    return EXIT_USAGE;
  }
  let approvals: ApprovalServer | null = null;
  if (core.approvals && o.approvalsPort !== null) {
    try {
      approvals = await startApprovalServer({ service: core.approvals, port: o.approvalsPort });
    } catch (e) {
      io.err(`aarm gateway: approvals: ${e instanceof Error ? e.message : String(e)}\n`);
      await core.close();
      return EXIT_USAGE;
    }
    io.err(`aarm gateway: approvals at ${approvals.url} (aarm approvals list --url ${approvals.url})\n`);
  }
  try {
    return await serve(o, core, io);
  } finally {
    await approvals?.close();
    await core.close();
  }
}

export const gatewayCommand: Command = {
  name: "gateway",
  summary: "an MCP gateway: decide every tool call before it reaches the tool server",
  operands: "[-- SERVER COMMAND...]",
  description:
    "Stand between an MCP client and an MCP server. Over stdio (the default), the client starts the gateway\n" +
    "as its server and the gateway starts the server given after --. With --listen, the gateway serves\n" +
    "Streamable HTTP at http://HOST:PORT/mcp to many concurrent sessions, each relayed to --upstream URL (or to\n" +
    "its own process of the server command). Every tools/call is decided by the bundle's policy first: DENY is\n" +
    "a tool error with the reason and nothing reaches the server; MODIFY forwards the modified arguments.\n" +
    "If the bundle does not load or verify, every call is refused with the reason. See docs/gateway.md.",
  options: [
    {
      name: "bundle",
      short: "b",
      kind: "string",
      valueName: "DIR",
      description: "the compiled policy bundle (aarmc compile -o DIR)",
    },
    {
      name: "keys",
      short: "k",
      kind: "string",
      valueName: "DIR",
      description: "folder of public keys trusted to sign bundles",
    },
    { name: "dev", kind: "boolean", description: "accept an unsigned bundle (development only)" },
    {
      name: "receipts",
      short: "r",
      kind: "string",
      valueName: "FILE",
      description: "append a signed receipt for every decision and outcome to FILE (JSONL)",
    },
    { name: "key", kind: "string", valueName: "KEYFILE", description: "the secret key that signs receipts" },
    {
      name: "fsync",
      kind: "string",
      choices: ["receipt", "group", "decisions", "off"],
      description:
        "receipt durability (default group: every receipt on disk before it counts; docs/receipts.md)",
    },
    {
      name: "approvals",
      kind: "string",
      valueName: "PORT",
      description: "hold STEP_UP for approvers, who answer with aarm approvals on 127.0.0.1:PORT",
    },
    {
      name: "upstream",
      kind: "string",
      valueName: "URL",
      description: "the tool server's Streamable HTTP endpoint",
    },
    {
      name: "listen",
      kind: "string",
      valueName: "HOST:PORT",
      description: "serve Streamable HTTP instead of stdio",
    },
    {
      name: "prefix",
      kind: "string",
      valueName: "NAME",
      description: "the server's tools are NAME.tool in the policy",
    },
    {
      name: "list",
      kind: "string",
      choices: ["all", "allowed"],
      description: "tools/list shows every tool (default) or only those the policy can allow",
    },
    {
      name: "issuer",
      kind: "string",
      valueName: "NAME=KEYS",
      repeatable: true,
      description: "a trusted identity issuer and its public key file or folder",
    },
    {
      name: "identity-mode",
      kind: "string",
      choices: ["enforce", "flag"],
      description: "refuse sessions whose identity does not verify (default), or flag them",
    },
    {
      name: "record",
      kind: "string",
      valueName: "DIR",
      description: "write each session as a recorded session (DIR/<id>.jsonl)",
    },
    {
      name: "timings",
      kind: "string",
      valueName: "FILE",
      description: "on exit, write where the time of each forwarded call went (JSON; docs/gateway.md)",
    },
    {
      name: "pass",
      kind: "string",
      valueName: "METHOD",
      repeatable: true,
      description:
        "also relay this client request, or this request of the server's own (e.g. resources/read, sampling/createMessage)",
    },
    {
      name: "session-idle",
      kind: "string",
      valueName: "DURATION",
      description: "with --listen, close a session unused for DURATION (default 30m)",
    },
    {
      name: "defer-timeout",
      kind: "string",
      valueName: "DURATION",
      description: "deny a DEFER whose rule names no timeout after DURATION (default 5m)",
    },
    {
      name: "upstream-timeout",
      kind: "string",
      valueName: "DURATION",
      description: "fail a forwarded call the server does not answer in time (default 60s)",
    },
  ],
  exitStatus: "0 the gateway stopped (stdin closed, or SIGINT/SIGTERM), 2 usage or configuration error.",
  run,
};
