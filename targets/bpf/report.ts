/**
 * What the kernel enforces and what it does not: the list `aarmc compile` writes next to the kernel artifacts and
 * sums up in an info diagnostic. Kernel-visible forbid rules are enforced in the kernel (and in user space);
 * every other rule needs the tool's arguments or the session, which the kernel never sees.
 */
import type { IrPolicy, IrRule } from "../../runtime/ir/index.js";
import type { KernelMaps, KernelRule } from "./maps.js";

/** One rule the kernel enforces, with what it matches. */
export interface EnforcedRule {
  readonly id: string;
  readonly hook: KernelRule["hook"];
  readonly matches: string;
}

/** One rule left to user space, and why. */
export interface UserSpaceRule {
  readonly id: string;
  readonly effect: IrRule["effect"];
  readonly why: string;
}

export interface KernelReport {
  readonly enforced: readonly EnforcedRule[];
  readonly userSpaceOnly: readonly UserSpaceRule[];
}

function matchesOf(rule: IrRule): string {
  const k = rule.kernel!;
  if (k.kind === "path") return `${k.mode} ${k.paths.join(", ")}`;
  const to = k.addresses.length > 0 ? `to ${k.addresses.map((a) => a.text).join(", ")}` : "any address";
  const ports =
    k.ports.length > 0
      ? ` port ${k.ports.map((p) => (p.from === p.to ? `${p.from}` : `${p.from}..${p.to}`)).join(", ")}`
      : "";
  return `${to}${ports}`;
}

function whyNot(rule: IrRule): string {
  if (rule.effect !== "forbid")
    return rule.contextDependent
      ? "depends on the session"
      : "a decision the kernel cannot make (not forbid)";
  return "its condition is over tool arguments, which the kernel does not see";
}

/** The report for a policy and its lowered maps. */
export function kernelReport(ir: IrPolicy, k: KernelMaps): KernelReport {
  const byId = new Map(ir.rules.map((r) => [r.id, r] as const));
  const enforced = k.rules.map((r) => ({ id: r.id, hook: r.hook, matches: matchesOf(byId.get(r.id)!) }));
  const kernelIds = new Set(k.rules.map((r) => r.id));
  const userSpaceOnly = ir.rules
    .filter((r) => !kernelIds.has(r.id))
    .map((r) => ({ id: r.id, effect: r.effect, why: whyNot(r) }));
  return { enforced, userSpaceOnly };
}

/** The report as text (kernel/enforced.txt). */
export function reportText(ir: IrPolicy, r: KernelReport): string {
  const lines = [`Kernel enforcement of policy ${ir.name}${ir.version === null ? "" : ` ${ir.version}`}`, ""];
  lines.push(`Enforced by BPF LSM programs for the agent's processes (${r.enforced.length}):`);
  for (const e of r.enforced) lines.push(`  ${e.id}  [${e.hook}]  ${e.matches}`);
  if (r.enforced.length === 0) lines.push("  (none: the policy has no kernel-visible forbid rules)");
  lines.push("", `Decided in user space only (${r.userSpaceOnly.length}):`);
  for (const u of r.userSpaceOnly) lines.push(`  ${u.id}  (${u.effect})  ${u.why}`);
  if (ir.binds.length > 0) {
    lines.push(
      "",
      `Tool arguments bound to kernel actions (${ir.binds.length} binds) are checked against the kernel rules in user space too.`,
    );
  }
  return `${lines.join("\n")}\n`;
}

/** One line for the info diagnostic. */
export function reportSummary(r: KernelReport): string {
  const forbid = r.userSpaceOnly.filter((u) => u.effect === "forbid").map((u) => u.id);
  const enforced =
    r.enforced.length === 0
      ? "no rule"
      : `${r.enforced.length} rule${r.enforced.length === 1 ? "" : "s"} (${[...new Set(r.enforced.map((e) => e.id))].join(", ")})`;
  const notForbid = forbid.length === 0 ? "" : `; forbid rules not in the kernel: ${forbid.join(", ")}`;
  return `the kernel enforces ${enforced}; ${r.userSpaceOnly.length} rules are decided in user space only${notForbid}`;
}
