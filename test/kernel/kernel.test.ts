/**
 * The real-kernel tests (test/kernel/run.sh) as part of `npm test`: when the toolchain is present they boot the
 * test kernel under qemu, and every case the guest prints becomes one test here. Without the toolchain they are
 * skipped with one line saying why (`npm run test:kernel` installs it and runs them).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { kernelPolicyOf, recordKernelEvents } from "../../host/bpf/events.js";
import { kernelBundle } from "../../host/bpf/kernel-bundle.js";
import { readKeyDir, readSecretKey } from "../../host/keys.js";
import { nodeSigner } from "../../host/node-signer.js";
import { openReceiptFile } from "../../host/receipt-file.js";
import { createReceiptWriter } from "../../runtime/receipts/index.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
// Where run.sh leaves the bundle, its keys and the serial logs.
const work = resolve(root, process.env["AARM_KERNEL_WORK"] ?? join("out", "kernel-test"));
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

  // The receipt half of `aarm bpf events --receipts`, fed with the denials the real kernel reported in the guest
  // (the guest has no Node, so its loader's lines come back over the serial console).
  it("[T1] [C29] the kernel's own denial events become signed receipts of the bundle's rules that aarm verify accepts", async () => {
    const lines = output
      .split("\n")
      .flatMap((l) => (l.startsWith("EVENT: ") ? [l.slice("EVENT: ".length)] : []));
    expect(lines.length, output).toBeGreaterThanOrEqual(6);
    const keys = join(work, "keys");
    const bundle = await kernelBundle(join(work, "bundle"), { trustedKeys: readKeyDir(keys) });
    const policy = kernelPolicyOf(bundle.manifest, bundle.bundleHash, bundle.files.get("kernel/maps.json")!);
    const receiptsPath = join(work, "kernel-receipts.jsonl");
    rmSync(receiptsPath, { force: true });
    const secret = readdirSync(keys).find((f) => f.endsWith(".key.json"))!;
    const file = await openReceiptFile(receiptsPath);
    const writer = createReceiptWriter({ signer: nodeSigner(readSecretKey(join(keys, secret))), sink: file });
    const source = (async function* () {
      yield* lines;
    })();
    const stored: string[] = [];
    const n = await recordKernelEvents(
      source,
      policy,
      (d) => writer.write(d),
      (l) => stored.push(l),
    );
    await file.close();
    expect(n).toBe(lines.length);
    expect(stored).toEqual(lines);

    const verify = spawnSync(
      process.execPath,
      [join(root, "bin/aarm.js"), "verify", receiptsPath, "--keys", keys],
      {
        encoding: "utf8",
      },
    );
    expect(verify.status, verify.stdout + verify.stderr).toBe(0);
    const receipts = readFileSync(receiptsPath, "utf8")
      .split("\n")
      .filter((l) => l !== "")
      .map(
        (l) =>
          JSON.parse(l) as {
            kind: string;
            decision: { result: string; ruleIds: string[]; reasons: string[] };
          },
      );
    expect(receipts.map((r) => r.decision.ruleIds)).toEqual(
      lines.map((l) => [(JSON.parse(l) as { rule: string }).rule]),
    );
    for (const r of receipts) {
      expect(r).toMatchObject({ kind: "kernel", decision: { result: "DENY" } });
      // Every rule the kernel reported is one of the bundle's, and the receipt carries that rule's `because`.
      expect(policy.reasons.has(r.decision.ruleIds[0]!), r.decision.ruleIds[0]).toBe(true);
      const because = policy.reasons.get(r.decision.ruleIds[0]!);
      if (because) expect(r.decision.reasons).toEqual([because]);
    }
  });
});
