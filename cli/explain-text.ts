/**
 * The text of `aarm explain`: the action, the decision, every rule of the tool in the order the decision procedure
 * considers them with each condition's value, and for a blocked action the nearest rule that would have allowed it.
 */
import type { ConditionTrace, Explanation, RuleTrace } from "../sessions/explain.js";
import type { Nearest, RuleChange } from "../sessions/nearest.js";
import { showValue } from "../sessions/show.js";

const MARK: Readonly<Record<RuleTrace["result"], string>> = {
  true: "✓",
  false: "·",
  unknown: "?",
  error: "!",
};

function conditionLines(c: ConditionTrace, depth: number, out: string[]): void {
  const pad = "  ".repeat(depth);
  out.push(`${pad}${c.text} → ${c.value}${c.evaluated ? "" : "  (skipped: short-circuit)"}`);
  for (const o of c.operands) out.push(`${pad}    ${o.text} = ${o.value}`);
  for (const child of c.children) conditionLines(child, depth + 1, out);
}

function tierName(r: RuleTrace): string {
  return r.priority === null ? "forbid" : `priority ${r.priority}`;
}

function ruleLines(rules: readonly RuleTrace[]): string[] {
  const out: string[] = [];
  let tier: string | undefined;
  for (const r of rules) {
    if (tierName(r) !== tier) {
      tier = tierName(r);
      out.push(`  ${tier}${r.reached ? "" : " (not reached: a higher tier decided)"}`);
    }
    const flags = [r.decided ? "DECIDED" : "", r.where].filter(Boolean).join(", ");
    out.push(`    ${MARK[r.result]} ${r.id} (${r.effect}) → ${r.result}${flags ? `  [${flags}]` : ""}`);
    if (r.condition) conditionLines(r.condition, 4, out);
    else
      out.push(
        `        (no condition: applies to every ${r.effect === "forbid" ? "matching " : ""}action of the tool)`,
      );
  }
  return out;
}

function changeLines(c: RuleChange): string[] {
  const head = c.mustMatch
    ? `    ${c.id} itself would have to match:`
    : `    ${c.id} (${c.effect}${c.priority === null ? "" : `, priority ${c.priority}`}) would have to not match${c.note ? `: ${c.note}` : ":"}`;
  const out = [head];
  for (const a of c.atoms) {
    out.push(`      ${a.text} would have to be ${a.want} (it was ${a.was})`);
    for (const o of a.operands) out.push(`          ${o.text} = ${o.value}`);
  }
  return out;
}

function nearestLines(n: Nearest | undefined): string[] {
  if (!n)
    return ["", "no rule allows this tool, and the default posture is deny: nothing would have allowed it"];
  const what =
    n.rule === null
      ? "the default posture (allow)"
      : `${n.rule} (${n.effect}, priority ${n.priority}${n.where ? `, ${n.where}` : ""})`;
  if (!Number.isFinite(n.cost)) {
    return [
      "",
      "nothing would have allowed it: a rule without a condition stops it",
      ...n.changes.flatMap(changeLines),
    ];
  }
  const out = ["", `nearest rule that would have allowed it: ${what}`];
  if (n.changes.length === 0 && n.validation === undefined)
    out.push("  nothing would have had to be different (see the decision's reasons)");
  else out.push("  what would have had to be different:");
  if (n.validation !== undefined)
    out.push(`    the arguments would have to pass validation (${n.validation})`);
  for (const c of n.changes) out.push(...changeLines(c));
  return out;
}

/** The whole explanation as text. */
export function explainText(x: Explanation): string {
  const d = x.decision;
  const out = [
    `session ${JSON.stringify(x.session)}, action ${x.index} of ${x.of}: ${x.action.id} ${x.action.tool}${x.action.line ? ` (line ${x.action.line})` : ""}`,
    `  args ${showValue(x.action.args, 2000)}`,
    "",
    `decision: ${d.effect} (${d.decidedBy}${d.ruleIds.length > 0 ? `: ${d.ruleIds.join(", ")}` : ""})`,
    ...d.reasons.map((r) => `  ${r}`),
  ];
  if (d.modifiedArgs) out.push(`  the tool gets ${showValue(d.modifiedArgs, 2000)}`);
  out.push("", `rules for ${x.action.tool}, in the order they are considered:`);
  if (x.rules.length === 0) out.push("  (none)");
  out.push(...ruleLines(x.rules));
  const others = d.ruleIds.filter((id) => !x.rules.some((r) => r.id === id));
  if (others.length > 0) out.push(`  kernel rules matched through a bound argument: ${others.join(", ")}`);
  if (x.decision.effect !== "ALLOW" && x.decision.effect !== "MODIFY") out.push(...nearestLines(x.nearest));
  return `${out.join("\n")}\n`;
}
