/**
 * Compact JWS (RFC 7515) with EdDSA (RFC 8037, Ed25519) — the envelope of identity assertions and just-in-time
 * credentials. `typ` tells the two apart, so a credential can never pass as an identity or the reverse. Parsing is
 * strict: three base64url parts, a JSON object header with alg "EdDSA", the expected typ and a kid; anything else
 * is "malformed" with a precise message.
 */
import { utf8ToBytes } from "@noble/hashes/utils.js";
import { fromBase64Url, toBase64Url, verifySignatureAsync, type Signer } from "../crypto/ed25519.js";

export interface JwsHeader {
  readonly alg: "EdDSA";
  readonly typ: string;
  readonly kid: string;
}

const encodeJson = (v: unknown) => toBase64Url(utf8ToBytes(JSON.stringify(v)));

/** Sign a payload as a compact JWS. */
export async function signJws(signer: Signer, typ: string, payload: object): Promise<string> {
  const input = `${encodeJson({ alg: "EdDSA", typ, kid: signer.keyId })}.${encodeJson(payload)}`;
  return `${input}.${toBase64Url(await signer.sign(utf8ToBytes(input)))}`;
}

/** A parsed, not yet verified, compact JWS. */
export interface ParsedJws {
  readonly header: JwsHeader;
  readonly payload: Record<string, unknown>;
  readonly signingInput: Uint8Array;
  readonly signature: Uint8Array;
}

function decodeObject(part: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(fromBase64Url(part)));
  } catch {
    throw new Error(`the ${what} is not base64url-encoded JSON`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new Error(`the ${what} is not a JSON object`);
  return value as Record<string, unknown>;
}

/** Parse a compact JWS of the given typ. Throws an Error saying what is malformed. */
export function parseJws(token: string, typ: string): ParsedJws {
  if (typeof token !== "string") throw new Error("the token is not a string");
  const parts = token.split(".");
  if (parts.length !== 3) throw new Error("not a compact JWS (expected three dot-separated parts)");
  const [h, p, s] = parts as [string, string, string];
  const header = decodeObject(h, "header");
  if (header["alg"] !== "EdDSA")
    throw new Error(`unsupported alg ${JSON.stringify(header["alg"])} (expected "EdDSA")`);
  if (header["typ"] !== typ)
    throw new Error(`wrong typ ${JSON.stringify(header["typ"])} (expected "${typ}")`);
  if (typeof header["kid"] !== "string") throw new Error("the header has no kid");
  if (header["crit"] !== undefined) throw new Error("unsupported crit header");
  const payload = decodeObject(p, "payload");
  let signature: Uint8Array;
  try {
    signature = fromBase64Url(s);
  } catch {
    throw new Error("the signature is not base64url");
  }
  if (signature.length !== 64 || toBase64Url(signature) !== s)
    throw new Error("the signature is not 64 bytes of base64url");
  return {
    header: header as unknown as JwsHeader,
    payload,
    signingInput: utf8ToBytes(`${h}.${p}`),
    signature,
  };
}

/** Whether a parsed JWS is signed by this public key. Never throws. */
export function verifyJws(jws: ParsedJws, publicKey: Uint8Array): Promise<boolean> {
  return verifySignatureAsync(jws.signature, jws.signingInput, publicKey);
}
