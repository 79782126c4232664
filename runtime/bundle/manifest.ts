/**
 * The bundle manifest: what a compiled policy bundle contains (every file with its SHA-256), which policy it is,
 * which compiler made it, and an Ed25519 signature over the canonical JSON (RFC 8785) of everything else. The
 * file list is open-ended: a bundle carries whatever its targets emit (the IR, the JS evaluator, kernel artifacts),
 * and the loader checks every file it names and refuses any it does not.
 */
import { z } from "zod";
import { canonicalJson } from "../session/canonical-json.js";
import { sha256BytesHex } from "../crypto/sha256.js";
import { sha256Hex } from "../session/hash.js";

/** The manifest format this runtime reads and writes. */
export const BUNDLE_FORMAT = "aarm-bundle/1";
/** The manifest's own file name inside a bundle. */
export const MANIFEST_FILE = "manifest.json";
/** The files a loadable bundle must contain (besides the manifest). */
export const REQUIRED_FILES = ["ir.json", "evaluator.mjs"] as const;

const Digest = z.string().regex(/^sha256:[0-9a-f]{64}$/, "expected sha256:<64 hex digits>");

/**
 * A file name inside a bundle: relative, `/`-separated, no empty, `.` or `..` segments, no backslashes, and not
 * the manifest itself.
 */
export function isBundleFileName(name: string): boolean {
  if (name === MANIFEST_FILE || name.length === 0 || name.length > 255) return false;
  return name.split("/").every((s) => /^[A-Za-z0-9_][A-Za-z0-9._-]*$/.test(s) && s !== "." && s !== "..");
}

const FileName = z.string().refine(isBundleFileName, "not a valid bundle file name");

export const Signature = z
  .object({
    alg: z.literal("Ed25519"),
    /** The signing key's id (`ed25519:` + 16 hex digits, see runtime/crypto/ed25519.ts keyIdOf). */
    kid: z.string().min(1),
    /** The signature, base64url. */
    value: z.string().regex(/^[A-Za-z0-9_-]+$/, "expected base64url"),
  })
  .strict();

export const Manifest = z
  .object({
    format: z.literal(BUNDLE_FORMAT),
    policy: z.object({ name: z.string(), version: z.string().nullable() }).strict(),
    compiler: z.object({ name: z.string(), version: z.string() }).strict(),
    /** Every file of the bundle except the manifest: name → `sha256:<hex>` of its bytes. */
    files: z.record(FileName, Digest),
    /** `sha256:` of the canonical JSON of the IR: the same value as the loaded Policy's `hash`. */
    policyHash: Digest,
    signature: Signature.optional(),
  })
  .strict();

export type Manifest = z.infer<typeof Manifest>;
export type ManifestSignature = z.infer<typeof Signature>;
export type UnsignedManifest = Omit<Manifest, "signature">;

/** `sha256:<hex>` of some bytes. */
export function fileDigest(bytes: Uint8Array): string {
  return `sha256:${sha256BytesHex(bytes)}`;
}

/** The exact text the signature covers: the canonical JSON of the manifest without its signature. */
export function signedText(manifest: UnsignedManifest | Manifest): string {
  const { signature: _signature, ...rest } = manifest as Manifest;
  return canonicalJson(rest);
}

/**
 * The bundle's hash, `sha256:` of the signed text: it names the bundle's contents (every file and the policy), is
 * the same whether or not (and by whom) the bundle was signed, and is what receipts record.
 */
export function bundleHashOf(manifest: UnsignedManifest | Manifest): string {
  return `sha256:${sha256Hex(signedText(manifest))}`;
}

/** A manifest as the bytes of manifest.json (pretty, keys sorted, newline-terminated, so the file is stable). */
export function manifestBytes(manifest: Manifest): Uint8Array {
  const sorted = JSON.parse(canonicalJson(manifest)) as unknown;
  return new TextEncoder().encode(`${JSON.stringify(sorted, null, 2)}\n`);
}
