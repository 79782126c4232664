/**
 * The Decision a policy returns for an action.
 */

export type DecisionEffect = "ALLOW" | "DENY" | "MODIFY" | "STEP_UP" | "DEFER";

/** Why a DEFER: AARM R3(a) unknown context, R3(b) conflicting rules, or a defer rule that matched. */
export type DeferTrigger = "unknown_context" | "conflict" | "rule";

export interface ApprovalRequirement {
  readonly ruleId: string;
  readonly quorum: { readonly kind: "any" } | { readonly kind: "all" } | { readonly kind: "k"; readonly k: number };
  readonly groups: readonly string[];
  readonly escalation: { readonly groups: readonly string[]; readonly afterMs: number } | null;
}

export interface RuleError {
  readonly ruleId: string;
  readonly message: string;
  /** Source span [start, end) of the failing expression in the policy file. */
  readonly at: readonly [number, number];
}

export interface Decision {
  readonly effect: DecisionEffect;
  /** The rules that decided (empty when the default posture or validation decided). */
  readonly ruleIds: readonly string[];
  /** One line per reason, in rule order. Never empty. */
  readonly reasons: readonly string[];
  /** MODIFY: the arguments the tool must receive. */
  readonly modifiedArgs?: Readonly<Record<string, unknown>>;
  /** STEP_UP: who must approve, and the timeout after which the action is DENIED. */
  readonly stepUp?: { readonly approvals: readonly ApprovalRequirement[]; readonly timeoutMs: number | null };
  /** DEFER: what it waits for, and the timeout after which the action is DENIED. */
  readonly defer?: {
    readonly trigger: DeferTrigger;
    readonly waitingFor: readonly string[];
    readonly timeoutMs: number | null;
  };
  /** Errors that made a rule fail closed. */
  readonly errors?: readonly RuleError[];
  /**
   * What decided: a rule tier, argument validation, the default posture, or a runtime guard; "resolver" and
   * "enforcement" mark decisions a deferral's resolver or the enforcement layer made (docs/enforcement.md).
   */
  readonly decidedBy:
    | "forbid"
    | "validation"
    | "rules"
    | "default"
    | "unknown_tool"
    | "budget"
    | "error"
    | "resolver"
    | "enforcement";
}
