/**
 * `aarm bpf` on the development host: usage errors, `build` of a signed bundle with clang, and the loader's
 * refusal when the kernel cannot enforce. Loading and enforcement themselves are tested in a real kernel
 * (test/kernel/run.sh), since this host refuses BPF LSM programs.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { writeNewKeyPair } from "../host/keys.js";
import { memoryIo } from "./io.js";
import { aarmcProgram, aarmProgram, guarded } from "./main.js";
import { root } from "./test-support/run.js";

const dir = mkdtempSync(join(tmpdir(), "aarm-bpf-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const { secretPath } = writeNewKeyPair(join(dir, "keys"), "release");

async function run(program: "aarm" | "aarmc", ...args: string[]) {
  const io = memoryIo(dir);
  const status = await guarded(program === "aarm" ? aarmProgram() : aarmcProgram(), args, io);
  return { status, stdout: io.stdout(), stderr: io.stderr() };
}

const hasClang =
  spawnSync("sh", ["-c", "command -v clang"]).status === 0 && existsSync("/usr/include/bpf/bpf_helpers.h");
/**
 * The loader: out/kernel-build/aarm-bpf when it was built; else, where libbpf is installed (the kernel toolchain,
 * as in CI), built here for this file, so that its refusal is tested wherever it can be (a failed build fails).
 */
function findLoader(): string | null {
  const built = join(root, "out", "kernel-build", "aarm-bpf");
  if (existsSync(built)) return built;
  if (!existsSync("/usr/include/bpf/libbpf.h")) return null;
  const out = join(dir, "loader");
  const r = spawnSync(join(root, "scripts", "kernel", "build-loader.sh"), {
    env: { ...process.env, AARM_KERNEL_BUILD: out },
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`scripts/kernel/build-loader.sh failed: ${r.stderr}`);
  return join(out, "aarm-bpf");
}
const loader = findLoader();

describe("aarm bpf", () => {
  it.each([
    [[], "expected one of build, load, unload, status, events, check"],
    [["frobnicate"], "unknown action 'frobnicate'"],
    [["load", "b", "--allow-unsigned"], "say whose processes to enforce on"],
    [
      ["load", "b", "--unscoped", "--cgroup", "/x", "--allow-unsigned"],
      "--unscoped and --cgroup exclude each other",
    ],
    [["build", "b"], "--trust KEYDIR is required"],
    [["events", "--receipts", "r.jsonl"], "bpf events --receipts takes the bundle folder"],
    [["status", "extra"], "unexpected operand 'extra'"],
  ])("%j is a usage error: %s", async (args, message) => {
    const r = await run("aarm", "bpf", ...args);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it.runIf(hasClang)(
    "build compiles a signed bundle's program with clang; a tampered bundle is refused",
    async () => {
      expect(
        (
          await run(
            "aarmc",
            "compile",
            join(root, "examples/assistant/policy.aarm"),
            "-o",
            join(dir, "bundle"),
            "--key",
            secretPath,
          )
        ).status,
      ).toBe(0);
      const r = await run("aarm", "bpf", "build", "bundle", "-o", "policy.bpf.o", "--trust", "keys");
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      expect(statSync(join(dir, "policy.bpf.o")).size).toBeGreaterThan(1000);
      const untrusted = await run("aarm", "bpf", "build", "bundle", "--trust", "bundle");
      expect(untrusted.status).toBe(1);
      expect(untrusted.stderr).toMatch(/^aarm bpf build: .*manifest\.json/);
    },
  );

  it.runIf(loader !== null)(
    "the loader says why this kernel cannot enforce (no BTF, bpf LSM not active)",
    () => {
      const sys = join(dir, "sys");
      mkdirSync(join(sys, "kernel", "security"), { recursive: true });
      const check = (env: Record<string, string>) =>
        spawnSync(loader!, ["check"], { env: { ...env }, encoding: "utf8" });
      const noBtf = check({ AARM_SYSFS: sys });
      expect(noBtf.status).toBe(3);
      expect(noBtf.stderr).toContain("this kernel has no BTF");
    },
  );
});
