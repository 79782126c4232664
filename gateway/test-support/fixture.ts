/**
 * Test fixtures for the gateway: the company-assistant example policy relocated into a scratch folder (its
 * `/srv/...` paths become `<root>/srv/...`, so the real filesystem MCP server can serve them), compiled into a
 * signed bundle by `aarmc compile`, and the command that starts `@modelcontextprotocol/server-filesystem`.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { aarmcProgram, guarded, memoryIo } from "../../cli/index.js";
import { writeNewKeyPair } from "../../host/keys.js";
import { trivialServerCommand } from "../../bench/trivial-tools.js";
import type { GatewayConfig } from "../setup.js";
import type { UpstreamSpec } from "../upstream.js";

export const root = fileURLToPath(new URL("../..", import.meta.url));

export interface Scratch {
  /** The scratch folder (symbolic links resolved, as the filesystem server reports paths). */
  readonly dir: string;
  /** `<dir>/srv`: what the filesystem server may touch. */
  readonly srv: string;
  readonly bundle: string;
  /** Folder with the bundle signer's public key. */
  readonly keys: string;
  /** The release key (secret) that signed the bundle; also used to sign receipts and identities in tests. */
  readonly secretKey: string;
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

/** The example policy with every absolute path (`/srv/...`, `/etc/shadow`, `/root/.ssh`...) moved under `dir`. */
export function relocatedAssistant(dir: string): string {
  const text = readFileSync(join(root, "examples/assistant/policy.aarm"), "utf8");
  return text
    .replaceAll(/"\/(?=[a-z])/g, `"${dir}/`)
    .replaceAll("/^\\/srv\\/", `/^${escapeRegex(`${dir}/srv/`)}`);
}

/** A fresh scratch folder (symbolic links resolved, as the filesystem server reports paths). */
export function scratchDir(): string {
  return realpathSync(mkdtempSync(join(tmpdir(), "aarm-gateway-")));
}

/**
 * Compile `policy` (with its tools.json) into a bundle under `dir`, with `aarmc compile`, signed by a new release
 * key whose public half is in `<dir>/keys`.
 */
export async function compileBundle(
  dir: string,
  policy: string,
  tools: readonly unknown[],
): Promise<{ bundle: string; keys: string; secretKey: string }> {
  const policyDir = join(dir, "policy");
  mkdirSync(policyDir, { recursive: true });
  writeFileSync(join(policyDir, "policy.aarm"), policy);
  writeFileSync(join(policyDir, "tools.json"), JSON.stringify({ tools }));
  const keys = join(dir, "keys");
  const { secretPath } = writeNewKeyPair(keys, "release");
  const bundle = join(dir, "bundle");
  const io = memoryIo(dir);
  const argv = ["compile", join(policyDir, "policy.aarm"), "-o", bundle, "--key", secretPath];
  const status = await guarded(aarmcProgram(), argv, io);
  if (status !== 0) throw new Error(`aarmc compile failed:\n${io.stdout()}${io.stderr()}`);
  return { bundle, keys, secretKey: secretPath };
}

/** A scratch folder with the relocated assistant policy compiled into a signed bundle. */
export async function scratchAssistant(): Promise<Scratch> {
  const dir = scratchDir();
  for (const sub of ["srv/workspace", "srv/hr", "srv/public", "etc"])
    mkdirSync(join(dir, sub), { recursive: true });
  const tools = (
    JSON.parse(readFileSync(join(root, "examples/assistant/tools.json"), "utf8")) as { tools: unknown[] }
  ).tools;
  return { dir, srv: join(dir, "srv"), ...(await compileBundle(dir, relocatedAssistant(dir), tools)) };
}

/** `@modelcontextprotocol/server-filesystem`, serving the folders given. */
export function filesystemServer(...dirs: string[]): UpstreamSpec {
  const entry = createRequire(import.meta.url).resolve(
    "@modelcontextprotocol/server-filesystem/dist/index.js",
  );
  return { kind: "command", command: process.execPath, args: [entry, ...dirs], stderr: "ignore" };
}

/** A gateway configuration for tests: the bundle, receipts in `<dir>/receipts.jsonl` signed by the release key. */
export function testConfig(
  dir: string,
  b: { readonly bundle: string; readonly keys: string; readonly secretKey: string },
  logs: string[],
  overrides: Partial<GatewayConfig> = {},
): GatewayConfig {
  return {
    bundle: b.bundle,
    keys: b.keys,
    dev: false,
    receipts: join(dir, "receipts.jsonl"),
    key: b.secretKey,
    fsync: "off",
    list: "all",
    issuers: [],
    identityMode: "enforce",
    approvals: false,
    pass: [],
    upstreamTimeoutMs: 20_000,
    log: (l) => void logs.push(l),
    ...overrides,
  };
}

/** The trivial MCP server (bench/trivial-server.ts) over Streamable HTTP, in its own process: its URL, and a stop. */
export async function trivialHttpServer(): Promise<{ readonly url: URL; close(): void }> {
  const cmd = trivialServerCommand(["--http", "0"]);
  const child = spawn(cmd.command, cmd.args, { stdio: ["ignore", "pipe", "ignore"] });
  const close = () => void child.kill("SIGKILL");
  for await (const line of createInterface({ input: child.stdout })) {
    const m = /^listening (\S+)/.exec(line);
    if (m) return { url: new URL(m[1]!), close };
  }
  close();
  throw new Error("the trivial server did not start");
}
