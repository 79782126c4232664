/**
 * Signed policy bundles: building a manifest (build.ts), verifying one (verify.ts), and loading a verified bundle
 * into a Policy (load.ts). Portable: files come in as bytes; host/bundle.ts reads them from a folder.
 */
export { buildManifest, type BundleInfo } from "./build.js";
export { loadBundle, type BundleLoadOptions, type LoadedBundle } from "./load.js";
export {
  BUNDLE_FORMAT,
  bundleHashOf,
  fileDigest,
  isBundleFileName,
  Manifest,
  MANIFEST_FILE,
  manifestBytes,
  REQUIRED_FILES,
  signedText,
  type ManifestSignature,
  type UnsignedManifest,
} from "./manifest.js";
export { BundleError, verifyBundle, type BundleFiles, type VerifiedBundle, type VerifyOptions } from "./verify.js";
