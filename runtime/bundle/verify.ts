/**
 * Verifying a bundle: the manifest's signature against trusted keys, then every file's SHA-256 against the
 * manifest. A missing file, a file the manifest does not list, one changed byte, an unknown key or a bad
 * signature is refused with a BundleError naming the file. The files are copied before they are hashed, so what
 * was verified is exactly what is used afterwards (no time-of-check/time-of-use gap).
 */
import { fromBase64Url, verifySignatureAsync } from "../crypto/ed25519.js";
import type { PublicKey } from "../crypto/jwk.js";
import {
  bundleHashOf,
  fileDigest,
  Manifest,
  MANIFEST_FILE,
  REQUIRED_FILES,
  signedText,
} from "./manifest.js";

/** A bundle that cannot be loaded; the message names the file at fault. */
export class BundleError extends Error {}

/** A bundle's files: name (relative, `/`-separated) → bytes. */
export type BundleFiles = ReadonlyMap<string, Uint8Array> | Readonly<Record<string, Uint8Array>>;

export interface VerifyOptions {
  /** The keys a bundle may be signed with (e.g. host/keys.ts readKeyDir). */
  readonly trustedKeys: ReadonlyMap<string, PublicKey> | readonly PublicKey[];
  /** Development only: accept a bundle without a signature (a warning is issued every time). */
  readonly allowUnsigned?: boolean;
  /** Where the unsigned-bundle warning goes (default console.warn). */
  readonly warn?: (message: string) => void;
}

/** A bundle whose signature and hashes verified. */
export interface VerifiedBundle {
  readonly manifest: Manifest;
  /** `sha256:` of the signed manifest text (see bundleHashOf). */
  readonly bundleHash: string;
  /** The key id that signed it, or null for an unsigned bundle loaded in development mode. */
  readonly signedBy: string | null;
  /** Private copies of the verified files. */
  readonly files: ReadonlyMap<string, Uint8Array>;
}

function entries(files: BundleFiles): [string, Uint8Array][] {
  if (files instanceof Map) return [...(files as ReadonlyMap<string, Uint8Array>).entries()];
  return Object.entries(files as Readonly<Record<string, Uint8Array>>);
}

function keyById(keys: VerifyOptions["trustedKeys"], kid: string): PublicKey | undefined {
  if (keys instanceof Map) return (keys as ReadonlyMap<string, PublicKey>).get(kid);
  return (keys as readonly PublicKey[]).find((k) => k.keyId === kid);
}

function parseManifest(bytes: Uint8Array | undefined): Manifest {
  if (!bytes) throw new BundleError(`${MANIFEST_FILE}: missing; this is not a bundle`);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw new BundleError(`${MANIFEST_FILE}: not valid UTF-8 JSON`);
  }
  const r = Manifest.safeParse(json);
  if (!r.success) {
    const i = r.error.issues[0];
    const where = i ? i.path.map(String).join(".") || "(root)" : "(root)";
    throw new BundleError(`${MANIFEST_FILE}: ${where}: ${i?.message ?? "invalid"}`);
  }
  return r.data;
}

async function checkSignature(manifest: Manifest, options: VerifyOptions): Promise<string | null> {
  const sig = manifest.signature;
  if (!sig) {
    if (options.allowUnsigned !== true) {
      throw new BundleError(
        `${MANIFEST_FILE}: the bundle is not signed; sign it (aarmc compile --key) or, for development only, allow unsigned bundles`,
      );
    }
    (options.warn ?? console.warn)(
      `WARNING: loading the UNSIGNED bundle of policy '${manifest.policy.name}' (development mode): nothing proves who built it`,
    );
    return null;
  }
  const key = keyById(options.trustedKeys, sig.kid);
  if (!key) throw new BundleError(`${MANIFEST_FILE}: signed by key ${sig.kid}, which is not a trusted key`);
  let value: Uint8Array;
  try {
    value = fromBase64Url(sig.value);
  } catch {
    throw new BundleError(`${MANIFEST_FILE}: signature.value is not base64url`);
  }
  const message = new TextEncoder().encode(signedText(manifest));
  if (!(await verifySignatureAsync(value, message, key.publicKey))) {
    throw new BundleError(`${MANIFEST_FILE}: the signature does not verify with key ${sig.kid} (the manifest was changed after signing)`);
  }
  return sig.kid;
}

/** Verify a bundle. Throws BundleError; never returns a bundle that did not verify. */
export async function verifyBundle(files: BundleFiles, options: VerifyOptions): Promise<VerifiedBundle> {
  const copies = new Map<string, Uint8Array>();
  for (const [name, bytes] of entries(files)) {
    if (!(bytes instanceof Uint8Array)) throw new BundleError(`${name}: not bytes`);
    copies.set(name, new Uint8Array(bytes));
  }
  const manifest = parseManifest(copies.get(MANIFEST_FILE));
  const signedBy = await checkSignature(manifest, options);
  for (const name of REQUIRED_FILES) {
    if (!(name in manifest.files)) throw new BundleError(`${MANIFEST_FILE}: does not list ${name}, which a bundle needs`);
  }
  for (const [name, digest] of Object.entries(manifest.files)) {
    const bytes = copies.get(name);
    if (!bytes) throw new BundleError(`${name}: listed in ${MANIFEST_FILE} but missing from the bundle`);
    if (fileDigest(bytes) !== digest) {
      throw new BundleError(`${name}: its sha256 does not match ${MANIFEST_FILE} (the file was changed after the bundle was built)`);
    }
  }
  const extra = [...copies.keys()].filter((n) => n !== MANIFEST_FILE && !(n in manifest.files)).sort();
  if (extra.length > 0) throw new BundleError(`${extra[0]}: not listed in ${MANIFEST_FILE}; a bundle holds only the files it lists`);
  copies.delete(MANIFEST_FILE);
  return { manifest, bundleHash: bundleHashOf(manifest), signedBy, files: copies };
}
