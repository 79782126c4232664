/**
 * Differential test of the kernel target: for every kernel-visible rule of every example policy (and of the golden
 * fixture), probes at and around what the rule names (the path, a child, a sibling with the same prefix, the
 * parent; the first and last address of a block and the ones just outside, IPv4-mapped spellings; the first and
 * last port of a range and the ones just outside) are decided by the JS target (the generated evaluator, deciding
 * the kernel action itself) and by the BPF map simulator over the lowered map contents. They must agree on
 * whether a kernel rule forbids the operation, and the rule the kernel reports must be one the JS target names.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { compileFile } from "../../compiler/compile.js";
import { loadPolicy } from "../../runtime/api.js";
import { normalizePath, parseIp } from "../../runtime/decide/kernel-match.js";
import { evaluatorFromSource } from "../../runtime/testing.js";
import { simulateConnect, simulateExec, simulateOpen } from "./simulate.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const policies = [
  ...readdirSync(join(root, "examples"), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => join(root, "examples", d.name, "policy.aarm")),
  join(root, "targets/bpf/golden/kernel-rules/policy.aarm"),
];

type Probe =
  | { tool: "file.open" | "process.exec"; path: string }
  | { tool: "net.connect"; address: string; port: number };

function pathProbes(tool: "file.open" | "process.exec", paths: readonly string[]): Probe[] {
  return paths.flatMap((p) => {
    const parent = p.slice(0, p.lastIndexOf("/")) || "/";
    return [
      p,
      `${p}/child`,
      `${p}x`,
      `${p}.bak`,
      parent,
      `${parent}/other`,
      `/${p}`,
      `${parent}/./${p.slice(parent.length + 1)}`,
    ].map((path) => ({ tool, path }));
  });
}

function v4(bytes: readonly number[]): string {
  return bytes.join(".");
}

function v6(bytes: readonly number[]): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16));
  return groups.join(":");
}

/** The first and last address of a block, and the ones just before and after it. */
function edges(bytes: readonly number[], prefix: number): number[][] {
  const n = bytes.length;
  const first = [...bytes];
  const last = bytes.map((b, i) => {
    const hostBits = Math.max(0, Math.min(8, (i + 1) * 8 - prefix));
    return b | ((1 << hostBits) - 1);
  });
  const step = (a: number[], d: 1 | -1) => {
    const out = [...a];
    for (let i = n - 1; i >= 0; i--) {
      out[i] = (out[i]! + d + 256) % 256;
      if ((d === 1 && out[i] !== 0) || (d === -1 && out[i] !== 255)) break;
    }
    return out;
  };
  return [first, last, step(first, -1), step(last, 1)];
}

function netProbes(
  addresses: readonly { family: 4 | 6; bytes: readonly number[]; prefix: number }[],
  ports: readonly { from: number; to: number }[],
): Probe[] {
  const hosts =
    addresses.length === 0
      ? [[127, 0, 0, 1], Array<number>(15).fill(0).concat(1)]
      : addresses.flatMap((a) => edges(a.bytes, a.prefix));
  const portList =
    ports.length === 0
      ? [80, 443]
      : ports.flatMap((p) => [p.from, p.to, Math.max(0, p.from - 1), Math.min(65535, p.to + 1)]);
  return hosts.flatMap((h) => {
    const texts = h.length === 4 ? [v4(h), `::ffff:${v4(h)}`] : [v6(h)];
    return texts.flatMap((address) =>
      portList.map((port) => ({ tool: "net.connect" as const, address, port })),
    );
  });
}

const withKernelRules = policies.filter((p) => (compileFile(p).kernel?.maps.rules.length ?? 0) > 0);

describe.each(withKernelRules.map((p) => [p.slice(root.length), p]))(
  "kernel target ≡ JS target: %s",
  (_name, file) => {
    const r = compileFile(file);
    const ir = r.ir!;
    const k = r.kernel!.maps;
    const kernelIds = new Set(k.rules.map((x) => x.id));
    const probes = ir.rules.flatMap((rule): Probe[] => {
      if (rule.effect !== "forbid" || !rule.kernel) return [];
      if (rule.kernel.kind === "net") return netProbes(rule.kernel.addresses, rule.kernel.ports);
      const paths = rule.kernel.paths;
      return rule.tools.flatMap((t) =>
        t === "file.open" || t === "process.exec" ? pathProbes(t, paths) : [],
      );
    });

    it(`[T6] decides ${probes.length} probes around its kernel rules the same way`, async () => {
      const evaluator = await evaluatorFromSource(r.evaluatorSource!, ir.source.sha256);
      const session = loadPolicy(ir, { evaluator }).openSession({ identity: {} });
      let denials = 0;
      for (const probe of probes) {
        const args =
          probe.tool === "net.connect" ? { address: probe.address, port: probe.port } : { path: probe.path };
        const js = session.decide({ tool: probe.tool, args }).ruleIds.filter((id) => kernelIds.has(id));
        let sim: number | null;
        if (probe.tool === "net.connect") sim = simulateConnect(k, ipBytes(probe.address), probe.port);
        else {
          const path = normalizePath(probe.path);
          if (path === null) throw new Error(`${JSON.stringify(probe)}: a probe through a procfs magic link`);
          sim = (probe.tool === "file.open" ? simulateOpen : simulateExec)(k, path);
        }
        const simId = sim === null ? null : k.rules[sim]!.id;
        const what = JSON.stringify(probe);
        expect(simId === null, `${what}: kernel ${simId}, JS ${js.join(",") || "none"}`).toBe(
          js.length === 0,
        );
        if (simId !== null) expect(js, what).toContain(simId);
        if (simId !== null) denials++;
      }
      expect(denials).toBeGreaterThan(0);
    });
  },
);

/** The bytes a socket address holds: 4 for IPv4, 16 for IPv6 (IPv4-mapped stays 16 bytes, as the kernel sees it). */
function ipBytes(text: string): number[] {
  if (!text.includes(":")) return text.split(".").map(Number);
  const p = parseIp(text)!;
  return p.family === 6 ? p.bytes : [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, ...p.bytes];
}
