/**
 * Loading a verified bundle: the IR from ir.json and the compiled evaluator from evaluator.mjs, both taken from
 * the bytes that were verified (the evaluator is imported from a data: URL of those bytes, never re-read from
 * disk). The loaded Policy carries the bundle's hash, so every decision (and receipt) names the bundle.
 */
import { loadPolicy, type LoadOptions, type Policy } from "../api.js";
import { evaluatorFromSource } from "../compiled.js";
import type { Manifest } from "./manifest.js";
import { BundleError, type BundleFiles, verifyBundle, type VerifyOptions } from "./verify.js";

export interface BundleLoadOptions extends VerifyOptions, Omit<LoadOptions, "evaluator" | "bundleHash"> {}

/** A loaded bundle. */
export interface LoadedBundle {
  readonly policy: Policy;
  readonly manifest: Manifest;
  readonly bundleHash: string;
  readonly signedBy: string | null;
  /** Every verified file (e.g. kernel artifacts for a host that attaches them). */
  readonly files: ReadonlyMap<string, Uint8Array>;
}

const utf8 = (name: string, bytes: Uint8Array): string => {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new BundleError(`${name}: not valid UTF-8`);
  }
};

/** Verify and load a bundle. Throws BundleError naming the file at fault. */
export async function loadBundle(files: BundleFiles, options: BundleLoadOptions): Promise<LoadedBundle> {
  const verified = await verifyBundle(files, options);
  const { manifest } = verified;
  let ir: unknown;
  try {
    ir = JSON.parse(utf8("ir.json", verified.files.get("ir.json")!));
  } catch (e) {
    throw e instanceof BundleError ? e : new BundleError("ir.json: not valid JSON");
  }
  const source = (ir as { source?: { sha256?: unknown } } | null)?.source?.sha256;
  let evaluator;
  try {
    evaluator = await evaluatorFromSource(
      utf8("evaluator.mjs", verified.files.get("evaluator.mjs")!),
      typeof source === "string" ? source : "",
    );
  } catch (e) {
    throw new BundleError(`evaluator.mjs: ${e instanceof Error ? e.message : String(e)}`);
  }
  const { trustedKeys: _k, allowUnsigned: _a, warn: _w, ...load } = options;
  let policy: Policy;
  try {
    policy = loadPolicy(ir, { ...load, evaluator, bundleHash: verified.bundleHash });
  } catch (e) {
    throw new BundleError(`ir.json: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (policy.hash !== manifest.policyHash) {
    throw new BundleError(`ir.json: its hash ${policy.hash} is not the manifest's policyHash ${manifest.policyHash}`);
  }
  if (policy.ir.name !== manifest.policy.name || policy.ir.version !== manifest.policy.version) {
    throw new BundleError(`ir.json: policy '${policy.ir.name}' is not the manifest's '${manifest.policy.name}'`);
  }
  return { policy, manifest, bundleHash: verified.bundleHash, signedBy: verified.signedBy, files: verified.files };
}
