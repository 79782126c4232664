/**
 * An enforced session (docs/enforcement.md): the one object through which a host runs an agent's actions. For
 * each action: identity re-validated → dependencies → the policy decides → a "decision" receipt → ALLOW and
 * MODIFY run the tool on exactly the decided arguments and write an "outcome" receipt; DENY never runs; STEP_UP
 * waits on the approval service, DEFER on the deferral service, each resolution with its own receipt. Every fault
 * — a receipt that cannot be stored, a service that fails or does not answer, an identity that no longer
 * verifies — is a DENY whose reason says why. perform() never throws and never times out into ALLOW.
 */
import type { ActionInput, CanonicalAction, DecisionRecord, Session, ToolOutcome } from "../api.js";
import type { Decision } from "../decide/decision.js";
import { Dependencies } from "../deferral/dependencies.js";
import type { IdentityResult } from "../identity/verifier.js";
import { cloneJson, type ActionRequest, type AdapterResult } from "../mediation/action.js";
import type { ReceiptDeferral, ReceiptIdentity } from "../receipts/draft.js";
import { draftFor, outcomeBlock, type DraftInput } from "./drafts.js";
import type { EnforcerCore } from "./enforcer.js";
import { approveAction } from "./approve.js";
import { deferAction } from "./defer.js";
import { holdOnDependencies } from "./hold.js";
import { prepare, type Prepared } from "./prepare.js";
import type { ActionOutcome, PerformOptions, ReceiptRef, Stage, ToolFunction, ToolGrant } from "./types.js";
import { ToolOutput } from "./tool-output.js";

/** What one action's handling carries along. */
export interface Ctx {
  /** The id the action was submitted under (dependencies refer to it). */
  readonly key: string;
  action: CanonicalAction;
  /** The identity captured when the action was submitted: every receipt of the action records it. */
  readonly identity: ReceiptIdentity;
  readonly receipts: ReceiptRef[];
  readonly signal: AbortSignal | undefined;
  readonly tool: ToolFunction;
  decision?: DecisionRecord;
  resolved?: DecisionRecord;
}

type Written = { readonly ok: true } | { readonly ok: false; readonly reason: string };

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export class EnforcedSession {
  #seq = 0;
  #intake: Promise<void> = Promise.resolve();
  #held = 0;
  readonly #listeners = new Set<(field: string) => void>();
  readonly deps: Dependencies;

  constructor(
    readonly core: EnforcerCore,
    /** The policy session: context, history, decisions. */
    readonly session: Session,
    /** The identity as verified when the session was opened. */
    readonly identity: IdentityResult,
  ) {
    this.deps = new Dependencies(core.defaults.maxDeferralDepth);
  }

  get id(): string {
    return this.session.id;
  }

  /** How many actions are held (awaiting approval, deferred, or held on a dependency). */
  get held(): number {
    return this.#held;
  }

  /** Supply a context field; deferred actions waiting for it are re-evaluated. Throws on a non-JSON value. */
  setContext(field: string, value: unknown): void {
    this.session.setContext(field, value);
    for (const l of [...this.#listeners]) {
      try {
        l(field);
      } catch {
        // a listener's failure is the deferral service's to report; the context is set either way
      }
    }
  }

  /** Subscribe to context changes (the deferral service re-evaluates on them). */
  onContextChange(listener: (field: string) => void): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  /**
   * Run one action through the policy: `input` as Session.decide takes it ({tool, args}) or an adapter's result
   * (fromMcp(...)), `tool` the function that performs it. Never throws.
   */
  async perform(
    input: ActionInput | AdapterResult | ActionRequest,
    tool: ToolFunction,
    options: PerformOptions = {},
  ): Promise<ActionOutcome> {
    const now = this.core.clock();
    let prepared: Prepared;
    try {
      prepared = prepare(this.session, input, options, now, ++this.#seq);
    } catch (e) {
      const action = { id: `act_${this.id}_e${this.#seq}`, tool: "", args: {}, time: now, session: this.id };
      prepared = { action, decide: () => this.refusal(action, `invalid action (${message(e)})`) };
    }
    // Identities are checked concurrently, but actions pass intake (dependencies, the decision) one at a time in
    // the order they were submitted, so decisions, history and dependency holds follow submission order.
    const turn = this.#intake;
    let leave!: () => void;
    this.#intake = new Promise<void>((r) => (leave = r));
    const ident = await this.currentIdentity(now);
    await turn;
    const ctx: Ctx = {
      key: prepared.action.id,
      action: prepared.action,
      identity: ident.receiptIdentity,
      receipts: [],
      signal: options.signal,
      tool,
    };
    try {
      this.deps.track(ctx.key, "running");
      if (!ident.ok) {
        leave();
        return await this.deny(ctx, "identity", [`identity: ${ident.reason}`]);
      }
      const check = this.deps.check(options.dependsOn ?? []);
      if (check.kind === "denied") {
        leave();
        return await this.deny(ctx, "dependency", [`denied: ${check.reason}`]);
      }
      if (check.kind === "held") {
        const held = holdOnDependencies(this, ctx, prepared, check.on, check.depth); // registers before it awaits
        leave();
        return await held;
      }
      if (check.wait.length > 0) {
        leave();
        await this.deps.finished(check.wait);
      }
      const decision = prepared.decide();
      leave();
      ctx.action = decision.action;
      ctx.decision = decision;
      const deferral = decision.effect === "DEFER" ? this.deferralBlock(decision) : undefined;
      const w = await this.write(ctx, { kind: "decision", decision, ...(deferral ? { deferral } : {}) });
      if (!w.ok) return await this.fault(ctx, decision, w.reason);
      return await this.dispatch(ctx, decision, "policy");
    } catch (e) {
      return await this.deny(ctx, "policy", [
        `internal error while enforcing (${message(e)}); failing closed`,
      ]);
    } finally {
      leave();
    }
  }

  /** Go on from a decision whose receipt is written. */
  async dispatch(ctx: Ctx, d: DecisionRecord, stage: Stage): Promise<ActionOutcome> {
    switch (d.effect) {
      case "ALLOW":
      case "MODIFY":
        return this.execute(ctx, d, stage);
      case "DENY":
        return this.finishDenied(ctx, stage, d.reasons);
      case "STEP_UP":
        return approveAction(this, ctx, d, "step_up");
      case "DEFER":
        return stage === "policy" || stage === "dependency"
          ? deferAction(this, ctx, d)
          : this.closeDenied(ctx, "deferral", d, ["the action is still deferred after its resolution"]);
    }
  }

  /** Run the tool on exactly the decided arguments, record its result, write the outcome receipt. */
  async execute(ctx: Ctx, d: DecisionRecord, stage: Stage): Promise<ActionOutcome> {
    const args = cloneJson(
      d.effect === "MODIFY" && d.modifiedArgs ? d.modifiedArgs : d.action.args,
    ) as Record<string, unknown>;
    let grant: ToolGrant = {};
    if (this.core.credentials) {
      try {
        grant = { credential: await this.core.credentials.mint(d, this.session, { identity: ctx.identity }) };
      } catch (e) {
        return await this.deny(ctx, "credential", [
          `no credential could be minted for this action (${message(e)}); failing closed`,
        ]);
      }
    }
    let result: ToolOutcome;
    try {
      const out = await ctx.tool(args, d.action, grant);
      result = out instanceof ToolOutput ? { output: out.output, seen: out.seen } : { output: out };
    } catch (e) {
      result = { error: message(e) };
    }
    try {
      this.session.record(d.action.id, result);
    } catch {
      // not pending: nothing to classify (the policy session already knows the action's fate)
    }
    this.deps.settle(ctx.key, "ran");
    const effect = d.effect === "MODIFY" ? "MODIFY" : "ALLOW";
    const w = await this.write(ctx, {
      kind: "outcome",
      decision: d,
      result: effect,
      outcome: outcomeBlock(result),
    });
    const base = { action: d.action, ran: true, receipts: ctx.receipts, ...this.decisions(ctx) };
    if (!w.ok)
      return {
        ...base,
        effect: "DENY",
        stage: "receipts",
        reasons: [
          `the tool ran, but its outcome receipt could not be written (${w.reason}); its result is withheld`,
        ],
      };
    return {
      ...base,
      effect,
      stage,
      reasons: d.reasons,
      ...("error" in result ? { error: result.error } : { output: result.output }),
    };
  }

  /** Re-decide a deferred action against the context as it is now (same id, arguments and time). */
  reevaluate(action: CanonicalAction): DecisionRecord {
    const p = this.session.policy;
    let d: Decision;
    try {
      d = p.decideIn(this.session.state, action);
    } catch (e) {
      d = {
        effect: "DENY",
        ruleIds: [],
        reasons: [`internal error while deciding (${message(e)}); failing closed`],
        decidedBy: "error",
      };
    }
    this.session.state.log.append("action", this.core.clock(), {
      id: action.id,
      tool: action.tool,
      decision: d.effect,
      rules: d.ruleIds,
      reevaluated: true,
    });
    if (d.effect === "ALLOW" || d.effect === "MODIFY") this.session.markExecuted(action);
    return { ...d, action, policy: p.ref };
  }

  /** The identity now: the opening verification re-validated (expiry, revocation) at `now`. */
  async currentIdentity(
    now: number,
  ): Promise<
    | { ok: true; receiptIdentity: ReceiptIdentity }
    | { ok: false; reason: string; receiptIdentity: ReceiptIdentity }
  > {
    const first = this.identity;
    if (!first.ok)
      return {
        ok: false,
        reason: first.reason,
        receiptIdentity: { status: "none", reason: `rejected: ${first.reason}` },
      };
    let r: IdentityResult;
    try {
      r = await this.core.identity.revalidate(first, now);
    } catch (e) {
      r = { ok: false, code: "malformed", reason: `the identity could not be checked (${message(e)})` };
    }
    return r.ok
      ? { ok: true, receiptIdentity: r.receiptIdentity }
      : { ok: false, reason: r.reason, receiptIdentity: first.receiptIdentity };
  }

  deferralBlock(d: DecisionRecord): ReceiptDeferral {
    return {
      reason: d.reasons.join("; "),
      trigger: d.defer?.trigger ?? "rule",
      waitingFor: [...(d.defer?.waitingFor ?? [])],
    };
  }

  /** A decision the enforcer makes itself (a fault's DENY, a dependency's DEFER), for receipts. */
  synthetic(action: CanonicalAction, effect: "DENY" | "DEFER", reasons: readonly string[]): DecisionRecord {
    return {
      action,
      policy: this.session.policy.ref,
      effect,
      ruleIds: [],
      reasons,
      decidedBy: "enforcement",
    };
  }

  refusal(action: CanonicalAction, reason: string): DecisionRecord {
    return this.synthetic(action, "DENY", [reason]);
  }

  /** One action of the session fewer is held. */
  unhold(): void {
    this.#held--;
  }

  hold(id: string, depth: number): void {
    this.#held++;
    this.deps.hold(id, depth);
  }

  holdLimit(ctx: Ctx, d: DecisionRecord): Promise<ActionOutcome> | null {
    if (this.#held < this.core.defaults.maxHeld) return null;
    return this.closeDenied(
      ctx,
      "approval",
      d,
      [`cascade limit: ${this.#held} actions of this session are already held`],
      {
        approval: { outcome: "unavailable", approvals: [] },
      },
    );
  }

  async write(ctx: Ctx, input: Omit<DraftInput, "time" | "logHead">): Promise<Written> {
    try {
      const draft = draftFor(
        { session: this.id, identity: ctx.identity },
        { ...input, time: this.core.clock(), logHead: this.session.state.log.head },
      );
      const r = await this.core.receipts.write(draft);
      ctx.receipts.push({ kind: input.kind, seq: r.seq, hash: r.hash });
      return { ok: true };
    } catch (e) {
      return { ok: false, reason: message(e) };
    }
  }

  decisions(ctx: Ctx): Pick<ActionOutcome, "decision" | "resolved"> {
    return {
      ...(ctx.decision ? { decision: ctx.decision } : {}),
      ...(ctx.resolved ? { resolved: ctx.resolved } : {}),
    };
  }

  /** DENY before or instead of a policy decision: a "decision" receipt says so. */
  async deny(
    ctx: Ctx,
    stage: Stage,
    reasons: readonly string[],
    extra: Partial<DraftInput> = {},
  ): Promise<ActionOutcome> {
    const d = this.synthetic(ctx.action, "DENY", reasons);
    const w = await this.write(ctx, { kind: "decision", decision: d, decidedBy: stage, ...extra });
    return this.finishDenied(
      ctx,
      w.ok ? stage : "receipts",
      w.ok ? reasons : [...reasons, `the receipt could not be written (${w.reason})`],
    );
  }

  /** A held action ends denied: an approval or deferral receipt with result DENY. */
  async closeDenied(
    ctx: Ctx,
    stage: "approval" | "deferral" | "dependency",
    d: DecisionRecord,
    reasons: readonly string[],
    extra: Partial<DraftInput> = {},
  ): Promise<ActionOutcome> {
    const kind = stage === "approval" ? "approval" : "deferral";
    const w = await this.write(ctx, {
      kind,
      decision: d,
      result: "DENY",
      reasons,
      decidedBy: stage,
      ...extra,
    });
    const out = this.finishDenied(
      ctx,
      w.ok ? stage : "receipts",
      w.ok ? reasons : [...reasons, `the receipt could not be written (${w.reason})`],
    );
    return extra.approval ? { ...out, approval: extra.approval } : out;
  }

  /** A receipt could not be written for a decision: DENY, and say why. */
  async fault(ctx: Ctx, d: DecisionRecord, reason: string): Promise<ActionOutcome> {
    ctx.decision ??= d;
    return this.finishDenied(ctx, "receipts", [
      `denied: the receipt for this ${d.effect} could not be written (${reason})`,
    ]);
  }

  finishDenied(ctx: Ctx, stage: Stage, reasons: readonly string[]): ActionOutcome {
    this.deps.settle(ctx.key, "denied");
    return {
      effect: "DENY",
      ran: false,
      action: ctx.action,
      stage,
      reasons,
      receipts: ctx.receipts,
      ...this.decisions(ctx),
    };
  }
}
