/**
 * The suite policies as deployed: each `examples/agentdojo-SUITE/policy.aarm` is compiled by `aarmc compile -o DIR
 * --key KEY` (the real command, in-process) into a bundle signed with a throwaway key made for this run, and
 * loaded back through the verifying bundle loader with that key as the only trusted one.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { aarmcProgram, guarded } from "../../cli/main.js";
import { memoryIo } from "../../cli/io.js";
import { loadBundleDir } from "../../host/bundle.js";
import { readKeyDir, writeNewKeyPair } from "../../host/keys.js";
import type { LoadedBundle } from "../../runtime/bundle/index.js";

/** A step of the pipeline failed; the message says which and why. */
export class EfficacyError extends Error {}

/** The policy file of a suite. */
export function suitePolicy(examples: string, suite: string): string {
  return join(examples, `agentdojo-${suite}`, "policy.aarm");
}

/** Compile, sign and load the bundle of every suite; `work` is an empty scratch folder. */
export async function loadSuiteBundles(
  examples: string,
  suites: readonly string[],
  work: string,
): Promise<Map<string, LoadedBundle>> {
  const { secretPath } = writeNewKeyPair(join(work, "keys"), "efficacy");
  const trustedKeys = readKeyDir(join(work, "keys"));
  const bundles = new Map<string, LoadedBundle>();
  for (const suite of suites) {
    const policy = suitePolicy(examples, suite);
    if (!existsSync(policy)) throw new EfficacyError(`suite '${suite}': no policy at ${policy}`);
    const dir = join(work, "bundles", suite);
    const io = memoryIo(work);
    const status = await guarded(aarmcProgram(), ["compile", policy, "-o", dir, "--key", secretPath], io);
    if (status !== 0) {
      throw new EfficacyError(
        `suite '${suite}': aarmc compile failed (exit ${status}):\n${io.stderr().trimEnd()}`,
      );
    }
    try {
      bundles.set(suite, await loadBundleDir(dir, { trustedKeys }));
    } catch (e) {
      throw new EfficacyError(
        `suite '${suite}': the bundle was refused: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  }
  return bundles;
}
