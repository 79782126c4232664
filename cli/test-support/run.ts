/**
 * Helpers for end-to-end CLI tests: build dist/ once per test file, run `node bin/<program>.js` in a scratch
 * folder, and collect exit status and output.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root. */
export const root = fileURLToPath(new URL("../..", import.meta.url));

/**
 * Compile the package into dist/ (what `npm run build` does). Type errors elsewhere in the tree do not stop the
 * emit (`npm run check` reports them); only a missing CLI entry point is fatal.
 */
export function build(): void {
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  const r = spawnSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], { cwd: root, encoding: "utf8" });
  if (!existsSync(join(root, "dist/cli/index.js"))) {
    throw new Error(`npm run build produced no dist/cli/index.js:\n${r.stdout}${r.stderr}`);
  }
}

/** What a run printed and how it ended. */
export interface RunResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Run a bin script with arguments in `cwd`, with a clean environment (no color, no debug). */
export function run(
  program: "aarm" | "aarmc",
  args: readonly string[],
  cwd: string,
  env: Readonly<Record<string, string>> = {},
): RunResult {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !["NO_COLOR", "FORCE_COLOR", "AARM_DEBUG"].includes(k)),
  );
  const r = spawnSync(process.execPath, [join(root, "bin", `${program}.js`), ...args], {
    cwd,
    env: { ...clean, ...env },
    encoding: "utf8",
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A scratch folder with the given files (text or bytes); `cleanup` removes it. */
export function scratch(files: Readonly<Record<string, string | Uint8Array>>): {
  dir: string;
  cleanup: () => void;
} {
  const dir = mkdtempSync(join(tmpdir(), "aarm-cli-"));
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Deterministic pseudo-random bytes (xorshift32), so a failure can be reproduced. */
export function randomBytes(seed: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}
