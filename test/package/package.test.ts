/**
 * The package as a user installs it: `npm pack` of the built tree, unpacked into a fresh project's node_modules
 * next to its declared dependencies only (devDependencies are not there, as they are not for a user), and used
 * through its entry points alone (`aarm`, `aarm/runtime`, `aarm/host`, `aarm/sessions`, `aarm/gateway`) and its
 * two commands. The host program is TypeScript compiled against the package's own declarations with tsc's
 * defaults (the declarations checked too: no skipLibCheck), so a missing export or a broken type fails here. Needs the build (`npm run build`, which `npm test` runs first).
 */
import { execFileSync, spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { beforeAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  dependencies: Record<string, string>;
  exports: Record<string, string>;
};

/** A recorded session (docs/recorded-sessions.md) for `aarm/sessions` to read. */
const RECORDED = [
  { type: "session", version: 1, id: "s", identity: { human: "ana@corp.example" }, request: "pay the rent" },
  {
    type: "action",
    id: "a1",
    tool: "send_money",
    args: { recipient: "GB29 landlord", amount: 80 },
    expect: "ALLOW",
  },
]
  .map((r) => `${JSON.stringify(r)}\n`)
  .join("");

let files: string[] = [];
let project = "";

/** Run one of the package's commands in the project; its output, or a failure with all it printed. */
function command(name: "aarm" | "aarmc", args: string[]): string {
  const r = spawnSync(process.execPath, [join(project, "node_modules/aarm/bin", `${name}.js`), ...args], {
    cwd: project,
    encoding: "utf8",
  });
  if (r.status !== 0)
    throw new Error(`${name} ${args.join(" ")} exited ${r.status}:\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

/**
 * Once per run, with the package's own commands: keys (bundle, receipts, an identity provider), the policy and
 * its tools, the signed bundle; returns an identity assertion of the provider's for a human.
 */
let token = "";
function signedBundle(): string {
  if (token !== "") return token;
  command("aarm", ["keygen", "--out", "keys", "--name", "release"]);
  command("aarm", ["keygen", "--out", "keys", "--name", "receipts"]);
  command("aarm", ["keygen", "--out", "idp", "--name", "corp-idp"]);
  const tools = [
    {
      name: "send_money",
      inputSchema: {
        type: "object",
        properties: { recipient: { type: "string" }, amount: { type: "number" } },
        required: ["recipient", "amount"],
        additionalProperties: false,
      },
    },
  ];
  writeFileSync(join(project, "tools.json"), JSON.stringify({ tools }));
  writeFileSync(
    join(project, "policy.aarm"),
    [
      `policy "payments" version "1.0.0"`,
      `default deny`,
      `tools from "./tools.json"`,
      `allow send_money when args.amount <= 100`,
      `deny send_money when args.recipient startsWith "US133" because "a known fraud account"`,
      "",
    ].join("\n"),
  );
  command("aarmc", ["compile", "policy.aarm", "-o", "bundle", "--key", "keys/release.key.json"]);
  token = command("aarm", [
    "identity",
    "issue",
    "--key",
    "idp/corp-idp.key.json",
    "--iss",
    "corp-idp",
    "--sub",
    "ana@corp.example",
    "--kind",
    "human",
  ]).trim();
  return token;
}

beforeAll(() => {
  if (!existsSync(join(root, "dist/host/index.js"))) throw new Error("dist/ is not built: run npm run build");
  const dir = mkdtempSync(join(tmpdir(), "aarm-package-"));
  // --ignore-scripts: `prepare` would build again; the tree was built before the tests.
  const out = execFileSync("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", dir], {
    cwd: root,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  const packed = (JSON.parse(out) as { filename: string; files: { path: string }[] }[])[0]!;
  files = packed.files.map((f) => f.path);
  project = join(dir, "project");
  const modules = join(project, "node_modules");
  mkdirSync(modules, { recursive: true });
  execFileSync("tar", ["-xzf", join(dir, packed.filename), "-C", modules]);
  renameSync(join(modules, "package"), join(modules, "aarm"));
  for (const name of [...Object.keys(pkg.dependencies), "@types/node"]) {
    mkdirSync(dirname(join(modules, name)), { recursive: true });
    symlinkSync(join(root, "node_modules", name), join(modules, name), "dir");
  }
  writeFileSync(join(project, "package.json"), JSON.stringify({ type: "module", private: true }));
}, 120_000);

describe("the npm package", () => {
  it("holds every entry point with its declarations, the commands and the kernel sources, and no tests", () => {
    for (const [entry, target] of Object.entries(pkg.exports)) {
      const path = target.replace(/^\.\//, "");
      expect(files, entry).toContain(path);
      if (path.endsWith(".js")) expect(files, entry).toContain(path.replace(/\.js$/, ".d.ts"));
    }
    for (const f of ["bin/aarm.js", "bin/aarmc.js", "bpf-templates/policy.bpf.c", "host/bpf/aarm-bpf.c"])
      expect(files).toContain(f);
    expect(files).toContain("scripts/kernel/build-loader.sh");
    expect(
      files.filter((f) => /\.test\.|test-support|^bench\/|^examples\/|^conformance\/|\.ts$/.test(f)),
    ).toEqual(files.filter((f) => f.endsWith(".d.ts") && !/\.test\.|test-support/.test(f)));
  });

  it("a Node host embeds it through its entry points: compile, a signed bundle, decisions, a verified receipt file", () => {
    const token = signedBundle();
    writeFileSync(
      join(project, "host.ts"),
      `import { compileFile, language } from "aarm";
import { createEnforcer, createIdentityVerifier, createReceiptWriter, type ActionOutcome } from "aarm/runtime";
import { installNodeCrypto, keyFileSigner, loadBundleDir, openReceiptFile, readKeyDir, readPublicKey } from "aarm/host";
import { parseSessions } from "aarm/sessions";
import { MCP_PATH } from "aarm/gateway";

const checked = compileFile("policy.aarm");
const errors = checked.diagnostics.filter((d: language.Diagnostic) => d.severity === "error").length;
installNodeCrypto();
const { policy } = await loadBundleDir("bundle", { trustedKeys: [...readKeyDir("keys").values()] });
const sink = await openReceiptFile("receipts.jsonl", { fsync: "group" });
const receipts = createReceiptWriter({ signer: await keyFileSigner("keys/receipts.key.json"), sink });
const identity = createIdentityVerifier({ issuers: { "corp-idp": [readPublicKey("idp/corp-idp.pub.json")] } });
const enforcer = createEnforcer({ policy, receipts, identity });
const session = await enforcer.openSession({ assertions: [${JSON.stringify(token)}], request: "pay the rent" });
const ran: string[] = [];
const pay = (recipient: string, amount: number): Promise<ActionOutcome> =>
  session.perform({ tool: "send_money", args: { recipient, amount } }, (args) => {
    ran.push(String(args["recipient"]));
    return "sent";
  });
const outcomes = [await pay("GB29 landlord", 80), await pay("US133 0000", 50), await pay("GB29 landlord", 5000)];
await sink.close();
const parsed = parseSessions(${JSON.stringify(RECORDED)});
const sessions = parsed.ok ? parsed.sessions.length : -1;
console.log(JSON.stringify({ errors, effects: outcomes.map((o) => o.effect), ran, sessions, mcpPath: MCP_PATH }));
`,
    );
    const tsc = spawnSync(
      process.execPath,
      [
        join(root, "node_modules/typescript/bin/tsc"),
        "--strict",
        "--target",
        "es2022",
        "--module",
        "nodenext",
        "--moduleResolution",
        "nodenext",
        "--types",
        "node",
        "host.ts",
      ],
      { cwd: project, encoding: "utf8" },
    );
    expect(tsc.stdout + tsc.stderr).toBe("");
    const run = spawnSync(process.execPath, ["host.js"], { cwd: project, encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(JSON.parse(run.stdout)).toEqual({
      errors: 0,
      effects: ["ALLOW", "DENY", "DENY"],
      ran: ["GB29 landlord"],
      sessions: 1,
      mcpPath: "/mcp",
    });
    const verified = command("aarm", ["verify", "receipts.jsonl", "--keys", "keys"]);
    expect(verified).toMatch(/^receipts\.jsonl: 4 receipts verified/); // ALLOW: decision and outcome; each DENY: one
  });

  it("a CommonJS host can require the runtime's entry points (the compiler's, `aarm`, is ESM only)", () => {
    const entries = ["aarm/runtime", "aarm/host", "aarm/sessions", "aarm/gateway"];
    const r = spawnSync(
      process.execPath,
      [
        "--no-warnings",
        "-e",
        `for (const e of ${JSON.stringify(entries)}) console.log(e, Object.keys(require(e)).length > 0)`,
      ],
      { cwd: project, encoding: "utf8" },
    );
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(entries.map((e) => `${e} true\n`).join(""));
  });

  it("its gateway runs from the package in front of a real MCP server: listed tools, a refused call, receipts", async () => {
    signedBundle();
    const server = createRequire(import.meta.url).resolve(
      "@modelcontextprotocol/server-filesystem/dist/index.js",
    );
    const gateway = join(project, "node_modules/aarm/bin/aarm.js");
    const args = ["gateway", "--bundle", "bundle", "--keys", "keys", "--receipts", "gateway.jsonl"];
    args.push("--key", "keys/receipts.key.json", "--", process.execPath, server, project);
    const client = new Client({ name: "package-test", version: "1.0.0" });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [gateway, ...args],
        cwd: project,
        stderr: "ignore",
      }),
    );
    try {
      expect((await client.listTools()).tools.map((t) => t.name)).toContain("read_text_file");
      const r = (await client.callTool({
        name: "read_text_file",
        arguments: { path: join(project, "policy.aarm") },
      })) as {
        content: { type: string; text?: string }[];
        isError?: boolean;
      };
      expect(r.isError).toBe(true);
      expect(r.content[0]?.text).toMatch(/^DENY by policy payments: /);
    } finally {
      await client.close();
    }
    expect(command("aarm", ["verify", "gateway.jsonl", "--keys", "keys"])).toMatch(
      /^gateway\.jsonl: 1 receipts? verified/,
    );
  });
});
