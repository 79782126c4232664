/**
 * `aarmc compile -o DIR [--key KEYFILE]`: the output folder as a bundle. Every artifact plus manifest.json, which
 * lists each file's SHA-256 and, with a key, is signed with Ed25519 (runtime/bundle). The bytes depend only on the
 * sources and the compiler version, so compiling the same sources twice gives byte-identical bundles.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { readSecretKey } from "../host/keys.js";
import { buildManifest, MANIFEST_FILE } from "../runtime/bundle/index.js";
import { createSigner, type Signer } from "../runtime/crypto/ed25519.js";
import type { IrPolicy } from "../runtime/ir/index.js";
import { hashJson } from "../runtime/session/hash.js";
import { packageVersion } from "./version.js";

/** The signer of a secret key file; throws a KeyFileError naming the file. */
export async function signerFromKeyFile(path: string): Promise<Signer> {
  return createSigner(readSecretKey(path));
}

/** A bundle's files as the bytes written (text as UTF-8). */
function asBytes(files: ReadonlyMap<string, string | Uint8Array>): Map<string, Uint8Array> {
  const encoder = new TextEncoder();
  return new Map(
    [...files].map(([name, v]) => [name, typeof v === "string" ? encoder.encode(v) : v] as const),
  );
}

/** The manifest.json of a bundle's files (name → text), signed when a signer is given. */
export async function bundleManifest(
  files: ReadonlyMap<string, string | Uint8Array>,
  ir: IrPolicy,
  signer?: Signer,
): Promise<Uint8Array> {
  const { bytes: manifest } = await buildManifest(
    asBytes(files),
    {
      policy: { name: ir.name, version: ir.version },
      compiler: { name: "aarmc", version: packageVersion() },
      policyHash: `sha256:${hashJson(ir)}`,
    },
    signer,
  );
  return manifest;
}

/** A file of the bundle could not be written. */
export class BundleWriteError extends Error {
  constructor(
    readonly target: string,
    override readonly cause: unknown,
  ) {
    super(`cannot write ${target}`);
  }
}

/** Write a bundle's files and then its manifest into dir; returns the paths written, manifest last. */
export async function writeBundle(
  dir: string,
  files: ReadonlyMap<string, string | Uint8Array>,
  ir: IrPolicy,
  signer?: Signer,
): Promise<string[]> {
  const bytes = asBytes(files); // encoded once: hashed for the manifest, then written
  const manifest = await bundleManifest(bytes, ir, signer);
  const written: string[] = [];
  for (const [name, content] of [...bytes, [MANIFEST_FILE, manifest] as const]) {
    const target = join(dir, name);
    try {
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, content);
    } catch (e) {
      throw new BundleWriteError(target, e);
    }
    written.push(target);
  }
  return written;
}
