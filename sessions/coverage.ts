/**
 * Policy coverage: which rules decided some action (tag rules: labelled some result), and which outcomes each
 * atomic condition took. It listens to a tracing evaluator (runtime/eval/trace.ts), so it sees exactly what the
 * decision procedure evaluated: a condition skipped by short-circuiting, or a rule in a tier below the one that
 * decided, is not exercised.
 */
import type { TraceListener } from "../runtime/eval/trace.js";
import { EvalError, type Result, UNKNOWN } from "../runtime/eval/values.js";
import type { IrExpr, IrPolicy } from "../runtime/ir/index.js";
import { type Atom, type ConditionOwner, type PolicyText, policyAtoms } from "./conditions.js";

/** What an atomic condition evaluated to. */
export type Outcome = "true" | "false" | "unknown" | "error";

/** A rule (or tag rule) and whether a test exercised it. */
export interface RuleCoverage {
  readonly id: string;
  readonly kind: "rule" | "tag";
  /** The rule's effect (`deny`, `allow`, ...); `label` for a tag rule. */
  readonly effect: string;
  /** `line N` when the policy source is at hand, else "". */
  readonly where: string;
}

/** An atomic condition that did not take both outcomes. */
export interface ConditionCoverage {
  readonly owner: string;
  readonly ownerKind: ConditionOwner["kind"];
  readonly text: string;
  readonly where: string;
  /** The outcomes seen, in the order true, false, unknown, error. */
  readonly seen: readonly Outcome[];
  /** `true` and/or `false` when never seen. */
  readonly missing: readonly ("true" | "false")[];
}

export interface CoverageReport {
  /** Rules and tag rules: covered = decided an action (tag rules: labelled a result). */
  readonly rules: {
    readonly covered: number;
    readonly total: number;
    readonly percent: number;
    readonly missed: readonly RuleCoverage[];
  };
  /** Outcomes of atomic conditions: each atom counts twice (true and false). */
  readonly conditions: {
    readonly covered: number;
    readonly total: number;
    readonly percent: number;
    readonly missed: readonly ConditionCoverage[];
  };
}

const ORDER: readonly Outcome[] = ["true", "false", "unknown", "error"];

function outcome(v: Result): Outcome {
  if (v === true) return "true";
  if (v === false) return "false";
  if (v === UNKNOWN) return "unknown";
  return v instanceof EvalError ? "error" : "error";
}

const percent = (covered: number, total: number) =>
  total === 0 ? 100 : Math.floor((covered / total) * 1000) / 10;

/** Collects coverage over any number of replays of one policy. */
export class CoverageCollector {
  readonly #atoms: ReadonlyMap<IrExpr, Atom>;
  readonly #seen = new Map<IrExpr, Set<Outcome>>();
  readonly #decided = new Set<string>();
  readonly #labelled = new Set<number>();
  readonly listener: TraceListener;

  constructor(readonly ir: IrPolicy) {
    this.#atoms = new Map(policyAtoms(ir).map((a) => [a.expr, a]));
    this.listener = {
      node: (e, v) => {
        if (!this.#atoms.has(e)) return;
        const s = this.#seen.get(e) ?? new Set<Outcome>();
        s.add(outcome(v));
        this.#seen.set(e, s);
      },
      condition: (ev) => {
        if (ev.kind === "tag" && ev.value === true) this.#labelled.add(ev.index);
      },
    };
  }

  /** Record the rules that decided an action. */
  decided(ruleIds: readonly string[]): void {
    for (const id of ruleIds) this.#decided.add(id);
  }

  report(text: PolicyText): CoverageReport {
    const ir = this.ir;
    const rules: (RuleCoverage & { covered: boolean })[] = [
      ...ir.rules.map((r) => ({
        id: r.id,
        kind: "rule" as const,
        effect: r.effect,
        where: text.where(r.at),
        covered: this.#decided.has(r.id),
      })),
      ...ir.tagRules.map((t, i) => ({
        id: t.id,
        kind: "tag" as const,
        effect: "label",
        where: text.where(t.at),
        covered: this.#labelled.has(i),
      })),
    ];
    const ruleCovered = rules.filter((r) => r.covered).length;
    const missedConditions: ConditionCoverage[] = [];
    let outcomes = 0;
    for (const [expr, atom] of this.#atoms) {
      const seen = this.#seen.get(expr) ?? new Set<Outcome>();
      const missing = (["true", "false"] as const).filter((o) => !seen.has(o));
      outcomes += 2 - missing.length;
      if (missing.length === 0) continue;
      missedConditions.push({
        owner: atom.owner.id,
        ownerKind: atom.owner.kind,
        text: text.expr(expr),
        where: text.where(expr.at),
        seen: ORDER.filter((o) => seen.has(o)),
        missing,
      });
    }
    const total = this.#atoms.size * 2;
    return {
      rules: {
        covered: ruleCovered,
        total: rules.length,
        percent: percent(ruleCovered, rules.length),
        missed: rules.filter((r) => !r.covered).map(({ covered: _c, ...r }) => r),
      },
      conditions: { covered: outcomes, total, percent: percent(outcomes, total), missed: missedConditions },
    };
  }
}
