/**
 * Key files as JSON Web Keys (RFC 8037, OKP/Ed25519), so other tools can read them: a secret key file holds
 * {kty, crv, kid, x, d}; a public key file {kty, crv, kid, x}. `kid` is keyIdOf(x), checked on reading, so a key
 * file cannot claim another key's id.
 */
import { fromBase64Url, keyIdOf, keyPairFromSecret, toBase64Url, type KeyPair } from "./ed25519.js";

export interface PublicJwk {
  readonly kty: "OKP";
  readonly crv: "Ed25519";
  readonly kid: string;
  readonly x: string;
}
export interface SecretJwk extends PublicJwk {
  readonly d: string;
}

/** A public key with its id. */
export interface PublicKey {
  readonly keyId: string;
  readonly publicKey: Uint8Array;
}

export function publicJwk(keys: { readonly publicKey: Uint8Array }): PublicJwk {
  return { kty: "OKP", crv: "Ed25519", kid: keyIdOf(keys.publicKey), x: toBase64Url(keys.publicKey) };
}

export function secretJwk(keys: KeyPair): SecretJwk {
  return { ...publicJwk(keys), d: toBase64Url(keys.secretKey) };
}

function bytes(v: unknown, what: string, length: number): Uint8Array {
  if (typeof v !== "string") throw new Error(`${what} is missing`);
  let b: Uint8Array;
  try {
    b = fromBase64Url(v);
  } catch {
    throw new Error(`${what} is not base64url`);
  }
  if (b.length !== length) throw new Error(`${what} has ${b.length} bytes, expected ${length}`);
  return b;
}

function checkHeader(o: unknown): Record<string, unknown> {
  if (typeof o !== "object" || o === null || Array.isArray(o)) throw new Error("not a JSON object");
  const r = o as Record<string, unknown>;
  if (r["kty"] !== "OKP" || r["crv"] !== "Ed25519")
    throw new Error('not an Ed25519 key (expected "kty":"OKP", "crv":"Ed25519")');
  return r;
}

/** Parse a public (or secret) JWK into a public key. Throws an Error with a precise message. */
export function parsePublicJwk(o: unknown): PublicKey {
  const r = checkHeader(o);
  const publicKey = bytes(r["x"], '"x" (the public key)', 32);
  const keyId = keyIdOf(publicKey);
  if (r["kid"] !== undefined && r["kid"] !== keyId)
    throw new Error(`"kid" ${JSON.stringify(r["kid"])} does not match the key (${keyId})`);
  return { keyId, publicKey };
}

/** Parse a secret JWK into a key pair. Throws an Error with a precise message. */
export function parseSecretJwk(o: unknown): KeyPair {
  const r = checkHeader(o);
  const kp = keyPairFromSecret(bytes(r["d"], '"d" (the secret key)', 32));
  if (r["x"] !== undefined && r["x"] !== toBase64Url(kp.publicKey))
    throw new Error('"x" does not belong to "d"');
  if (r["kid"] !== undefined && r["kid"] !== kp.keyId)
    throw new Error(`"kid" ${JSON.stringify(r["kid"])} does not match the key (${kp.keyId})`);
  return kp;
}
