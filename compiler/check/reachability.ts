/**
 * Static analyses over the decision rules (warnings): duplicate rules (AARM2503), rules that can never decide
 * because an unconditional rule always wins first (AARM2501), and rules at one priority with different effects
 * over shared tools, which the runtime resolves with DEFER (AARM2504, AARM R3(b)).
 *
 * "Unconditional" means no `when` (or one that folds to true) and no kernel clause. Rule S shadows rule R when S
 * is unconditional, covers every tool of R, and always decides first: S is a forbid (absolute), or S has a
 * higher priority. Between two forbids, the earlier (or strictly wider) one makes the other redundant.
 */
import type { Rule } from "../../language/index.js";
import { names } from "../../language/index.js";
import type { Reporter } from "./context.js";
import type { RuleInfo } from "./rules.js";

const IGNORED_KEYS = new Set(["span", "effectSpan", "opSpan", "targetSpan", "annotations", "raw"]);

/** A rule's meaning without positions or annotations, for duplicate detection (undefined if too deep). */
function canonical(rule: Rule): string | undefined {
  try {
    return JSON.stringify(rule, (k, v: unknown) => (IGNORED_KEYS.has(k) ? undefined : v));
  } catch {
    return undefined; // a condition nested deeper than JSON.stringify recurses: not compared
  }
}

const unconditional = (x: RuleInfo): boolean => (!x.node.condition || x.folded === true) && !x.node.kernel;

/** An unconditional rule that may shadow others, with its tools as a set (built once, not per comparison). */
interface Shadower {
  readonly s: RuleInfo;
  readonly index: number;
  readonly tools: ReadonlySet<string>;
}

/** Why the unconditional rule `sh` shadows `r` (or undefined): it decides first, and covers all of r's tools. */
function shadowReason(sh: Shadower, r: RuleInfo, rIndex: number): string | undefined {
  const s = sh.s;
  const sForbid = s.node.effect === "forbid";
  const rForbid = r.node.effect === "forbid";
  let reason: () => string;
  if (sForbid && !rForbid) reason = () => `the unconditional forbid '${s.ann.id}' covers all its tools`;
  else if (sForbid && rForbid) {
    const wider = s.tools.length > r.tools.length;
    if (!wider && sh.index >= rIndex) return undefined;
    reason = () => `the unconditional forbid '${s.ann.id}' already forbids all its tools`;
  } else if (rForbid || s.priority === undefined || r.priority === undefined || s.priority <= r.priority) {
    return undefined;
  } else {
    reason = () =>
      `the unconditional ${s.node.effect} rule '${s.ann.id}' (priority ${s.priority}) covers all its tools and outranks it (priority ${r.priority})`;
  }
  return r.tools.every((t) => sh.tools.has(t)) ? reason() : undefined;
}

/** Run the three analyses. Rules whose tools did not resolve are skipped. */
export function checkReachability(r: Reporter, all: readonly RuleInfo[]): void {
  const rules = all.filter((x) => x.toolsKnown && x.tools.length > 0);
  const dead = new Set<RuleInfo>();
  const firstByKey = new Map<string, RuleInfo>();
  // Only rules with the same effect, tools and reason (part of what canonical serialises) can be duplicates:
  // serialise just those.
  const shape = (x: RuleInfo) =>
    `${x.node.effect}\u0000${x.tools.join(",")}\u0000${JSON.stringify(x.node.reason?.value) ?? ""}`;
  const shapeOf = rules.map(shape);
  const shapes = new Map<string, number>();
  for (const k of shapeOf) shapes.set(k, (shapes.get(k) ?? 0) + 1);
  for (const [i, x] of rules.entries()) {
    if ((shapes.get(shapeOf[i]!) ?? 0) < 2) continue;
    const key = canonical(x.node);
    if (key === undefined) continue;
    const prev = firstByKey.get(key);
    if (prev) {
      dead.add(x);
      r.add(
        names.duplicateRule(
          r.sourceId,
          x.node.effectSpan,
          { id: prev.ann.id },
          {
            related: [r.related(prev.node.effectSpan, "the same rule")],
          },
        ),
      );
    } else firstByKey.set(key, x);
  }
  // Only unconditional rules can shadow; there are usually few of them.
  // A shadower covers every tool of the rule it shadows, so it is among those of the rule's first tool.
  const shadowersOf = new Map<string, Shadower[]>();
  rules.forEach((s, index) => {
    if (!unconditional(s)) return;
    const sh = { s, index, tools: new Set(s.tools) };
    for (const tool of sh.tools) {
      const list = shadowersOf.get(tool);
      if (list) list.push(sh);
      else shadowersOf.set(tool, [sh]);
    }
  });
  rules.forEach((x, i) => {
    if (dead.has(x)) return;
    if (x.folded === false) {
      dead.add(x);
      return;
    }
    for (const sh of shadowersOf.get(x.tools[0]!) ?? []) {
      const s = sh.s;
      if (s === x || dead.has(s)) continue;
      const reason = shadowReason(sh, x, i);
      if (reason === undefined) continue;
      dead.add(x);
      r.add(
        names.shadowedRule(
          r.sourceId,
          x.node.effectSpan,
          { reason },
          {
            related: [r.related(s.node.effectSpan, "this rule always decides first")],
          },
        ),
      );
      return;
    }
  });
  reportConflicts(
    r,
    rules.filter((x) => !dead.has(x) && x.node.effect !== "forbid"),
  );
}

/**
 * AARM2504: grouped by priority and tool, so the work is proportional to the overlaps. One warning per rule,
 * naming the first earlier rule it conflicts with; the others (up to MAX_RELATED) are related locations.
 */
function reportConflicts(r: Reporter, live: readonly RuleInfo[]): void {
  // The rules so far at each priority and tool, and their one effect (null once they have several).
  const byKey = new Map<string, { rules: RuleInfo[]; effect: string | null }>();
  for (const b of live) {
    const pairs = new Map<RuleInfo, string>();
    for (const tool of b.tools) {
      const key = `${b.priority}\u0000${tool}`;
      let earlier = byKey.get(key);
      if (!earlier) byKey.set(key, (earlier = { rules: [], effect: b.node.effect }));
      if (earlier.effect !== b.node.effect) {
        for (const a of earlier.rules) if (a.node.effect !== b.node.effect && !pairs.has(a)) pairs.set(a, tool);
        earlier.effect = null;
      }
      earlier.rules.push(b);
    }
    const [first, ...others] = [...pairs];
    if (!first) continue;
    const [a, tool] = first;
    const related = [a, ...others.slice(0, MAX_RELATED - 1).map(([o]) => o)].map((o) =>
      r.related(o.node.effectSpan, `'${o.ann.id}' (${o.node.effect}) is here`),
    );
    r.add(
      names.priorityConflict(
        r.sourceId,
        b.node.effectSpan,
        {
          first: a.ann.id,
          firstEffect: a.node.effect,
          second: b.ann.id,
          secondEffect: b.node.effect,
          priority: String(b.priority),
          tool,
        },
        { related },
      ),
    );
  }
}

const MAX_RELATED = 10;
