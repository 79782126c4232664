/**
 * Rule options (AARM2420–2425): `approvers` (step_up only, required there, once), `timeout` (step_up and
 * defer), `escalate` (step_up). The quorum must be reachable and escalation must come before the timeout.
 */
import type {
  ApproversOption,
  EscalateOption,
  Rule,
  RuleOption,
  TimeoutOption,
} from "../../language/index.js";
import { assertNever, names } from "../../language/index.js";
import type { CheckedApprovers, CheckedEscalation } from "../model.js";
import type { Reporter } from "./context.js";

/** The options of one rule, checked (undefined where absent or invalid). */
export interface CheckedOptions {
  readonly approvers: CheckedApprovers | undefined;
  readonly timeoutMs: number | undefined;
  readonly escalation: CheckedEscalation | undefined;
}

const ALLOWED: Readonly<
  Record<RuleOption["kind"], { effects: readonly string[]; name: string; allowed: string }>
> = {
  ApproversOption: { effects: ["step_up"], name: "approvers", allowed: "step_up" },
  TimeoutOption: { effects: ["step_up", "defer"], name: "timeout", allowed: "step_up and defer" },
  EscalateOption: { effects: ["step_up"], name: "escalate", allowed: "step_up" },
};

/** Check a rule's options. */
export function checkOptions(r: Reporter, rule: Rule): CheckedOptions {
  let approvers: ApproversOption | undefined;
  let timeout: TimeoutOption | undefined;
  let escalate: EscalateOption | undefined;
  for (const o of rule.options) {
    const spec = ALLOWED[o.kind];
    if (!spec.effects.includes(rule.effect)) {
      r.add(
        names.optionNotAllowed(r.sourceId, o.span, {
          option: spec.name,
          effect: rule.effect,
          allowed: spec.allowed,
        }),
      );
      continue;
    }
    const prev = o.kind === "ApproversOption" ? approvers : o.kind === "TimeoutOption" ? timeout : escalate;
    if (prev) {
      r.add(
        names.duplicateOption(
          r.sourceId,
          o.span,
          { option: spec.name },
          { related: [r.related(prev.span, "first given here")] },
        ),
      );
      continue;
    }
    switch (o.kind) {
      case "ApproversOption":
        approvers = o;
        break;
      case "TimeoutOption":
        timeout = o;
        break;
      case "EscalateOption":
        escalate = o;
        break;
      default:
        assertNever(o);
    }
  }
  if (rule.effect === "step_up" && !approvers) r.add(names.missingApprovers(r.sourceId, rule.effectSpan, {}));
  if (approvers) checkApprovers(r, approvers);
  if (escalate) {
    if (escalate.groups.length === 0)
      r.add(names.emptyGroupList(r.sourceId, escalate.span, { option: "escalate" }));
    if (timeout && escalate.after.ms >= timeout.duration.ms) {
      r.add(
        names.escalationNotBeforeTimeout(
          r.sourceId,
          escalate.after.span,
          {
            after: escalate.after.raw,
            timeout: timeout.duration.raw,
          },
          { related: [r.related(timeout.span, "the timeout")] },
        ),
      );
    }
  }
  return {
    approvers: approvers
      ? { quorum: approvers.quorum, groups: [...new Set(approvers.groups.map((g) => g.value))] }
      : undefined,
    timeoutMs: timeout?.duration.ms,
    escalation: escalate
      ? { groups: escalate.groups.map((g) => g.value), afterMs: escalate.after.ms }
      : undefined,
  };
}

function checkApprovers(r: Reporter, a: ApproversOption): void {
  if (a.groups.length === 0) {
    r.add(names.emptyGroupList(r.sourceId, a.span, { option: "approvers" }));
    return;
  }
  const distinct = new Set(a.groups.map((g) => g.value)).size;
  if (a.quorum.kind === "k" && a.quorum.k > distinct) {
    r.add(names.quorumTooLarge(r.sourceId, a.span, { k: a.quorum.k, groups: distinct }));
  }
}
