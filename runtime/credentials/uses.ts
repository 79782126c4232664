/**
 * How often each credential was used, so a credential is refused once its uses are spent (a replay). The default
 * store keeps counts in memory and forgets a credential once it has expired (it is refused for expiry then); a
 * deployment with several tool-server processes passes a shared store with the same contract.
 */

export interface UseStore {
  /**
   * Count one use of credential `jti` if fewer than `maxUses` were counted: the use's number (1, 2, ...), or null
   * when all uses are spent. Must be atomic: two concurrent calls never get the same number.
   */
  consume(jti: string, maxUses: number, expiresAt: number, now: number): number | null;
}

/** An in-memory UseStore; at most `capacity` live credentials (beyond it, the oldest expired ones are dropped). */
export function memoryUseStore(options: { readonly graceMs?: number } = {}): UseStore & { size(): number } {
  const grace = options.graceMs ?? 60_000;
  const counts = new Map<string, { used: number; until: number }>();
  let nextSweep = 0;
  function sweep(now: number): void {
    if (now < nextSweep) return;
    nextSweep = now + 10_000;
    for (const [jti, e] of counts) if (e.until < now) counts.delete(jti);
  }
  return {
    size: () => counts.size,
    consume(jti, maxUses, expiresAt, now) {
      sweep(now);
      const e = counts.get(jti) ?? { used: 0, until: expiresAt + grace };
      if (e.used >= maxUses) return null;
      e.used++;
      counts.set(jti, e);
      return e.used;
    },
  };
}
