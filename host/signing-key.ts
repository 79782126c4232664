/**
 * Node edge: a signer over a secret key file that reads the key when it first signs and again whenever the file
 * changes (rotation without a restart). A missing, unreadable or invalid key file makes sign() reject with a
 * reason naming the file — the receipt writer then rejects the write and the caller DENIES (fail closed).
 */
import { stat } from "node:fs/promises";
import { createSigner, type Signer } from "../runtime/crypto/ed25519.js";
import { readSecretKey } from "./keys.js";

/** A signer that follows a key file. `keyId`/`publicKey` are those of the key read most recently. */
export interface KeyFileSigner extends Signer {
  readonly path: string;
}

export async function keyFileSigner(path: string): Promise<KeyFileSigner> {
  let current: { signer: Signer; mtimeMs: number; size: number } | null = null;
  async function load(): Promise<Signer> {
    let s;
    try {
      s = await stat(path);
    } catch (e) {
      current = null;
      throw new Error(`signing key ${path}: cannot read (${(e as { code?: string }).code ?? String(e)})`);
    }
    if (current && current.mtimeMs === s.mtimeMs && current.size === s.size) return current.signer;
    let signer: Signer;
    try {
      signer = await createSigner(readSecretKey(path));
    } catch (e) {
      current = null;
      throw new Error(`signing key ${e instanceof Error ? e.message : String(e)}`);
    }
    current = { signer, mtimeMs: s.mtimeMs, size: s.size };
    return signer;
  }
  const first = await load();
  return {
    path,
    get keyId() {
      return current?.signer.keyId ?? first.keyId;
    },
    get publicKey() {
      return current?.signer.publicKey ?? first.publicKey;
    },
    sign: async (message) => (await load()).sign(message),
  };
}
