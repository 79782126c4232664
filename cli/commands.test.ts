/**
 * The commands in-process (the same code the bin scripts run, without a Node start-up per case): usage errors,
 * help texts, check options, compile output, and fmt. Operands are absolute paths; output shows them relative
 * to the Io's working directory, the scratch folder.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoryIo } from "./io.js";
import { aarmcProgram, aarmProgram, guarded } from "./main.js";
import { BAD, FILES, KERNEL } from "./test-support/fixtures.js";
import { scratch } from "./test-support/run.js";

let dir = "";
let cleanup = () => {};
beforeAll(() => ({ dir, cleanup } = scratch(FILES)));
afterAll(() => cleanup());

/** Run a program in-process; operands ending in .aarm (or naming a folder of FILES) are made absolute. */
async function run(program: "aarm" | "aarmc", ...args: string[]) {
  const io = memoryIo(dir);
  const abs = args.map((a) => (/\.aarm$|^(tree|nothing|out)$/.test(a) ? join(dir, a) : a));
  const status = await guarded(program === "aarm" ? aarmProgram() : aarmcProgram(), abs, io);
  return { status, stdout: io.stdout(), stderr: io.stderr() };
}

describe("usage errors exit 2", () => {
  it.each([
    [["check"], "aarm check: no files given"],
    [
      ["check", "--format", "xml", "good.aarm"],
      "aarm check: invalid value 'xml' for --format (expected 'text' or 'json')",
    ],
    [["check", "--format"], "aarm check: option --format text|json needs a value"],
    [["check", "nothing"], "aarm check: no .aarm files under '"],
    [["chek", "good.aarm"], "aarm: unknown command 'chek' (did you mean 'check'?)"],
    [["--frobnicate"], "aarm: unknown option '--frobnicate'"],
    [[], "aarm: no command given"],
    [["help", "nope"], "aarm: unknown command 'nope'"],
    [["fmt", "--check", "--write", "good.aarm"], "aarm fmt: --check and --write cannot be used together"],
  ])("aarm %j", async (args, message) => {
    const r = await run("aarm", ...args);
    expect(r.status).toBe(2);
    expect(r.stderr.startsWith(message)).toBe(true);
    expect(r.stderr).toMatch(
      /\nusage: aarm .*\nRun 'aarm (help \w+|--help)' for (more|the list of commands)\.\n$/,
    );
    expect(r.stdout).toBe("");
  });

  it.each([
    [["compile"], "aarmc compile: no policy given"],
    [["compile", "good.aarm", "bad.aarm"], "aarmc compile: compile takes one policy"],
    [
      ["compile", "--emit", "wasm", "good.aarm"],
      "aarmc compile: invalid value 'wasm' for --emit",
    ],
    [["compile", "-o"], "aarmc compile: option --out DIR needs a value"],
    [["check", "good.aarm"], "aarmc: unknown command 'check'"],
  ])("aarmc %j", async (args, message) => {
    const r = await run("aarmc", ...args);
    expect(r.status).toBe(2);
    expect(r.stderr.startsWith(message)).toBe(true);
  });
});

describe("help", () => {
  it("help <command> and <command> --help print the same text", async () => {
    const help = await run("aarm", "help", "check");
    expect(help.status).toBe(0);
    expect(help.stdout).toBe(
      [
        "usage: aarm check [--format text|json] [--quiet] FILE|DIR...",
        "",
        "Parse and type-check each policy and report diagnostics. A directory means every .aarm file under it",
        "(hidden folders, node_modules and dist are skipped).",
        "",
        "options:",
        "  --format text|json  output format (default text)",
        "  -q, --quiet         report errors only, without the summary line",
        "  -h, --help          show this help",
        "",
        "exit status: 0 no errors (warnings are allowed), 1 errors found, 2 usage error.",
        "",
      ].join("\n"),
    );
    expect((await run("aarm", "check", "-h")).stdout).toBe(help.stdout);
    expect((await run("aarm", "help", "fmt")).stdout).toMatch(
      /^usage: aarm fmt \[--check\] \[--write\] FILE\|DIR\.\.\.\n/,
    );
    expect((await run("aarmc", "help", "compile")).stdout).toMatch(
      /^usage: aarmc compile \[--out DIR\] \[--emit summary\|ast\|ir\|js\|kernel-maps\|kernel-c\|ir-schema\] \[--key KEYFILE\] POLICY\n/,
    );
  });
});

describe("check", () => {
  it("--quiet keeps errors and drops the summary line", async () => {
    const r = await run("aarm", "check", "-q", "bad.aarm");
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("bad.aarm:3:21 - error AARM1004");
    expect(r.stdout).not.toContain("Found");
  });

  it("names files relative to the working directory", async () => {
    const r = await run("aarm", "check", "--format", "json", "tree");
    expect((JSON.parse(r.stdout) as { file: string }[]).map((d) => d.file)).toEqual([
      join("tree", "sub", "b.aarm"),
    ]);
  });
});

describe("compile", () => {
  it("prints the summary", async () => {
    const r = await run("aarmc", "compile", "kernel.aarm");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(
      "levels: PUBLIC < INTERNAL < CONFIDENTIAL < RESTRICTED (default)\nlabels: PII, PHI\n",
    );
    expect(r.stdout).toContain('constants: 1\n  blocked = ["/usr/bin/nc"]\n');
    expect(r.stdout).toContain('context: 2\n  env: "prod" | "staging"\n  tags: list<string>\n');
    expect(r.stdout).toContain("rules: 3\n  forbid    3  forbid-6, no-ssh-keys, forbid-8\n");
    expect(r.stdout).toContain(
      [
        "kernel-visible rules: 3",
        '  forbid-6: file.open path "/etc/shadow", "/etc/gshadow"',
        '  no-ssh-keys: file.open under "/etc/ssh"',
        "  forbid-8: net.connect to 203.0.113.0/24 port 22",
      ].join("\n"),
    );
  });

  it("emits the AST as JSON, to stdout or to -o", async () => {
    const r = await run("aarmc", "compile", "--emit", "ast", "good.aarm");
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ kind: "Policy", header: { name: { value: "good" } } });
    const w = await run("aarmc", "compile", "--emit=ast", "-o", "out", "good.aarm");
    expect(w.stdout).toBe(`Wrote ${join(dir, "out", "ast.json")}.\n`);
    expect(JSON.parse(readFileSync(join(dir, "out", "ast.json"), "utf8"))).toEqual(JSON.parse(r.stdout));
  });

  it("reports an output directory it cannot create", async () => {
    const r = await run("aarmc", "compile", "-o", join(dir, "good.aarm", "x"), "good.aarm");
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^aarmc compile: cannot write .*ir\.json: a file is in the way\n$/);
  });
});

describe("fmt", () => {
  it("prints, checks and rewrites canonical text", async () => {
    const printed = await run("aarm", "fmt", "kernel.aarm");
    expect(printed.status).toBe(0);
    writeFileSync(join(dir, "p.aarm"), printed.stdout);
    writeFileSync(join(dir, "q.aarm"), KERNEL.replace("default allow", "default    allow"));
    expect((await run("aarm", "fmt", "--check", "p.aarm")).status).toBe(0);
    const stale = await run("aarm", "fmt", "--check", "p.aarm", "q.aarm");
    expect(stale).toEqual({
      status: 1,
      stdout: "q.aarm\n",
      stderr: "1 file would be reformatted; run 'aarm fmt --write' to fix.\n",
    });
    expect(await run("aarm", "fmt", "-w", "q.aarm")).toEqual({ status: 0, stdout: "q.aarm\n", stderr: "" });
    expect(readFileSync(join(dir, "q.aarm"), "utf8")).toBe(printed.stdout);
    expect((await run("aarm", "fmt", "--check", "q.aarm")).status).toBe(0);
  });

  it("reports syntax errors and leaves the file alone", async () => {
    const r = await run("aarm", "fmt", "--write", "bad.aarm");
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("bad.aarm:3:21 - error AARM1004");
    expect(readFileSync(join(dir, "bad.aarm"), "utf8")).toBe(BAD);
  });
});
