/**
 * Node edge: a signer over a secret key file, signing with node:crypto (host/node-signer.ts, synchronous). It
 * reads the key when it is created and checks the file again at most every `recheckMs` (default 100 ms): a
 * signature made at time t used a key file state seen no earlier than t − recheckMs. A file that changed is read
 * again (rotation without a restart). A missing, unreadable or invalid key file makes sign() throw with a reason
 * naming the file — the receipt writer then rejects the write and the caller DENIES (fail closed) — and every later
 * signature checks the file again until it is back. So a key removed mid-run DENIES every action decided more
 * than `recheckMs` after the removal, and no action is ever allowed without a signed, stored receipt.
 */
import { statSync, type Stats } from "node:fs";
import { readSecretKey } from "./keys.js";
import { nodeSigner, type SyncSigner } from "./node-signer.js";

/** How long a check of the key file stays valid by default, ms. */
export const DEFAULT_KEY_RECHECK_MS = 100;

export interface KeyFileSignerOptions {
  /** Check the key file again when the last check is at least this old, ms (0: before every signature). */
  readonly recheckMs?: number;
  /** A monotonic clock in ms (default performance.now); tests move it forward. */
  readonly now?: () => number;
}

/** A signer that follows a key file. `keyId`/`publicKey` are those of the key read most recently. */
export interface KeyFileSigner extends SyncSigner {
  readonly path: string;
}

interface Loaded {
  readonly signer: SyncSigner;
  readonly stats: Stats;
}

const sameFile = (a: Stats, b: Stats) =>
  a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs;

export function keyFileSigner(path: string, options: KeyFileSignerOptions = {}): Promise<KeyFileSigner> {
  const recheckMs = Math.max(0, options.recheckMs ?? DEFAULT_KEY_RECHECK_MS);
  const now = options.now ?? (() => performance.now());
  let current: Loaded | null = null;
  let checkedAt = 0;

  function load(): SyncSigner {
    const t = now();
    if (current && t - checkedAt < recheckMs && t >= checkedAt) return current.signer;
    let stats: Stats;
    try {
      stats = statSync(path);
    } catch (e) {
      current = null;
      throw new Error(`signing key ${path}: cannot read (${(e as { code?: string }).code ?? String(e)})`);
    }
    if (!current || !sameFile(current.stats, stats)) {
      try {
        current = { signer: nodeSigner(readSecretKey(path)), stats };
      } catch (e) {
        current = null;
        throw new Error(`signing key ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    checkedAt = t;
    return current.signer;
  }

  try {
    const first = load();
    return Promise.resolve({
      path,
      get keyId() {
        return (current?.signer ?? first).keyId;
      },
      get publicKey() {
        return (current?.signer ?? first).publicKey;
      },
      sign: (message) => load().sign(message),
    });
  } catch (e) {
    return Promise.reject(e instanceof Error ? e : new Error(String(e)));
  }
}
