/**
 * The real-kernel tests (test/kernel/run.sh) as part of `npm test`: when the toolchain is present they boot the
 * test kernel under qemu, and every case the guest prints becomes one test here. Without the toolchain they are
 * skipped with one line saying why (`npm run test:kernel` installs it and runs them).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const cache = process.env["AARM_KERNEL_CACHE"] ?? join(root, "out", "kernel-cache");

function missing(): string | null {
  for (const cmd of ["clang", "gcc", "qemu-system-x86_64", "busybox", "cpio"]) {
    if (spawnSync("sh", ["-c", `command -v ${cmd}`]).status !== 0) return `${cmd} is not installed`;
  }
  if (!existsSync("/usr/include/bpf/libbpf.h")) return "libbpf-dev is not installed";
  const kernels = existsSync(cache) ? readdirSync(cache).filter((d) => d.startsWith("linux-image-")) : [];
  if (kernels.length === 0) return `no test kernel in ${cache}`;
  if (!existsSync(join(root, "dist", "cli", "index.js"))) return "the CLI is not built (npm run build)";
  return null;
}

const why = missing();
let output = "";
let failed = false;
if (why === null) {
  try {
    output = execFileSync(join(root, "test/kernel/run.sh"), {
      cwd: root,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch (e) {
    failed = true;
    output =
      String((e as { stdout?: unknown }).stdout ?? "") + String((e as { stderr?: unknown }).stderr ?? e);
  }
}
const cases = output
  .split("\n")
  .map((l) => /^(PASS|FAIL): (.*)$/.exec(l))
  .filter((m): m is RegExpExecArray => m !== null);

describe("real-kernel tests (test/kernel/run.sh)", () => {
  if (why !== null) {
    console.log(
      `kernel tests skipped: ${why}; run npm run test:kernel to install the toolchain and run them`,
    );
    it.skip(`skipped: ${why}`, () => {});
    return;
  }
  for (const line of output.split("\n").filter((l) => l.startsWith("BENCH:"))) console.log(line);

  it("the guest ran every case and all passed", () => {
    expect(failed, output).toBe(false);
    expect(output).toContain("KERNEL TESTS: ALL PASS");
    expect(cases.length).toBeGreaterThan(50);
  });

  it.each(cases.map((m, i) => [`${m[2]} (#${i + 1})`, m[1]] as const))("%s", (_name, verdict) => {
    expect(verdict).toBe("PASS");
  });
});
