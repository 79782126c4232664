/**
 * Node edge of the kernel target: a verified bundle's kernel files, clang to build the BPF object, and the
 * aarm-bpf loader (host/bpf/aarm-bpf.c, built by scripts/kernel/build-loader.sh) to load, unload and watch it.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import {
  BundleError,
  verifyBundle,
  type VerifiedBundle,
  type VerifyOptions,
} from "../../runtime/bundle/index.js";
import { readBundleDir } from "../bundle.js";

/** The kernel files a bundle carries (targets/bpf KERNEL_FILES). */
export const BUNDLE_KERNEL = {
  program: "kernel/policy.bpf.c",
  header: "kernel/aarm-kernel.h",
  mapsBin: "kernel/maps.bin",
  mapsJson: "kernel/maps.json",
} as const;

/** Something the kernel target cannot do here; the message says what and why. */
export class KernelError extends Error {
  constructor(
    message: string,
    readonly status = 1,
  ) {
    super(message);
  }
}

/** The verified kernel files of a bundle folder. */
export async function kernelFiles(
  dir: string,
  verify: VerifyOptions,
): Promise<ReadonlyMap<string, Uint8Array>> {
  return (await kernelBundle(dir, verify)).files;
}

/** A verified bundle folder that carries the kernel target. */
export async function kernelBundle(dir: string, verify: VerifyOptions): Promise<VerifiedBundle> {
  let bundle: VerifiedBundle;
  try {
    bundle = await verifyBundle(readBundleDir(dir), verify);
  } catch (e) {
    if (e instanceof BundleError)
      throw new KernelError(e.message.startsWith(dir) ? e.message : `${dir}: ${e.message}`);
    throw e;
  }
  for (const name of Object.values(BUNDLE_KERNEL)) {
    if (!bundle.files.has(name))
      throw new KernelError(`${dir}: the bundle has no ${name} (compiled by an older aarmc?)`);
  }
  return bundle;
}

function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6 && !existsSync(join(dir, "package.json")); i++) dir = dirname(dir);
  return dir;
}

/** Where the loader is: $AARM_BPF_LOADER, or what scripts/kernel/build-loader.sh built. */
export function loaderPath(env: NodeJS.ProcessEnv = process.env): string {
  const p = env["AARM_BPF_LOADER"] ?? join(packageRoot(), "out", "kernel-build", "aarm-bpf");
  if (!existsSync(p)) {
    throw new KernelError(`the aarm-bpf loader is not built (${p}): run scripts/kernel/build-loader.sh`);
  }
  return p;
}

/** The target architecture define clang needs for BPF_PROG on this machine. */
function targetArch(): string {
  return process.arch === "arm64" ? "arm64" : "x86";
}

/** Compile a bundle's BPF program with clang (CO-RE) into `out`. */
export function buildObject(files: ReadonlyMap<string, Uint8Array>, out: string): void {
  const work = mkdtempSync(join(tmpdir(), "aarm-bpf-"));
  try {
    writeFileSync(join(work, "policy.bpf.c"), files.get(BUNDLE_KERNEL.program)!);
    writeFileSync(join(work, "aarm-kernel.h"), files.get(BUNDLE_KERNEL.header)!);
    const multiarch = spawnSync("gcc", ["-print-multiarch"], { encoding: "utf8" });
    const include =
      multiarch.status === 0 && multiarch.stdout.trim() ? [`-I/usr/include/${multiarch.stdout.trim()}`] : [];
    const args = ["-g", "-O2", "-target", "bpf", `-D__TARGET_ARCH_${targetArch()}`, ...include, `-I${work}`];
    const r = spawnSync("clang", [...args, "-c", join(work, "policy.bpf.c"), "-o", out], {
      encoding: "utf8",
    });
    if (r.error)
      throw new KernelError(
        `cannot run clang (${(r.error as { code?: string }).code ?? r.error.message}): install clang and libbpf-dev (scripts/kernel/install-toolchain.sh)`,
      );
    if (r.status !== 0) throw new KernelError(`clang failed:\n${r.stderr.trim()}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Run the loader; its JSON output line(s) on success, a KernelError with its message otherwise. */
export function runLoader(args: readonly string[], env: NodeJS.ProcessEnv = process.env): string {
  const r = spawnSync(loaderPath(env), args, { encoding: "utf8", env });
  if (r.error) throw new KernelError(`cannot run the loader: ${r.error.message}`);
  if (r.status !== 0) {
    const message =
      r.stderr.trim().replace(/^aarm-bpf: /gm, "") || `the loader exited with status ${r.status}`;
    throw new KernelError(message, r.status ?? 1);
  }
  return r.stdout;
}

/** Write a bundle's maps.bin to a temporary file for the loader; returns it and a cleanup function. */
export function tempMaps(files: ReadonlyMap<string, Uint8Array>): { path: string; done: () => void } {
  const work = mkdtempSync(join(tmpdir(), "aarm-maps-"));
  const path = join(work, "maps.bin");
  writeFileSync(path, files.get(BUNDLE_KERNEL.mapsBin)!);
  return { path, done: () => rmSync(work, { recursive: true, force: true }) };
}

/** Run the loader and yield its output lines as they come; throws a KernelError if it fails. */
export async function* loaderLines(
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): AsyncGenerator<string> {
  const child = spawn(loaderPath(env), args, { env, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number>((resolve) => child.on("close", (code) => resolve(code ?? 1)));
  for await (const line of createInterface({ input: child.stdout })) yield line;
  const status = await exited;
  if (status !== 0) {
    throw new KernelError(
      stderr.trim().replace(/^aarm-bpf: /gm, "") || `the loader exited with status ${status}`,
      status,
    );
  }
}
