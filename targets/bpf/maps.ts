/**
 * IR → kernel map contents, as data. Each kernel-visible forbid rule becomes entries of the maps the LSM programs
 * in bpf-templates/ look up:
 *
 * - `file.open` / `process.exec` `path P`: P in aarm_{file,exec}_path (the canonical path from bpf_d_path) and in
 *   aarm_{file,exec}_ino (P's inode, resolved by the loader at load time, so hard links are covered too);
 * - `under D`: D in aarm_{file,exec}_dir, looked up at every `/` of the canonical path (O(path depth));
 * - `net.connect`: one LPM-trie entry per distinct address block (aarm_net4, aarm_net6; a rule without `to` is
 *   the /0 block of both families), whose value names a port set: the port ranges, with their rules, of every rule
 *   whose block contains that entry's block. The longest matching prefix therefore carries every rule that matches
 *   the address, and the kernel scans only that entry's ranges (at most PORTSET_MAX_RANGES).
 *
 * A block inside ::ffff:0:0/96 is stored as the IPv4 block it maps, since the kernel looks IPv4-mapped IPv6
 * destinations up as IPv4. When two rules name the same key, the first in source order is the one reported.
 */
import type { AddressBlock, IrKernel, IrPolicy, IrRule } from "../../runtime/ir/index.js";
import { blockContains, unmapBlock } from "../../runtime/ir/index.js";
import { type Hook, PORTSET_MAX_RANGES } from "./layout.js";

/** A kernel-visible rule, by its index in the maps. */
export interface KernelRule {
  readonly index: number;
  readonly id: string;
  readonly action: "file.open" | "process.exec" | "net.connect";
  readonly hook: Hook;
  readonly reason: string | null;
  readonly at: readonly [number, number];
}

/** A path entry: exact path, subtree, or inode (resolved from the path when loading). */
export interface PathEntry {
  readonly path: string;
  readonly rule: number;
}

/** An address block: the LPM key and the port set it selects. */
export interface NetEntry {
  readonly cidr: string;
  readonly bytes: readonly number[];
  readonly prefix: number;
  readonly portset: number;
}

/** One port range of a port set, with the rule it belongs to. */
export interface PortRange {
  readonly from: number;
  readonly to: number;
  readonly rule: number;
}

/** Everything the kernel holds for one policy. */
export interface KernelMaps {
  readonly format: "aarm-bpf-maps/1";
  readonly policy: { readonly name: string; readonly version: string | null; readonly sourceSha256: string };
  readonly rules: readonly KernelRule[];
  readonly maps: {
    readonly aarm_file_ino: readonly PathEntry[];
    readonly aarm_file_path: readonly PathEntry[];
    readonly aarm_file_dir: readonly PathEntry[];
    readonly aarm_exec_ino: readonly PathEntry[];
    readonly aarm_exec_path: readonly PathEntry[];
    readonly aarm_exec_dir: readonly PathEntry[];
    readonly aarm_net4: readonly NetEntry[];
    readonly aarm_net6: readonly NetEntry[];
    readonly aarm_portsets: readonly (readonly PortRange[])[];
  };
}

/** A port set that exceeds what the kernel can scan (reported as AARM4005). */
export interface PortsetOverflow {
  readonly cidr: string;
  readonly ranges: number;
  readonly rule: KernelRule;
}

const HOOK_OF = {
  "file.open": "file_open",
  "process.exec": "bprm_check_security",
  "net.connect": "socket_connect",
} as const;
const KERNEL_ACTIONS = Object.keys(HOOK_OF) as (keyof typeof HOOK_OF)[];

/** Text of a block: `203.0.113.0/24`, `2001:db8::/32` (uncompressed hex groups for IPv6). */
export function cidrText(b: AddressBlock): string {
  if (b.family === 4) return `${b.bytes.join(".")}/${b.prefix}`;
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2)
    groups.push((((b.bytes[i] ?? 0) << 8) | (b.bytes[i + 1] ?? 0)).toString(16));
  return `${groups.join(":")}/${b.prefix}`;
}

const ALL_PORTS = [{ from: 0, to: 65535 }];
const ANY: readonly AddressBlock[] = [
  { family: 4, bytes: [0, 0, 0, 0], prefix: 0 },
  { family: 6, bytes: Array<number>(16).fill(0), prefix: 0 },
];

function pushUnique(list: PathEntry[], path: string, rule: number): void {
  if (!list.some((e) => e.path === path)) list.push({ path, rule });
}

interface NetRule {
  readonly rule: KernelRule;
  readonly blocks: readonly AddressBlock[];
  readonly ports: readonly { readonly from: number; readonly to: number }[];
}

function lowerNet(netRules: readonly NetRule[], overflows: PortsetOverflow[]) {
  const distinct: AddressBlock[] = [];
  for (const r of netRules)
    for (const b of r.blocks)
      if (!distinct.some((d) => blockContains(d, b) && blockContains(b, d))) distinct.push(b);
  const portsets: PortRange[][] = [];
  const net4: NetEntry[] = [];
  const net6: NetEntry[] = [];
  for (const e of distinct) {
    const ranges: PortRange[] = [];
    for (const r of netRules) {
      if (!r.blocks.some((b) => blockContains(b, e))) continue;
      for (const p of r.ports) ranges.push({ from: p.from, to: p.to, rule: r.rule.index });
    }
    const cidr = cidrText(e);
    if (ranges.length > PORTSET_MAX_RANGES) {
      const first = netRules.find((r) => r.blocks.some((b) => blockContains(b, e)))!;
      overflows.push({ cidr, ranges: ranges.length, rule: first.rule });
    }
    const entry = { cidr, bytes: [...e.bytes], prefix: e.prefix, portset: portsets.length };
    portsets.push(ranges.slice(0, PORTSET_MAX_RANGES));
    (e.family === 4 ? net4 : net6).push(entry);
  }
  return { net4, net6, portsets };
}

function netRuleOf(rule: KernelRule, k: Extract<IrKernel, { kind: "net" }>): NetRule {
  const blocks = k.addresses.length === 0 ? ANY : k.addresses.map((a) => unmapBlock(a));
  return { rule, blocks, ports: k.ports.length === 0 ? ALL_PORTS : k.ports };
}

/** The kernel-visible rules of a policy: forbid rules with a kernel clause, once per kernel action they name. */
export function kernelRules(ir: IrPolicy): { rule: IrRule; action: KernelRule["action"] }[] {
  const out: { rule: IrRule; action: KernelRule["action"] }[] = [];
  for (const rule of ir.rules) {
    if (rule.effect !== "forbid" || !rule.kernel) continue;
    for (const action of KERNEL_ACTIONS) if (rule.tools.includes(action)) out.push({ rule, action });
  }
  return out;
}

/** Lower a policy's kernel-visible rules to map contents. */
export function lowerMaps(ir: IrPolicy): { maps: KernelMaps; overflows: PortsetOverflow[] } {
  const rules: KernelRule[] = [];
  const m = {
    aarm_file_ino: [] as PathEntry[],
    aarm_file_path: [] as PathEntry[],
    aarm_file_dir: [] as PathEntry[],
    aarm_exec_ino: [] as PathEntry[],
    aarm_exec_path: [] as PathEntry[],
    aarm_exec_dir: [] as PathEntry[],
  };
  const netRules: NetRule[] = [];
  for (const { rule, action } of kernelRules(ir)) {
    const kr: KernelRule = {
      index: rules.length,
      id: rule.id,
      action,
      hook: HOOK_OF[action],
      reason: rule.reason,
      at: rule.at,
    };
    rules.push(kr);
    const k = rule.kernel!;
    if (k.kind === "net") {
      netRules.push(netRuleOf(kr, k));
      continue;
    }
    const prefix = action === "file.open" ? "file" : "exec";
    for (const p of k.paths) {
      if (k.mode === "under") pushUnique(m[`aarm_${prefix}_dir`], p, kr.index);
      else {
        pushUnique(m[`aarm_${prefix}_path`], p, kr.index);
        pushUnique(m[`aarm_${prefix}_ino`], p, kr.index);
      }
    }
  }
  const overflows: PortsetOverflow[] = [];
  const net = lowerNet(netRules, overflows);
  return {
    maps: {
      format: "aarm-bpf-maps/1",
      policy: { name: ir.name, version: ir.version, sourceSha256: ir.source.sha256 },
      rules,
      maps: { ...m, aarm_net4: net.net4, aarm_net6: net.net6, aarm_portsets: net.portsets },
    },
    overflows,
  };
}
