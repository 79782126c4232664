/**
 * Kernel clauses (`path`, `under`, `to`, `port`): where they are allowed (AARM2403–2405), path and address
 * validity (AARM2406–2411), and the limits of the eBPF maps they are compiled into (AARM4001–4003).
 */
import type { AddressLit, NetMatch, PathMatch, Rule, StringLit } from "../../language/index.js";
import { blockContains, unmapBlock, type AddressBlock } from "../../runtime/ir/index.js";
import { names, target } from "../../language/index.js";
import type { CheckedAddress, CheckedKernelMatch } from "../model.js";
import type { Reporter } from "./context.js";
import { formatCidr, parseCidr } from "./ip.js";

/** Longest kernel path, in UTF-8 bytes (the eBPF map key size). */
export const KERNEL_PATH_MAX_BYTES = 255;
/** Most entries in one kernel map. */
export const KERNEL_MAP_MAX_ENTRIES = 4096;
/** Most port ranges in one rule. */
export const KERNEL_MAX_PORT_RANGES = 64;

const PATH_ACTIONS = ["file.open", "process.exec"];
const NET_ACTIONS = ["net.connect"];

/** Why a kernel path is not absolute and normalised, or undefined. */
export function pathProblem(p: string): string | undefined {
  if (p === "") return "the path is empty";
  if (!p.startsWith("/")) return "it is not absolute (it must start with '/')";
  if (p.includes("\0")) return "it contains a NUL character";
  if (p.includes("//")) return "it contains '//'";
  if (p.length > 1 && p.endsWith("/"))
    return `it ends with '/' (write ${JSON.stringify(p.replace(/\/+$/, ""))})`;
  for (const c of p.split("/")) {
    if (c === "." || c === "..")
      return `it contains a '${c}' component (the kernel matches the resolved path)`;
  }
  return undefined;
}

function checkPath(r: Reporter, mode: PathMatch["mode"], lit: StringLit): void {
  const p = lit.value;
  const problem = pathProblem(p);
  if (problem) {
    r.add(names.invalidKernelPath(r.sourceId, lit.span, { path: p, reason: problem }));
    return;
  }
  if (mode === "under" && p === "/") {
    r.add(names.underRoot(r.sourceId, lit.span, {}));
    return;
  }
  const raw = r.source.text.slice(lit.span.start, lit.span.end);
  const m = /[*?[]/.exec(raw);
  if (m) {
    const at = lit.span.start + m.index;
    r.add(names.kernelPathWildcard(r.sourceId, { start: at, end: at + 1 }, { char: m[0] }));
  }
  const bytes = new TextEncoder().encode(p).length;
  if (bytes > KERNEL_PATH_MAX_BYTES) {
    r.add(target.kernelPathTooLong(r.sourceId, lit.span, { bytes, limit: KERNEL_PATH_MAX_BYTES }));
  }
}

function checkAddress(r: Reporter, a: AddressLit): CheckedAddress | undefined {
  const res = parseCidr(a.text);
  if (!res.ok) {
    r.add(names.invalidAddress(r.sourceId, a.span, { text: a.text, reason: res.reason }));
    return undefined;
  }
  const v = res.value;
  if (v.hostBitsSet) {
    r.add(
      names.cidrHostBits(r.sourceId, a.span, {
        text: a.text,
        network: formatCidr(v.family, v.network, v.prefix),
      }),
    );
  }
  if (v.prefix === 0) {
    r.add(
      names.matchesAllAddresses(r.sourceId, a.span, {
        text: a.text,
        family: v.family === 4 ? "IPv4" : "IPv6",
      }),
    );
  }
  return { text: a.text, family: v.family, bytes: v.network, prefix: v.prefix, span: a.span };
}

function checkNet(r: Reporter, k: NetMatch): CheckedKernelMatch {
  const addresses = k.addresses.map((a) => checkAddress(r, a)).filter((a) => a !== undefined);
  if (k.ports.length > KERNEL_MAX_PORT_RANGES) {
    const first = k.ports[0]!.span;
    const last = k.ports[k.ports.length - 1]!.span;
    r.add(
      target.tooManyPortRanges(
        r.sourceId,
        { start: first.start, end: last.end },
        {
          count: k.ports.length,
          limit: KERNEL_MAX_PORT_RANGES,
        },
      ),
    );
  }
  return { kind: "net", addresses, ports: k.ports.map((p) => ({ from: p.from, to: p.to })) };
}

/** Check a rule's kernel clause; returns it normalised (undefined when the rule has none). */
export function checkKernel(r: Reporter, rule: Rule): CheckedKernelMatch | undefined {
  const k = rule.kernel;
  if (!k) return undefined;
  const clause = k.kind === "PathMatch" ? k.mode : k.addresses.length > 0 ? "to" : "port";
  if (rule.effect !== "forbid") {
    r.add(names.kernelClauseNotAllowed(r.sourceId, k.span, { clause, effect: rule.effect }));
  }
  const allowed = k.kind === "PathMatch" ? PATH_ACTIONS : NET_ACTIONS;
  for (const p of rule.tools) {
    if (allowed.includes(p.text)) continue;
    r.add(
      names.kernelClauseWrongAction(r.sourceId, p.span, {
        clause,
        actions: allowed.join(" and "),
        tool: p.text,
      }),
    );
  }
  if (rule.condition) r.add(names.kernelConditionNotAllowed(r.sourceId, rule.condition.span, {}));
  if (k.kind === "NetMatch") return checkNet(r, k);
  for (const v of k.values) checkPath(r, k.mode, v);
  return { kind: "path", mode: k.mode, paths: k.values.map((v) => v.value) };
}

/** Count kernel entries per map over all rules (AARM4002). */
export function checkKernelLimits(
  r: Reporter,
  rules: readonly { readonly node: Rule; readonly tools: readonly string[] }[],
): void {
  const counts = new Map<string, number>();
  const bump = (kind: string, n: number, at: Rule): void => {
    const before = counts.get(kind) ?? 0;
    counts.set(kind, before + n);
    if (before <= KERNEL_MAP_MAX_ENTRIES && before + n > KERNEL_MAP_MAX_ENTRIES && at.kernel) {
      r.add(target.tooManyKernelEntries(r.sourceId, at.kernel.span, { limit: KERNEL_MAP_MAX_ENTRIES, kind }));
    }
  };
  for (const { node, tools } of rules) {
    const k = node.kernel;
    if (!k || node.effect !== "forbid") continue;
    if (k.kind === "PathMatch") {
      for (const t of tools) if (PATH_ACTIONS.includes(t)) bump(`${t} ${k.mode}`, k.values.length, node);
      continue;
    }
    const v6 = k.addresses.filter((a) => a.text.includes(":")).length;
    bump("net.connect IPv4", k.addresses.length - v6, node);
    bump("net.connect IPv6", v6, node);
    bump("net.connect port", k.ports.length, node);
  }
}

/** A rule without `to`: every address of both families. */
const ANY_BLOCKS: readonly AddressBlock[] = [
  { family: 4, bytes: [0, 0, 0, 0], prefix: 0 },
  { family: 6, bytes: Array<number>(16).fill(0), prefix: 0 },
];

/**
 * The port ranges the kernel scans for one address block: those of every net rule whose blocks contain it (a rule
 * without `to` contains every address; a rule without `port` is one range). At most KERNEL_MAX_PORT_RANGES
 * (AARM4005; the kernel target's port sets, targets/bpf/maps.ts).
 */
export function checkKernelPortSets(
  r: Reporter,
  rules: readonly { readonly node: Rule; readonly kernel: CheckedKernelMatch | undefined }[],
): void {
  const net = rules.flatMap(({ node, kernel }) =>
    kernel?.kind === "net" && node.effect === "forbid"
      ? [
          {
            node,
            // A block inside ::ffff:0:0/96 counts as the IPv4 block it maps: the kernel looks mapped destinations up
            // as IPv4.
            blocks: kernel.addresses.length === 0 ? ANY_BLOCKS : kernel.addresses.map((a) => unmapBlock(a)),
            ranges: Math.max(1, kernel.ports.length),
          },
        ]
      : [],
  );
  const reported = new Set<Rule>();
  for (const { node, blocks } of net) {
    for (const block of blocks) {
      const sharing = net.filter((o) => o.blocks.some((b) => blockContains(b, block)));
      const count = sharing.reduce((n, o) => n + o.ranges, 0);
      // A rule over the limit by itself is AARM4003 already.
      if (sharing.some((o) => o.ranges > KERNEL_MAX_PORT_RANGES)) continue;
      if (count <= KERNEL_MAX_PORT_RANGES || reported.has(node) || !node.kernel) continue;
      reported.add(node);
      const text = block.family === 6 ? "an IPv6 block" : `${block.bytes.join(".")}/${block.prefix}`;
      r.add(
        target.tooManyPortsForAddress(r.sourceId, node.kernel.span, {
          count,
          block: text,
          limit: KERNEL_MAX_PORT_RANGES,
        }),
      );
    }
  }
}
