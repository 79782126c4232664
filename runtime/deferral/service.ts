/**
 * The in-process deferral service (AARM R4, DEFER; docs/enforcement.md, "Deferral"). It implements the enforcer's
 * DeferralPort. A deferred action is resolved
 * - by **re-evaluation when context arrives**: when a field it waits for is set (any field, for a DEFER that
 *   names none — a `defer` rule over a signal, a conflict), the action is decided again against the session's
 *   context as it is now; a decision other than DEFER resolves it (method "context");
 * - by a **resolver**: a callback the host configures (it may fetch the missing context, deny, or escalate the
 *   action to human approvers), or a call to `resolve(id, answer)` (method "resolver");
 * - by **timeout**: DENY (method "timeout"). Nothing ever times out into ALLOW.
 */
import type { DecisionRecord } from "../api.js";
import type { ApprovalRequirement } from "../decide/decision.js";
import type { DeferralPort, DeferRequest, DeferResolution } from "../enforce/ports.js";
import { systemTimers, type Timers } from "../enforce/timers.js";

/** A resolver's answer. `undefined`: no answer (keep waiting for context or the timeout). */
export type ResolverAnswer =
  /** Set these context fields, then decide again (a decision other than DEFER resolves). */
  | { readonly context: Readonly<Record<string, unknown>> }
  /** Deny the action, saying why. */
  | { readonly deny: string }
  /** Hand the action to human approvers (a STEP_UP the approval service handles, source "defer_escalation"). */
  | {
      readonly escalate: {
        readonly groups: readonly string[];
        readonly quorum?: ApprovalRequirement["quorum"];
        readonly timeoutMs?: number;
        readonly reason?: string;
      };
    };

export type Resolver = (
  req: DeferRequest,
  signal: AbortSignal,
) => Promise<ResolverAnswer | undefined> | ResolverAnswer | undefined;

export interface DeferralServiceOptions {
  readonly clock?: () => number;
  readonly timers?: Timers;
  /** Called once for every deferred action, as soon as it is deferred. */
  readonly resolver?: Resolver;
  /** Notifications: an action was deferred, or its deferral ended (resolved, timed out, withdrawn). */
  readonly onEvent?: (event: DeferralEvent) => void;
}

export type DeferralEvent =
  | { readonly type: "deferred"; readonly deferral: DeferredSummary }
  | {
      readonly type: "ended";
      readonly deferral: DeferredSummary;
      readonly method: DeferResolution["method"];
    };

/** A deferred action as `list()` shows it. */
export interface DeferredSummary {
  readonly id: string;
  readonly session: string;
  readonly tool: string;
  readonly actionId: string;
  readonly reason: string;
  readonly waitingFor: readonly string[];
  readonly createdAt: number;
  readonly deadline: number;
}

interface Entry {
  readonly req: DeferRequest;
  readonly deadline: number;
  readonly finish: (r: DeferResolution) => void;
  /** Set while a resolver's context is applied, so that its re-evaluation counts as the resolver's. */
  applying: boolean;
}

function summary({ req, deadline }: Entry): DeferredSummary {
  return {
    id: req.id,
    session: req.session,
    tool: req.action.tool,
    actionId: req.action.id,
    reason: req.decision.reasons.join("; "),
    waitingFor: req.waitingFor,
    createdAt: req.createdAt,
    deadline,
  };
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export class DeferralService implements DeferralPort {
  readonly #entries = new Map<string, Entry>();
  readonly #clock: () => number;
  readonly #timers: Timers;

  constructor(readonly options: DeferralServiceOptions = {}) {
    this.#clock = options.clock ?? (() => Date.now());
    this.#timers = options.timers ?? systemTimers;
  }

  defer(req: DeferRequest, signal?: AbortSignal): Promise<DeferResolution> {
    return new Promise<DeferResolution>((resolve) => {
      const controller = new AbortController();
      const cleanups: (() => void)[] = [];
      let done = false;
      const finish = (r: DeferResolution): void => {
        if (done) return;
        done = true;
        for (const c of cleanups) c();
        this.#entries.delete(req.id);
        controller.abort();
        resolve(r);
        this.#emit({ type: "ended", deferral: summary(entry), method: r.method });
      };
      const entry: Entry = { req, deadline: this.#clock() + req.timeoutMs, finish, applying: false };
      this.#entries.set(req.id, entry);
      cleanups.push(
        this.#timers.set(
          () =>
            finish({
              method: "timeout",
              time: this.#clock(),
              reason: `not resolved within the timeout of ${req.timeoutMs} ms; a timeout is a DENY`,
            }),
          req.timeoutMs,
        ),
      );
      const fields = new Set(
        req.waitingFor.filter((w) => w.startsWith("context.")).map((w) => w.slice("context.".length)),
      );
      const anyField = req.waitingFor.length === 0;
      cleanups.push(
        req.onContextChange((field) => {
          if (entry.applying || (!anyField && !fields.has(field))) return;
          this.#reevaluate(entry, "context");
        }),
      );
      const onAbort = (): void =>
        finish({ method: "unavailable", time: this.#clock(), reason: "the deferral was withdrawn" });
      if (signal?.aborted) return onAbort();
      signal?.addEventListener("abort", onAbort, { once: true });
      cleanups.push(() => signal?.removeEventListener("abort", onAbort));
      this.#emit({ type: "deferred", deferral: summary(entry) });
      const resolver = this.options.resolver;
      if (resolver && !done) {
        Promise.resolve()
          .then(() => resolver(req, controller.signal))
          .then(
            (answer) => {
              if (answer !== undefined && !done) this.#apply(entry, answer);
            },
            (e: unknown) =>
              finish({
                method: "unavailable",
                time: this.#clock(),
                reason: `the resolver failed (${message(e)})`,
              }),
          );
      }
    });
  }

  /** Deferred actions waiting now. */
  list(): DeferredSummary[] {
    return [...this.#entries.values()].map(summary);
  }

  #emit(event: DeferralEvent): void {
    try {
      this.options.onEvent?.(event);
    } catch {
      // a notifier's failure does not change the resolution
    }
  }

  /** Resolve a deferred action by hand (a human, an operator's tool). Returns false if it is not waiting. */
  resolve(id: string, answer: ResolverAnswer): boolean {
    const entry = this.#entries.get(id);
    if (!entry) return false;
    this.#apply(entry, answer);
    return true;
  }

  #reevaluate(entry: Entry, method: "context" | "resolver"): void {
    let decision: DecisionRecord;
    try {
      decision = entry.req.reevaluate();
    } catch (e) {
      entry.finish({
        method: "unavailable",
        time: this.#clock(),
        reason: `re-evaluation failed (${message(e)})`,
      });
      return;
    }
    if (decision.effect !== "DEFER") entry.finish({ method, time: this.#clock(), decision });
  }

  #apply(entry: Entry, answer: ResolverAnswer): void {
    const { req } = entry;
    const base = req.decision;
    if ("deny" in answer) {
      const reason =
        typeof answer.deny === "string" && answer.deny !== "" ? answer.deny : "denied by the resolver";
      const decision: DecisionRecord = {
        ...base,
        effect: "DENY",
        reasons: [`resolver: ${reason}`],
        decidedBy: "resolver",
      };
      entry.finish({ method: "resolver", time: this.#clock(), decision });
    } else if ("escalate" in answer) {
      const e = answer.escalate;
      if (!Array.isArray(e?.groups) || e.groups.length === 0 || e.groups.some((g) => typeof g !== "string")) {
        entry.finish({
          method: "unavailable",
          time: this.#clock(),
          reason: "the resolver escalated to no approver groups",
        });
        return;
      }
      const requirement: ApprovalRequirement = {
        ruleId: "defer-escalation",
        quorum: e.quorum ?? { kind: "any" },
        groups: [...e.groups],
        escalation: null,
      };
      const decision: DecisionRecord = {
        ...base,
        effect: "STEP_UP",
        reasons: [`resolver: ${e.reason ?? "escalated to human approvers"}`],
        decidedBy: "resolver",
        stepUp: { approvals: [requirement], timeoutMs: e.timeoutMs ?? null },
      };
      entry.finish({ method: "resolver", time: this.#clock(), decision });
    } else if ("context" in answer && typeof answer.context === "object" && answer.context !== null) {
      entry.applying = true;
      try {
        for (const [field, value] of Object.entries(answer.context)) req.setContext(field, value);
      } catch (e) {
        entry.finish({
          method: "unavailable",
          time: this.#clock(),
          reason: `the resolver's context was refused (${message(e)})`,
        });
        return;
      } finally {
        entry.applying = false;
      }
      this.#reevaluate(entry, "resolver");
    } else {
      entry.finish({
        method: "unavailable",
        time: this.#clock(),
        reason: "the resolver gave an answer that is not context, deny or escalate",
      });
    }
  }
}

/** Create an in-process deferral service. */
export function createDeferralService(options: DeferralServiceOptions = {}): DeferralService {
  return new DeferralService(options);
}
