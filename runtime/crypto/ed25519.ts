/**
 * Ed25519 for receipts, bundles, identity assertions and credentials. WebCrypto's Ed25519 where the host has it
 * (native in Node >= 20, Deno, Bun, recent browsers; several times faster), @noble/ed25519 (audited, pure JS) as
 * the portable fallback. Keys travel as raw 32-byte values (base64url); a key id is derived from the public key, so
 * a verifier can pick the right key out of a folder of rotated keys without trusting anything else in a message.
 */
import * as noble from "@noble/ed25519";
import { sha256, sha512 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";

noble.hashes.sha512 = sha512;

/** A key pair as raw bytes. */
export interface KeyPair {
  readonly secretKey: Uint8Array;
  readonly publicKey: Uint8Array;
  /** `ed25519:` + the first 16 hex digits of sha256(publicKey). */
  readonly keyId: string;
}

/** The key id of a raw public key. */
export function keyIdOf(publicKey: Uint8Array): string {
  return `ed25519:${bytesToHex(sha256(publicKey)).slice(0, 16)}`;
}

const B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/**
 * base64url without padding (RFC 4648 §5). The text is built by concatenating characters of the alphabet (what it
 * encodes is small: keys, signatures, JWS parts): half the time of collecting char codes in an array and
 * converting them at the end, which a receipt pays for its signature.
 */
export function toBase64Url(bytes: Uint8Array): string {
  const rest = bytes.length % 3;
  const full = bytes.length - rest;
  let text = "";
  for (let i = 0; i < full; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    text += B64URL[n >> 18]! + B64URL[(n >> 12) & 63]! + B64URL[(n >> 6) & 63]! + B64URL[n & 63]!;
  }
  if (rest > 0) {
    const n = (bytes[full]! << 16) | (rest === 2 ? bytes[full + 1]! << 8 : 0);
    text += B64URL[n >> 18]! + B64URL[(n >> 12) & 63]!;
    if (rest === 2) text += B64URL[(n >> 6) & 63]!;
  }
  return text;
}

/** Decode base64url (padding optional). Throws on anything that is not base64url. */
export function fromBase64Url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*={0,2}$/.test(text)) throw new Error("not base64url");
  const b = atob(text.replace(/=+$/, "").replace(/-/g, "+").replace(/_/g, "/"));
  const out = new Uint8Array(b.length);
  for (let i = 0; i < b.length; i++) out[i] = b.charCodeAt(i);
  return out;
}

type Subtle = SubtleCrypto;
const subtle: Subtle | undefined = (globalThis as { crypto?: { subtle?: Subtle } }).crypto?.subtle;

let webCryptoOk: Promise<boolean> | undefined;
/** Whether this host's WebCrypto signs Ed25519 (probed once). */
export function hasWebCryptoEd25519(): Promise<boolean> {
  webCryptoOk ??= (async () => {
    if (!subtle) return false;
    try {
      const kp = await noble.keygenAsync();
      await importSecret(kp.secretKey, kp.publicKey);
      return true;
    } catch {
      return false;
    }
  })();
  return webCryptoOk;
}

// PKCS#8 prefix for a raw Ed25519 seed (RFC 8410).
const PKCS8_PREFIX = Uint8Array.from([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
]);

function importSecret(secretKey: Uint8Array, _publicKey: Uint8Array): Promise<CryptoKey> {
  const pkcs8 = new Uint8Array(PKCS8_PREFIX.length + 32);
  pkcs8.set(PKCS8_PREFIX);
  pkcs8.set(secretKey, PKCS8_PREFIX.length);
  return subtle!.importKey("pkcs8", pkcs8, { name: "Ed25519" }, false, ["sign"]);
}

/** A new random key pair. */
export function generateKeyPair(): KeyPair {
  const secretKey = noble.utils.randomSecretKey();
  const publicKey = noble.getPublicKey(secretKey);
  return { secretKey, publicKey, keyId: keyIdOf(publicKey) };
}

/** The key pair of a raw 32-byte secret key. Throws on a wrong length. */
export function keyPairFromSecret(secretKey: Uint8Array): KeyPair {
  if (secretKey.length !== 32) throw new Error(`an Ed25519 secret key has 32 bytes, got ${secretKey.length}`);
  const publicKey = noble.getPublicKey(secretKey);
  return { secretKey, publicKey, keyId: keyIdOf(publicKey) };
}

/**
 * Something that signs messages with one key. sign() may return the signature directly (a host's native,
 * synchronous Ed25519: the receipt writer then signs without a round trip through the event loop) or a promise
 * (WebCrypto); it throws or rejects when it cannot sign.
 */
export interface Signer {
  readonly keyId: string;
  readonly publicKey: Uint8Array;
  sign(message: Uint8Array): Uint8Array | Promise<Uint8Array>;
}

/** A signer over a key pair: WebCrypto when available, @noble/ed25519 otherwise (same signatures: Ed25519 is deterministic). */
export async function createSigner(
  keys: KeyPair,
  options: { readonly backend?: "auto" | "webcrypto" | "noble" } = {},
): Promise<Signer> {
  const backend = options.backend ?? "auto";
  const useWeb = backend === "webcrypto" || (backend === "auto" && (await hasWebCryptoEd25519()));
  if (useWeb) {
    if (!subtle) throw new Error("WebCrypto is not available in this host");
    const key = await importSecret(keys.secretKey, keys.publicKey);
    return {
      keyId: keys.keyId,
      publicKey: keys.publicKey,
      sign: async (m) => new Uint8Array(await subtle.sign({ name: "Ed25519" }, key, m as BufferSource)),
    };
  }
  return { keyId: keys.keyId, publicKey: keys.publicKey, sign: (m) => noble.signAsync(m, keys.secretKey) };
}

/** Verify a signature (synchronous, pure JS, so verification works offline anywhere). Never throws. */
export function verifySignature(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  try {
    return noble.verify(signature, message, publicKey);
  } catch {
    return false;
  }
}

const importedPublic = new Map<string, Promise<CryptoKey>>();

/**
 * Verify a signature with WebCrypto where available (about 20× faster than pure JS), else @noble/ed25519.
 * Never throws and never rejects.
 */
export async function verifySignatureAsync(
  signature: Uint8Array,
  message: Uint8Array,
  publicKey: Uint8Array,
): Promise<boolean> {
  if (!(await hasWebCryptoEd25519())) return verifySignature(signature, message, publicKey);
  try {
    const id = toBase64Url(publicKey);
    let key = importedPublic.get(id);
    if (!key) {
      key = subtle!.importKey("raw", publicKey as BufferSource, { name: "Ed25519" }, false, ["verify"]);
      if (importedPublic.size > 1024) importedPublic.clear();
      importedPublic.set(id, key);
    }
    return await subtle!.verify(
      { name: "Ed25519" },
      await key,
      signature as BufferSource,
      message as BufferSource,
    );
  } catch {
    return false;
  }
}
