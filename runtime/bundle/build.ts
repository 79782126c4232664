/**
 * Writing a bundle's manifest: hash every file, and sign the canonical manifest with the compiler's key. Portable
 * (no file system): the caller hands the files as bytes and writes the result wherever it keeps bundles.
 */
import { toBase64Url, type Signer } from "../crypto/ed25519.js";
import {
  BUNDLE_FORMAT,
  fileDigest,
  isBundleFileName,
  MANIFEST_FILE,
  type Manifest,
  manifestBytes,
  REQUIRED_FILES,
  signedText,
  type UnsignedManifest,
} from "./manifest.js";

/** What the manifest says about the policy and its compiler. */
export interface BundleInfo {
  readonly policy: { readonly name: string; readonly version: string | null };
  readonly compiler: { readonly name: string; readonly version: string };
  /** `sha256:` of the canonical IR (Policy.hash). */
  readonly policyHash: string;
}

/** The manifest of a set of files, signed when a signer is given. Throws on a bad file name or a missing file. */
export async function buildManifest(
  files: ReadonlyMap<string, Uint8Array>,
  info: BundleInfo,
  signer?: Signer,
): Promise<{ manifest: Manifest; bytes: Uint8Array }> {
  const digests: Record<string, string> = {};
  for (const name of [...files.keys()].sort()) {
    if (!isBundleFileName(name)) throw new Error(`'${name}' is not a valid bundle file name`);
    digests[name] = fileDigest(files.get(name)!);
  }
  for (const name of REQUIRED_FILES) {
    if (!(name in digests)) throw new Error(`a bundle needs ${name}`);
  }
  const unsigned: UnsignedManifest = {
    format: BUNDLE_FORMAT,
    policy: { name: info.policy.name, version: info.policy.version },
    compiler: { name: info.compiler.name, version: info.compiler.version },
    files: digests,
    policyHash: info.policyHash,
  };
  let manifest: Manifest = unsigned;
  if (signer) {
    const sig = await signer.sign(new TextEncoder().encode(signedText(unsigned)));
    manifest = { ...unsigned, signature: { alg: "Ed25519", kid: signer.keyId, value: toBase64Url(sig) } };
  }
  return { manifest, bytes: manifestBytes(manifest) };
}

export { MANIFEST_FILE };
