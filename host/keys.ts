/**
 * Node edge: key files on disk. A key folder holds `<name>.pub.json` public keys (any number: rotated keys stay
 * so old receipts and bundles still verify) and, where this host signs, `<name>.key.json` secret keys (mode 0600).
 */
import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { generateKeyPair, type KeyPair } from "../runtime/crypto/ed25519.js";
import {
  parsePublicJwk,
  parseSecretJwk,
  publicJwk,
  secretJwk,
  type PublicKey,
} from "../runtime/crypto/jwk.js";

/** A problem with a key file, naming the file. */
export class KeyFileError extends Error {}

function readJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new KeyFileError(
      `${path}: cannot read the key file (${code ?? (e instanceof Error ? e.message : String(e))})`,
    );
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new KeyFileError(`${path}: not valid JSON`);
  }
}

/** Read a secret key file. */
export function readSecretKey(path: string): KeyPair {
  try {
    return parseSecretJwk(readJson(path));
  } catch (e) {
    if (e instanceof KeyFileError) throw e;
    throw new KeyFileError(`${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Read a public key file (a secret key file also yields its public key). */
export function readPublicKey(path: string): PublicKey {
  try {
    return parsePublicJwk(readJson(path));
  } catch (e) {
    if (e instanceof KeyFileError) throw e;
    throw new KeyFileError(`${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Every `*.pub.json` in a folder, by key id. Throws KeyFileError on an unreadable folder or a bad key file. */
export function readKeyDir(dir: string): Map<string, PublicKey> {
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((n) => n.endsWith(".pub.json"))
      .sort();
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new KeyFileError(`${dir}: cannot read the key folder (${code ?? String(e)})`);
  }
  const keys = new Map<string, PublicKey>();
  for (const n of names) {
    const k = readPublicKey(join(dir, n));
    keys.set(k.keyId, k);
  }
  return keys;
}

/** Generate a key pair and write `<name>.key.json` (0600) and `<name>.pub.json` into dir. */
export function writeNewKeyPair(
  dir: string,
  name: string,
): { keys: KeyPair; secretPath: string; publicPath: string } {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name))
    throw new KeyFileError(`invalid key name '${name}': use letters, digits, '.', '_' and '-'`);
  const keys = generateKeyPair();
  mkdirSync(dir, { recursive: true });
  const secretPath = join(dir, `${name}.key.json`);
  const publicPath = join(dir, `${name}.pub.json`);
  writeFileSync(secretPath, `${JSON.stringify(secretJwk(keys), null, 2)}\n`, { mode: 0o600, flag: "wx" });
  chmodSync(secretPath, 0o600);
  writeFileSync(publicPath, `${JSON.stringify(publicJwk(keys), null, 2)}\n`, { flag: "wx" });
  return { keys, secretPath, publicPath };
}
