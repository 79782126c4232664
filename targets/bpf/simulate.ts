/**
 * The BPF map simulator: the lookups of the LSM programs in bpf-templates/policy.bpf.c, over the same map contents,
 * in TypeScript. The differential tests run it next to the JS target to show that the kernel artifacts decide
 * like the policy engine for every kernel-visible rule. Each function returns the index of the rule the kernel
 * would report (the denial), or null (the operation goes ahead).
 */
import { blockContains, unmapBlock } from "../../runtime/ir/index.js";
import type { KernelMaps, PathEntry } from "./maps.js";
import { PATH_KEY_BYTES } from "./layout.js";

const decoder = new TextDecoder();

/**
 * match_path: walk the canonical path's bytes; at every `/` after the first byte look the prefix up as a subtree,
 * at the end look the whole path up as a subtree and then as an exact path. Only the first 256 bytes are seen.
 */
function matchPath(path: string, exact: readonly PathEntry[], dirs: readonly PathEntry[]): number | null {
  const find = (list: readonly PathEntry[], key: string) => list.find((e) => e.path === key)?.rule ?? null;
  const bytes = new TextEncoder().encode(path);
  for (let i = 0; i < PATH_KEY_BYTES; i++) {
    const ch = i < bytes.length ? bytes[i]! : 0;
    if (ch === 0 || (ch === 0x2f && i > 0)) {
      const key = decoder.decode(bytes.slice(0, i));
      const dir = find(dirs, key);
      if (dir !== null) return dir;
      if (ch === 0) return find(exact, key);
    }
  }
  return null;
}

/** lsm/file_open for a file at a canonical path (the inode map is not consulted: no file system here). */
export function simulateOpen(k: KernelMaps, canonicalPath: string): number | null {
  return matchPath(canonicalPath, k.maps.aarm_file_path, k.maps.aarm_file_dir);
}

/** lsm/bprm_check_security for a program at a canonical path. */
export function simulateExec(k: KernelMaps, canonicalPath: string): number | null {
  return matchPath(canonicalPath, k.maps.aarm_exec_path, k.maps.aarm_exec_dir);
}

/** lsm/socket_connect to an address (4 or 16 bytes) and port; IPv4-mapped IPv6 is looked up as IPv4. */
export function simulateConnect(k: KernelMaps, address: readonly number[], port: number): number | null {
  const family = address.length === 4 ? 4 : 6;
  const dest = unmapBlock({ family, bytes: address, prefix: family === 4 ? 32 : 128 });
  const entries = dest.family === 4 ? k.maps.aarm_net4 : k.maps.aarm_net6;
  let best: (typeof entries)[number] | undefined;
  for (const e of entries) {
    const block = { family: dest.family, bytes: e.bytes, prefix: e.prefix };
    if (blockContains(block, dest) && (!best || e.prefix > best.prefix)) best = e;
  }
  if (!best) return null;
  const range = k.maps.aarm_portsets[best.portset]?.find((r) => port >= r.from && port <= r.to);
  return range ? range.rule : null;
}
