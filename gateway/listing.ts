/**
 * Which tools `tools/list` shows (`aarm gateway --list allowed`): those the policy can ever let run. A tool is
 * hidden when the policy does not know it (unknown tools are always denied), when an unconditional `forbid` covers
 * it, or when an unconditional `deny` covers it at a priority above every rule that could let it run (allow,
 * modify, step_up, defer) and the default posture does not apply. The analysis is conservative: a tool shown may
 * still be denied for every argument a client sends; every call is decided whatever the listing shows.
 */
import type { IrPolicy } from "../runtime/index.js";

const RELEASING = new Set(["allow", "modify", "step_up", "defer"]);

/** The policy tool names that can ever be allowed to run. */
export function allowableTools(ir: IrPolicy): Set<string> {
  const out = new Set<string>();
  for (const tool of Object.keys(ir.tools)) {
    const rules = ir.rules.filter((r) => r.tools.includes(tool) || r.tools.includes("*"));
    if (rules.some((r) => r.effect === "forbid" && r.cond === null && r.kernel === null)) continue;
    const blockAt = Math.max(
      -1,
      ...rules.filter((r) => r.effect === "deny" && r.cond === null).map((r) => r.priority ?? -1),
    );
    const releasing = rules.filter((r) => RELEASING.has(r.effect) && (r.priority ?? -1) > blockAt);
    if (releasing.length > 0 || (blockAt < 0 && ir.default === "allow")) out.add(tool);
  }
  return out;
}

/** A predicate over MCP tool names (`prefix.name` in the policy when the policy imports the tools with a prefix). */
export function listingFilter(ir: IrPolicy, prefix: string | undefined): (name: string) => boolean {
  const allowed = allowableTools(ir);
  return (name) => allowed.has(prefix === undefined ? name : `${prefix}.${name}`);
}
