/**
 * The embeddable runtime API: load a compiled policy, open sessions, decide actions, record results.
 * Everything on the decision path is plain JavaScript (no Node-only API), so the runtime embeds in any host.
 * Fail closed: bad input, a crashed evaluator or an unknown tool is a DENY with a reason, never an exception that
 * a careless host could turn into an ALLOW.
 */
import { z } from "zod";
import { buildPlans, type ToolPlan } from "./decide/plan.js";
import { decideAction, type Evaluator } from "./decide/core.js";
import type { Decision } from "./decide/decision.js";
import type { EvalEnv } from "./eval/env.js";
import { irEvaluator } from "./eval/ir-evaluator.js";
import { truth } from "./eval/ops.js";
import { type Result, UNKNOWN, type Unknown } from "./eval/values.js";
import { type IrPolicy, parseIr } from "./ir/index.js";
import { type Identity, SessionState } from "./session/state.js";
import { ajvValidator, type ArgValidator } from "./validate.js";
import { hashJson } from "./session/hash.js";
import { type ActionRequest, type ActionSource, type AdapterResult, type IdentityRef, JsonObject, type MediatedAction, type MediationErrorCode, type RequestOptions, type WrapperRecord } from "./mediation/action.js";
import { identityRef, isNormalized, type MediationOptions, normalizeWith, parseMediationOptions, type ResolvedMediation } from "./mediation/normalize.js";
import { DriftModel, type DriftReading, type DriftTracker, withSessionDrift } from "./drift/index.js";
import { type ActionInput, parseAction } from "./action-input.js";

/**
 * Default decision budget, in cost units: one unit per expression node evaluated plus one per input character an
 * operation may scan (see docs/semantics.md, "Budget"). Ten million units is a few milliseconds of work.
 */
export const DEFAULT_BUDGET = 10_000_000;

/** An identity as hosts assert it (openSession, recorded sessions). */
export const IdentitySchema = z
  .object({
    human: z.string().min(1).optional(),
    service: z.string().min(1).optional(),
    agent: z.string().min(1).optional(),
    session: z.string().min(1).optional(),
    role: z.string().min(1).optional(),
    scopes: z.array(z.string()).optional(),
    delegation: z.array(z.string()).optional(),
  })
  .strict();

const SessionOptionsSchema = z
  .object({
    id: z.string().min(1).optional(),
    identity: IdentitySchema,
    request: z.string().optional(),
    context: JsonObject.optional(),
    /** A drift model (runtime/drift): makes `drift` and `session.drift` known (docs/drift.md). */
    drift: z.instanceof(DriftModel, { message: "expected a DriftModel (driftModel() from runtime/drift)" }).optional(),
  })
  .strict();

export type SessionOptions = z.input<typeof SessionOptionsSchema>;
export type { ActionInput };

/**
 * What an executed action returned: its output, or its error. `seen` is text the agent read from the same result
 * that the output does not hold — an MCP result's text blocks beside its `structuredContent`: `on result` rules
 * see the output only, and provenance indexes both, so a value the agent read only in that text is still traced
 * to the tool.
 */
export type ToolOutcome =
  | { readonly output: unknown; readonly seen?: string }
  | { readonly error: string };

/** An action after normalisation (decideRequest fills the optional fields; see runtime/mediation). */
export interface CanonicalAction {
  readonly id: string;
  readonly tool: string;
  readonly args: Readonly<Record<string, unknown>>;
  readonly time: number;
  readonly session: string;
  readonly operation?: string;
  readonly identity?: IdentityRef;
  readonly source?: ActionSource;
  /** The wrapper (meta-tool) the action was resolved from. */
  readonly wrapper?: WrapperRecord;
}

/** A decision together with the action it was made for. */
export interface DecisionRecord extends Decision {
  readonly action: CanonicalAction;
  readonly policy: PolicyRef;
  /** Set when decideRequest could not mediate the request (the decision is then DENY). */
  readonly mediationError?: { readonly code: MediationErrorCode; readonly field: string };
  /** With a drift model: this action's drift and the session's including it (null while unknown). */
  readonly drift?: { readonly action: number | null; readonly session: number | null };
}

/** Which policy decided: what a receipt binds. */
export interface PolicyRef {
  readonly name: string;
  readonly version: string | null;
  /** `sha256:` of the canonical IR. */
  readonly hash: string;
  /** `sha256:` of the signed bundle manifest, when the policy was loaded from a bundle (runtime/bundle). */
  readonly bundleHash?: string;
}

export interface LoadOptions {
  /** "interpreter" (default) or an Evaluator, e.g. the generated one from targets/js. */
  readonly evaluator?: Evaluator;
  readonly validator?: ArgValidator;
  readonly budget?: number;
  /** Working directory used to resolve relative file paths in bound arguments. */
  readonly cwd?: string;
  /** Clock for action times, ms since the epoch. */
  readonly clock?: () => number;
  /** Wrapper (meta-tool) resolution for decideRequest. */
  readonly mediation?: MediationOptions;
  /** The hash of the bundle the policy came from (set by loadBundle). */
  readonly bundleHash?: string;
}

/** Thrown only for programming errors of the host (e.g. loading invalid IR), never on the decision path. */
export class PolicyLoadError extends Error {}

function zodMessage(e: z.ZodError): string {
  const i = e.issues[0];
  return i ? `${i.path.map(String).join(".") || "(root)"}: ${i.message}` : "invalid input";
}

let sessionCounter = 0;

/** A loaded policy. */
export class Policy {
  readonly ir: IrPolicy;
  readonly hash: string;
  /** The bundle's manifest hash when loaded from a bundle, else null. */
  readonly bundleHash: string | null;
  /** name, version, hash (and bundleHash) as decisions report them. */
  readonly ref: PolicyRef;
  readonly evaluator: Evaluator;
  readonly #plans: ReadonlyMap<string, ToolPlan>;
  readonly #validate: ArgValidator;
  readonly #budget: number;
  readonly #cwd: string;
  /** Reused by every decision (deciding is synchronous): where the evaluator's batch of condition values goes. */
  readonly #scratch: Result[];
  readonly clock: () => number;
  readonly mediation: ResolvedMediation;

  constructor(ir: IrPolicy, options: LoadOptions = {}) {
    const m = parseMediationOptions(options.mediation);
    if (!m.ok) throw new PolicyLoadError(`invalid load options: ${m.error.message}`);
    this.mediation = m.mediation;
    this.ir = ir;
    this.hash = `sha256:${hashJson(ir)}`;
    this.bundleHash = options.bundleHash ?? null;
    this.ref = { name: ir.name, version: ir.version, hash: this.hash, ...(options.bundleHash !== undefined ? { bundleHash: options.bundleHash } : {}) };
    this.evaluator = options.evaluator ?? irEvaluator(ir);
    this.#plans = buildPlans(ir);
    this.#validate = options.validator ?? ajvValidator(ir);
    this.#budget = options.budget ?? DEFAULT_BUDGET;
    this.#cwd = options.cwd ?? "/";
    this.#scratch = new Array<Result>(ir.rules.length).fill(false);
    this.clock = options.clock ?? (() => Date.now());
  }

  /** Open a session. Throws a PolicyLoadError with a precise message on invalid options. */
  openSession(options: SessionOptions): Session {
    const r = SessionOptionsSchema.safeParse(options);
    if (!r.success) throw new PolicyLoadError(`invalid session options: ${zodMessage(r.error)}`);
    const o = r.data;
    const id = o.id ?? o.identity.session ?? `sess_${++sessionCounter}`;
    const state = new SessionState({
      id,
      identity: o.identity as Identity,
      ...(o.request !== undefined ? { request: o.request } : {}),
      ...(o.context !== undefined ? { context: o.context } : {}),
      time: this.clock(),
    });
    const drift = o.drift?.open(o.request) ?? null;
    if (typeof drift?.value === "number") state.setDrift(drift.value);
    return new Session(this, state, drift);
  }

  /** Decide against a session's state (used by Session). */
  decideIn(state: SessionState, action: CanonicalAction, drift?: DriftReading): Decision {
    const session = drift ? withSessionDrift(state, drift.session) : state;
    const env: EvalEnv = { tool: action.tool, args: action.args, now: action.time, session, drift: drift?.action ?? UNKNOWN };
    return decideAction({
      ir: this.ir,
      plans: this.#plans,
      evaluator: this.evaluator,
      env,
      validateArgs: this.#validate,
      budget: this.#budget,
      cwd: this.#cwd,
      scratch: this.#scratch,
    });
  }

  /** Classify a tool result: labels and level from matching tag rules; the highest level when none matches. */
  classify(state: SessionState, action: CanonicalAction, output: unknown, drift: number | Unknown = UNKNOWN): { labels: string[]; level: number } {
    const plan = this.#plans.get(action.tool);
    const top = this.ir.levels.length - 1;
    if (!plan) return { labels: [], level: top };
    const env: EvalEnv = { tool: action.tool, args: action.args, now: action.time, session: state, drift, result: output };
    const labels = new Set<string>();
    let level = -1;
    let classified = false;
    for (const i of plan.tagRules) {
      const t = this.ir.tagRules[i]!;
      let raw: ReturnType<Evaluator["tag"]>;
      try {
        raw = this.evaluator.tag(i, env);
      } catch {
        return { labels: [...labels], level: top }; // a crashed tag rule: fail closed, the highest level
      }
      const v = truth(raw, t.at);
      if (v === false) continue;
      if (v !== true) return { labels: [...labels], level: top }; // unknown or error: fail closed
      classified = true;
      for (const l of t.labels) labels.add(l);
      if (t.level !== null) level = Math.max(level, t.level);
    }
    return { labels: [...labels].sort(), level: classified ? Math.max(level, 0) : top };
  }
}

/**
 * The record of a decision: the decision's members, then the action, the policy and the drift reading. Copied
 * member by member, not spread: V8 builds `{ ...decision, action, policy }` on a slow path (about 2 µs a decision).
 */
function decisionRecord(decision: Decision, action: CanonicalAction, policy: PolicyRef, drift: NonNullable<DecisionRecord["drift"]> | null): DecisionRecord {
  const record = Object.assign({}, decision) as Decision & { action: CanonicalAction; policy: PolicyRef; drift?: NonNullable<DecisionRecord["drift"]> };
  record.action = action;
  record.policy = policy;
  if (drift) record.drift = drift;
  return record;
}

/** One session: the context accumulator plus decide/record. */
export class Session {
  #seq = 0;
  readonly #pending = new Map<string, CanonicalAction>();
  /** Every action id decided in this session. */
  readonly #ids = new Set<string>();
  constructor(
    readonly policy: Policy,
    readonly state: SessionState,
    /** The session's drift tracker, when it was opened with a drift model. */
    readonly drift: DriftTracker | null = null,
  ) {}

  get id(): string {
    return this.state.id;
  }

  /** Decide an action, taken as canonical (no wrapper resolution). Never throws: bad input is a DENY decision. */
  decide(input: ActionInput): DecisionRecord {
    const p = this.policy;
    const seq = ++this.#seq;
    const parsed = parseAction(input);
    if (!parsed.success) return this.#refuseInput(input, `act_${this.id}_${seq}`, p.clock(), `invalid action: ${zodMessage(parsed.error)}`);
    const a = parsed.data;
    return this.#decideCanonical({ id: a.id ?? `act_${this.id}_${seq}`, tool: a.tool, args: a.args, time: a.time ?? p.clock(), session: this.id });
  }

  /**
   * Mediate and decide an adapter's output in one call, e.g. `session.decideRequest(fromMcp(message))`: wrappers
   * are resolved, identity claims checked against the session's, and the action gets a deterministic id. Never
   * throws: a request that cannot be mediated (or repeats an id already decided here) is a DENY decision.
   */
  decideRequest(input: AdapterResult | ActionRequest, options: RequestOptions = {}): DecisionRecord {
    const p = this.policy;
    const seq = ++this.#seq;
    const o: RequestOptions = typeof options === "object" && options !== null ? options : {};
    const time = typeof o.time === "number" && Number.isFinite(o.time) ? o.time : p.clock();
    const inner: unknown = typeof input === "object" && input !== null && "ok" in input ? (input.ok ? input.request : null) : input;
    const raw = (typeof inner === "object" && inner !== null ? inner : {}) as Partial<ActionRequest>;
    const nonce = o.nonce ?? (raw.nonce === undefined ? seq : undefined);
    const ctx = { session: this.id, time, identity: identityRef(this.state.identityRecord), ...(o.id !== undefined ? { id: o.id } : {}), ...(nonce !== undefined ? { nonce } : {}) };
    const r = normalizeWith(input, ctx, p.mediation);
    if (!r.ok) {
      const id = typeof o.id === "string" && o.id !== "" ? o.id : `act_${this.id}_${seq}`;
      return { ...this.#refuseInput(raw, id, time, `invalid request: ${r.error.message}`), mediationError: { code: r.error.code, field: r.error.field } };
    }
    return this.#decideMediated(r.action);
  }

  /**
   * Decide an action that normalizeWith already made from an adapter's request for this session (its id, identity
   * and time fixed): what decideRequest does once it has normalised the request. The enforcement layer normalises a
   * request once, to know the action's id before it is decided (runtime/enforce/prepare.ts), and decides that action.
   */
  decideNormalized(action: MediatedAction): DecisionRecord {
    const seq = ++this.#seq;
    // Only an action normalisation made, for this session, skips normalising: anything else (a copy, a hand-made
    // object, another session's action) is refused, never decided as if it had been checked.
    if (!isNormalized(action) || action.session !== this.id) {
      return this.#refuseInput(action, `act_${this.id}_${seq}`, this.policy.clock(), "not an action normalised for this session (decideNormalized takes only what normalisation returned; use decideRequest)");
    }
    return this.#decideMediated(action);
  }

  #decideMediated(action: MediatedAction): DecisionRecord {
    if (this.#ids.has(action.id)) return this.#refuse(action, `duplicate action id '${action.id}': this request was already decided in this session`);
    return this.#decideCanonical(action);
  }

  /** Refuse input that is not a decidable action: recorded under `id`, with the tool name it gave if it gave one. */
  #refuseInput(input: unknown, id: string, time: number, reason: string): DecisionRecord {
    const raw = (typeof input === "object" && input !== null ? input : {}) as { tool?: unknown };
    return this.#refuse({ id, tool: typeof raw.tool === "string" ? raw.tool : "", args: {}, time, session: this.id }, reason);
  }

  #refuse(action: CanonicalAction, reason: string): DecisionRecord {
    const p = this.policy;
    this.state.log.appendOwn("action", action.time, { id: action.id, tool: action.tool, decision: "DENY", rules: [], refused: reason });
    return { action, policy: p.ref, effect: "DENY", ruleIds: [], reasons: [reason], decidedBy: "validation" };
  }

  #decideCanonical(action: CanonicalAction): DecisionRecord {
    const p = this.policy;
    this.#ids.add(action.id);
    let decision: Decision;
    let reading: DriftReading | undefined;
    try {
      reading = this.drift?.assess(action.id, action.tool, action.args);
      decision = p.decideIn(this.state, action, reading);
    } catch (e) {
      decision = {
        effect: "DENY",
        ruleIds: [],
        reasons: [`internal error while deciding (${e instanceof Error ? e.message : String(e)}); failing closed`],
        decidedBy: "error",
      };
    }
    const drift = reading ? { action: typeof reading.action === "number" ? reading.action : null, session: typeof reading.session === "number" ? reading.session : null } : null;
    // Built here for the log alone (the arrays copied: the decision and the action keep theirs), so not cloned again.
    const entry: Record<string, unknown> = { id: action.id, tool: action.tool, decision: decision.effect, rules: decision.ruleIds.slice() };
    if (action.wrapper) entry["wrapper"] = action.wrapper.chain.slice();
    if (drift) entry["drift"] = { action: drift.action, session: drift.session };
    this.state.log.appendOwn("action", action.time, entry);
    if (decision.effect === "ALLOW" || decision.effect === "MODIFY") this.markExecuted(action);
    return decisionRecord(decision, action, p.ref, drift);
  }

  /** The action runs (ALLOW, MODIFY, or an approved STEP_UP / resolved DEFER): it becomes history. */
  markExecuted(action: CanonicalAction): void {
    this.state.history.push(action.tool, action.time);
    this.#pending.set(action.id, action);
    const d = this.drift?.commit(action.id, action.tool, action.args);
    if (typeof d === "number") this.state.setDrift(d);
  }

  /** Record the result of an executed action: labels, level and provenance for later decisions. */
  record(actionId: string, outcome: ToolOutcome): { labels: string[]; level: number } {
    const action = this.#pending.get(actionId);
    if (!action) throw new PolicyLoadError(`no executed action with id '${actionId}' in session '${this.id}'`);
    this.#pending.delete(actionId);
    const output = "output" in outcome ? outcome.output : { error: outcome.error };
    const c = this.policy.classify(this.state, action, output, this.drift?.ranDrift(actionId));
    const seen = "seen" in outcome && typeof outcome.seen === "string" ? outcome.seen : undefined;
    this.state.recordResult(
      { id: actionId, tool: action.tool, output, labels: c.labels, level: c.level, ...(seen !== undefined ? { seen } : {}) },
      this.policy.clock(),
    );
    return c;
  }

  /** Set a host-supplied context field (it may resolve a DEFER). Throws a PolicyLoadError if the value is not JSON. */
  setContext(field: string, value: unknown): void {
    if (typeof field !== "string" || field === "") throw new PolicyLoadError("setContext: the field must be a non-empty string");
    const r = JsonObject.safeParse({ [field]: value });
    if (!r.success) throw new PolicyLoadError(`setContext: context.${zodMessage(r.error)}`);
    this.state.setContext(field, r.data[field], this.policy.clock());
  }
}

/** Load validated IR (e.g. from a bundle's ir.json). Throws PolicyLoadError with the precise problem. */
export function loadPolicy(ir: unknown, options: LoadOptions = {}): Policy {
  const r = parseIr(ir);
  if (!r.ok) throw new PolicyLoadError(r.error);
  return new Policy(r.ir, options);
}
