/**
 * End to end: `node bin/aarm.js ...` and `node bin/aarmc.js ...` after a build, in a scratch folder. Each spawn
 * costs a Node start-up, so each one checks several things; commands.test.ts covers the details in-process.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FILES } from "./test-support/fixtures.js";
import { build, root, run, scratch } from "./test-support/run.js";

let dir = "";
let cleanup = () => {};
const aarm = (...args: string[]) => run("aarm", args, dir);
const aarmc = (...args: string[]) => run("aarmc", args, dir);
const version = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string }).version;

beforeAll(() => {
  build();
  ({ dir, cleanup } = scratch(FILES));
}, 120_000);
afterAll(() => cleanup());

describe("aarm check", () => {
  it("exits 0 on a policy without errors", () => {
    const r = aarm("check", "good.aarm");
    expect(r.status).toBe(0);
    expect(r.stdout).not.toContain(" - error ");
    expect(r.stderr).toBe("");
  });

  it("exits 1 with a rendered diagnostic and a summary", () => {
    const r = aarm("check", "good.aarm", "bad.aarm");
    expect(r.status).toBe(1);
    expect(r.stdout).toBe(
      [
        "bad.aarm:3:21 - error AARM1004: expected ']', found end of file",
        "",
        "3 const limits = [1, 2",
        "                      ^",
        "",
        "Found 1 error in 1 file.",
        "",
      ].join("\n"),
    );
    expect(r.stderr).toBe("");
  });

  it("prints one JSON array for all files: missing, not UTF-8, empty, random bytes", () => {
    const r = aarm(
      "check",
      "--format",
      "json",
      "bad.aarm",
      "missing.aarm",
      "latin1.aarm",
      "empty.aarm",
      "random.aarm",
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toBe("");
    const out = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(out.map((d) => [d["file"], d["code"]])).toEqual([
      ["bad.aarm", "AARM1004"],
      ["missing.aarm", "AARM1000"],
      ["latin1.aarm", "AARM1005"],
      ["empty.aarm", "AARM1008"],
      ["random.aarm", "AARM1005"],
    ]);
    expect(out[0]).toEqual({
      code: "AARM1004",
      severity: "error",
      message: "expected ']', found end of file",
      file: "bad.aarm",
      line: 3,
      column: 21,
      endLine: 3,
      endColumn: 21,
    });
    expect(out[1]).toMatchObject({ message: "cannot read missing.aarm: no such file", line: 1, column: 1 });
    expect(out[2]).toMatchObject({ message: "the file is not valid UTF-8 (first bad byte at offset 11)" });
  });

  it("checks every .aarm file under a directory, skipping hidden folders", () => {
    const r = aarm("check", "--format=json", "tree");
    expect(r.status).toBe(1);
    expect((JSON.parse(r.stdout) as { file: string }[]).map((d) => d.file)).toEqual([
      join("tree", "sub", "b.aarm"),
    ]);
  });

  it("survives control characters and random bytes in text mode", () => {
    const r = aarm("check", "garbage.aarm", "random.aarm");
    expect(r.status).toBe(1);
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain("random.aarm:1:1 - error AARM1005");
    // No raw control characters reach the terminal (they are shown as ␀, ␛, ...).
    const raw = [...r.stdout].filter((ch) => (ch < " " && ch !== "\n" && ch !== "\t") || ch === "\u007f");
    expect(raw).toEqual([]);
  });

  it("exits 2 on a usage error, with the usage line on standard error", () => {
    const r = aarm("check", "--bogus", "good.aarm");
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(
      "aarm check: unknown option '--bogus'\n" +
        "usage: aarm check [--format text|json] [--quiet] FILE|DIR...\n" +
        "Run 'aarm help check' for more.\n",
    );
  });

  it("stays quiet when its output pipe closes early (EPIPE)", () => {
    const bin = join(root, "bin", "aarm.js");
    const script = `"${process.execPath}" "${bin}" check many-errors.aarm 2>err.txt | head -c 100 >/dev/null`;
    spawnSync("sh", ["-c", script], { cwd: dir });
    expect(readFileSync(join(dir, "err.txt"), "utf8")).toBe("");
  });
});

describe("help and version", () => {
  it("aarm --help lists the commands", () => {
    const r = aarm("--help");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(
      `aarm ${version}: decide what AI agents may do (AARM)\n\nusage: aarm <command> [options]\n`,
    );
    expect(r.stdout).toMatch(/\n {2}check +check policies/);
    expect(r.stdout).toMatch(/\n {2}fmt +format policies/);
  });

  it("aarm --version and aarmc --help", () => {
    expect(aarm("--version")).toEqual({ status: 0, stdout: `${version}\n`, stderr: "" });
    const r = aarmc("--help");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/\n {2}compile +check a policy and emit compiler output/);
  });

  it("asks for a build when dist/ is missing", () => {
    const { dir: elsewhere, cleanup: done } = scratch({});
    try {
      mkdirSync(join(elsewhere, "bin"));
      copyFileSync(join(root, "bin", "aarm.js"), join(elsewhere, "bin", "aarm.js"));
      const r = spawnSync(process.execPath, [join(elsewhere, "bin", "aarm.js"), "--help"], {
        encoding: "utf8",
      });
      expect(r.status).toBe(2);
      expect(r.stderr).toContain("run npm run build");
    } finally {
      done();
    }
  });
});

const KERNEL_OUT = ["maps.json", "maps.bin", "policy.bpf.c", "aarm-kernel.h", "enforced.txt"]
  .map((f) => join("out", "kernel", f))
  .join(", ");

describe("aarmc compile and aarm fmt", () => {
  it("compile prints the summary and writes summary.json", () => {
    const r = aarmc("compile", "kernel.aarm", "-o", "out");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('policy "kernel" version "2.1.0"\ndefault: allow\n');
    expect(r.stdout).toContain(
      `Wrote ${join("out", "ir.json")}, ${join("out", "evaluator.mjs")}, ${join("out", "summary.json")}, ${KERNEL_OUT}, ${join("out", "manifest.json")} (unsigned).`,
    );
    const ir = JSON.parse(readFileSync(join(dir, "out", "ir.json"), "utf8")) as Record<string, unknown>;
    expect(ir).toMatchObject({ irVersion: 1, name: "kernel", default: "allow" });
    expect(readFileSync(join(dir, "out", "evaluator.mjs"), "utf8")).toContain("export function create(rt)");
    const s = JSON.parse(readFileSync(join(dir, "out", "summary.json"), "utf8")) as Record<string, unknown>;
    expect(s).toMatchObject({ name: "kernel", version: "2.1.0", default: "allow", labels: ["PII", "PHI"] });
  });

  it("compile exits 1 with diagnostics on standard error", () => {
    const r = aarmc("compile", "bad.aarm");
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("bad.aarm:3:21 - error AARM1004");
  });

  it("fmt --check reports syntax errors and exits 1", () => {
    const r = aarm("fmt", "--check", "kernel.aarm", "bad.aarm");
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("bad.aarm:3:21 - error AARM1004");
  });
});
