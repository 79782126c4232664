/**
 * `aarmc compile -o DIR --key KEYFILE` end to end, in-process: a signed bundle of a real example policy that the
 * runtime loads from disk with the trusted public key; byte-identical output when compiled twice; one flipped
 * byte in any file on disk refused with the file named; usage errors for --key.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadBundleDir, readBundleDir } from "../host/bundle.js";
import { readKeyDir, writeNewKeyPair } from "../host/keys.js";
import { memoryIo } from "./io.js";
import { aarmcProgram, guarded } from "./main.js";
import { root } from "./test-support/run.js";

const dir = mkdtempSync(join(tmpdir(), "aarm-bundle-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const { secretPath } = writeNewKeyPair(join(dir, "keys"), "release");
const POLICY = join(root, "examples/agentdojo-banking/policy.aarm");

async function aarmc(...args: string[]) {
  const io = memoryIo(dir);
  const status = await guarded(aarmcProgram(), args, io);
  return { status, stdout: io.stdout(), stderr: io.stderr() };
}

describe("aarmc compile --key", () => {
  it("writes a signed bundle that loads with the trusted key, byte-identical when compiled twice", async () => {
    const a = await aarmc("compile", POLICY, "-o", join(dir, "a"), "--key", secretPath);
    expect(a.status).toBe(0);
    expect(a.stdout).toMatch(/manifest\.json \(signed with key ed25519:[0-9a-f]{16}\)\.\n$/);
    expect((await aarmc("compile", POLICY, "-o", join(dir, "b"), "--key", secretPath)).status).toBe(0);
    const [first, second] = [readBundleDir(join(dir, "a")), readBundleDir(join(dir, "b"))];
    expect([...first.keys()]).toEqual([
      "evaluator.mjs",
      "ir.json",
      "kernel/aarm-kernel.h",
      "kernel/enforced.txt",
      "kernel/maps.bin",
      "kernel/maps.json",
      "kernel/policy.bpf.c",
      "manifest.json",
      "summary.json",
    ]);
    for (const [name, bytes] of first) expect(Buffer.from(second.get(name)!).equals(Buffer.from(bytes)), name).toBe(true);

    const bundle = await loadBundleDir(join(dir, "a"), { trustedKeys: readKeyDir(join(dir, "keys")) });
    expect(bundle.manifest).toMatchObject({
      format: "aarm-bundle/1",
      policy: { name: "agentdojo-banking", version: "1.0.0" },
      compiler: { name: "aarmc" },
    });
    expect(bundle.policy.evaluator.kind).toBe("compiled");
    expect(bundle.policy.hash).toBe(bundle.manifest.policyHash);
  });

  it("refuses a bundle folder with one flipped byte in any file", async () => {
    const keys = readKeyDir(join(dir, "keys"));
    for (const name of ["evaluator.mjs", "ir.json", "manifest.json", "summary.json"]) {
      const path = join(dir, "a", name);
      const original = readFileSync(path);
      const changed = Buffer.from(original);
      const at = changed.length >> 1;
      changed[at] = changed[at]! ^ 0x04;
      writeFileSync(path, changed);
      await expect(loadBundleDir(join(dir, "a"), { trustedKeys: keys }), name).rejects.toThrow(new RegExp(`^${name.replace(".", "\\.")}: `));
      writeFileSync(path, original);
    }
    await expect(loadBundleDir(join(dir, "a"), { trustedKeys: keys })).resolves.toBeDefined();
  });

  it("writes an unsigned manifest without --key, which loads only in development mode", async () => {
    const r = await aarmc("compile", POLICY, "-o", join(dir, "dev"));
    expect(r.stdout).toMatch(/manifest\.json \(unsigned\)\.\n$/);
    await expect(loadBundleDir(join(dir, "dev"), { trustedKeys: [] })).rejects.toThrow(/not signed/);
    const warnings: string[] = [];
    await loadBundleDir(join(dir, "dev"), { trustedKeys: [], allowUnsigned: true, warn: (m) => warnings.push(m) });
    expect(warnings).toHaveLength(1);
  });

  it.each([
    [["--key", "k.json"], "aarmc compile: --key signs a bundle: use it with -o DIR and without --emit"],
    [["-o", "x", "--emit", "ir", "--key", "k.json"], "aarmc compile: --key signs a bundle"],
    [["-o", "x", "--key", "missing.key.json"], "aarmc compile: missing.key.json: cannot read the key file (ENOENT)"],
  ])("%j is an error (exit 2)", async (args, message) => {
    const r = await aarmc("compile", POLICY, ...args);
    expect(r.status).toBe(2);
    expect(r.stderr.startsWith(message)).toBe(true);
  });
});
