/**
 * The scenario harness: every policy is compiled once and loaded into four runtimes — the reference interpreter
 * and the generated evaluator, each driven two ways (through `guard`, and through `session.decide` + `record` as a
 * host's own enforcement point would). Tools are mocks that record whether and with what they ran, and every call
 * is checked against the enforcement contract of AARM R1/R4:
 *
 * - DENY, DEFER and STEP_UP: the tool never runs (the harness has no approval service, so STEP_UP stays paused;
 *   the enforcement layer's approvals are exercised in requirements/r4-enforcement.test.ts);
 * - ALLOW: the tool receives the arguments unchanged;
 * - MODIFY: the tool receives exactly the modified arguments;
 * - every decision has at least one reason; DEFER says why it waits, STEP_UP says who approves.
 */
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import { compileFile } from "../../index.js";
import {
  ActionBlocked,
  type DecisionRecord,
  type Evaluator,
  evaluatorFromSource,
  guard,
  irEvaluator,
  loadPolicy,
  type Policy,
  type Session,
  type SessionOptions,
} from "../../runtime/index.js";

export { ActionBlocked, guard, type Evaluator };

/** The start of every scenario's clock: 2025-01-15T10:30:00Z, the specification's example timestamp. */
export const T0 = Date.UTC(2025, 0, 15, 10, 30, 0);

/** The policy file of an example in examples/. */
export const example = (name: string): string =>
  fileURLToPath(new URL(`../../examples/${name}/policy.aarm`, import.meta.url));
/** A policy file of conformance/scenarios/fixtures/. */
export const fixture = (name: string): string =>
  fileURLToPath(new URL(`./fixtures/${name}.aarm`, import.meta.url));

/** A clock the scenario controls. */
export class TestClock {
  now = T0;
  advance(ms: number): void {
    this.now += ms;
  }
}

/** One recorded tool invocation. */
export interface ToolCall {
  readonly tool: string;
  readonly args: Record<string, unknown>;
}

/** What happened to one attempted action. */
export interface Outcome {
  readonly decision: DecisionRecord;
  /** The tool ran. */
  readonly ran: boolean;
  /** The arguments the tool received, when it ran. */
  readonly received?: Record<string, unknown>;
  /** The error the tool threw, when it ran and failed. */
  readonly error?: string;
}

/**
 * What a mock tool returns: a fixed value, or a function of the arguments it received (which may throw, to
 * simulate a failing tool).
 */
export type MockOutput = unknown;

/** A mock output that makes the tool fail with `message`. */
export function fails(message: string): (args: Record<string, unknown>) => never {
  return () => {
    throw new Error(message);
  };
}

export type EngineKind = "interpreter" | "compiled";
export type DriverKind = "guard" | "decide";

/** A runtime under test: one evaluator, one driver. */
export interface Engine {
  readonly name: string;
  readonly evaluator: EngineKind;
  readonly driver: DriverKind;
  /** Open a session; the runtime's clock is reset to T0. */
  open(options?: Partial<SessionOptions>): Agent;
}

export interface LoadOptions {
  /** Working directory for relative paths in bound file arguments. */
  readonly cwd?: string;
  /** Decision budget in cost units. */
  readonly budget?: number;
  /** Replace the evaluator (e.g. with one that fails), given the one under test. */
  readonly wrapEvaluator?: (e: Evaluator) => Evaluator;
}

/** An agent session: attempts tool calls through the runtime, with mock tools that record their calls. */
export class Agent {
  /** Every invocation of a mock tool, in order. */
  readonly calls: ToolCall[] = [];
  /** Every decision the session made, in order. */
  readonly decisions: DecisionRecord[] = [];

  constructor(
    readonly session: Session,
    readonly clock: TestClock,
    readonly driver: DriverKind,
  ) {
    // Observe every decision, including those guard() makes on our behalf.
    const decide = session.decide.bind(session);
    session.decide = (input) => {
      const d = decide(input);
      this.decisions.push(d);
      return d;
    };
  }

  /** Calls of one tool. */
  callsTo(tool: string): ToolCall[] {
    return this.calls.filter((c) => c.tool === tool);
  }

  /** The plain function a host would wrap: it records the call and returns `output`. */
  mock(tool: string, output: MockOutput): (args: Record<string, unknown>) => unknown {
    return (args) => {
      this.calls.push({ tool, args: structuredClone(args) });
      return typeof output === "function"
        ? (output as (a: Record<string, unknown>) => unknown)(args)
        : output;
    };
  }

  /** Set a host-supplied context field. */
  setContext(field: string, value: unknown): void {
    this.session.setContext(field, value);
  }

  /** Set the session's cumulative drift, as the host's embedder would (AARM R7). */
  setSessionDrift(d: number): void {
    this.session.state.setDrift(d);
  }

  /** Attempt a tool call; the mock returns `output` if it is allowed to run. Checks the enforcement contract. */
  async call(tool: string, args: Record<string, unknown>, output: MockOutput = "ok"): Promise<Outcome> {
    const before = this.calls.length;
    const fn = this.mock(tool, output);
    const original = structuredClone(args);
    let decision: DecisionRecord;
    let error: string | undefined;
    if (this.driver === "guard") {
      const seen = this.decisions.length;
      let blocked: ActionBlocked | undefined;
      try {
        await guard(this.session, tool, fn)(args);
      } catch (e) {
        if (e instanceof ActionBlocked) blocked = e;
        else error = e instanceof Error ? e.message : String(e);
      }
      expect(this.decisions.length, "guard decides exactly once").toBe(seen + 1);
      decision = this.decisions[seen]!;
      if (blocked) expect(blocked.decision).toBe(decision);
      else expect(["ALLOW", "MODIFY"]).toContain(decision.effect);
    } else {
      decision = this.session.decide({ tool, args });
      if (decision.effect === "ALLOW" || decision.effect === "MODIFY") {
        const runArgs =
          decision.effect === "MODIFY" ? (decision.modifiedArgs as Record<string, unknown>) : args;
        try {
          this.session.record(decision.action.id, { output: fn(runArgs) });
        } catch (e) {
          error = e instanceof Error ? e.message : String(e);
          this.session.record(decision.action.id, { error });
        }
      }
    }
    const mine = this.calls.slice(before);
    checkContract(decision, mine, original);
    expect(args, "the caller's arguments are never mutated").toEqual(original);
    if (mine.length === 0) return { decision, ran: false };
    return { decision, ran: true, received: mine[0]!.args, ...(error !== undefined ? { error } : {}) };
  }
}

function checkContract(d: DecisionRecord, calls: readonly ToolCall[], args: Record<string, unknown>): void {
  expect(d.reasons.length, "a decision always has a reason").toBeGreaterThan(0);
  switch (d.effect) {
    case "ALLOW":
      expect(calls, "ALLOW: the tool runs once").toHaveLength(1);
      expect(calls[0]!.args, "ALLOW: the tool receives the arguments unchanged").toEqual(args);
      break;
    case "MODIFY":
      expect(d.modifiedArgs, "MODIFY carries the modified arguments").toBeDefined();
      expect(calls, "MODIFY: the tool runs once").toHaveLength(1);
      expect(calls[0]!.args, "MODIFY: the tool receives exactly the modified arguments").toEqual(
        d.modifiedArgs,
      );
      break;
    case "DENY":
      expect(calls, "DENY: the tool never runs").toHaveLength(0);
      break;
    case "STEP_UP":
      expect(calls, "STEP_UP: the tool does not run before approval").toHaveLength(0);
      expect(d.stepUp?.approvals.length ?? 0, "STEP_UP names its approvers").toBeGreaterThan(0);
      break;
    case "DEFER":
      expect(calls, "DEFER: the tool does not run while deferred").toHaveLength(0);
      expect(d.defer, "DEFER says why it waits").toBeDefined();
      break;
  }
}

/** What a test expects of a decision. */
export interface Expected {
  readonly effect: DecisionRecord["effect"];
  /** The deciding rule ids (order-insensitive); `[]` for validation, default posture, unknown tool. */
  readonly rules?: readonly string[];
  /** Each pattern must match at least one reason. */
  readonly reasons?: readonly (string | RegExp)[];
  readonly decidedBy?: DecisionRecord["decidedBy"];
  /** DEFER: the trigger (R3(a) unknown_context, R3(b) conflict, or a defer rule). */
  readonly trigger?: "unknown_context" | "conflict" | "rule";
  /** DEFER: the context it waits for. */
  readonly waitingFor?: readonly string[];
}

/** Assert a decision. */
export function expectDecision(o: Outcome | DecisionRecord, want: Expected): void {
  const d = "decision" in o ? o.decision : o;
  const where = `${d.action.tool} → ${d.effect} [${d.ruleIds.join(", ")}]: ${d.reasons.join(" | ")}`;
  expect(d.effect, where).toBe(want.effect);
  if (want.rules) expect([...d.ruleIds].sort(), where).toEqual([...want.rules].sort());
  for (const r of want.reasons ?? []) {
    const hit = d.reasons.some((x) => (typeof r === "string" ? x.includes(r) : r.test(x)));
    expect(hit, `${where}\n  expected a reason matching ${String(r)}`).toBe(true);
  }
  if (want.decidedBy) expect(d.decidedBy, where).toBe(want.decidedBy);
  if (want.trigger) expect(d.defer?.trigger, where).toBe(want.trigger);
  if (want.waitingFor) expect(d.defer?.waitingFor, where).toEqual(want.waitingFor);
}

interface Compiled {
  readonly policyFor: (evaluator: EngineKind, clock: TestClock, options: LoadOptions) => Policy;
}

const compiled = new Map<string, Promise<Compiled>>();

async function compile(path: string): Promise<Compiled> {
  const r = compileFile(path);
  const errors = r.diagnostics.filter((d) => d.severity === "error");
  if (!r.ir || !r.evaluatorSource || errors.length > 0) {
    const lines = errors.map((d) => `  ${d.code} ${d.message}`);
    throw new Error(`${path} does not compile:\n${lines.join("\n")}`);
  }
  const ir = r.ir;
  const generated = await evaluatorFromSource(r.evaluatorSource, ir.source.sha256);
  return {
    policyFor: (evaluator, clock, options) => {
      const chosen: Evaluator = evaluator === "compiled" ? generated : irEvaluator(ir);
      return loadPolicy(ir, {
        evaluator: options.wrapEvaluator ? options.wrapEvaluator(chosen) : chosen,
        ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
        ...(options.budget !== undefined ? { budget: options.budget } : {}),
        clock: () => clock.now,
      });
    },
  };
}

/** Identity of the sessions the scenarios open unless they say otherwise. */
export const ALICE = {
  human: "alice@company.com",
  service: "assistant-svc",
  agent: "agent-01",
  role: "analyst",
} as const;

/**
 * The four runtimes for one policy file: interpreter and generated evaluator, each driven through guard() and
 * through decide()/record(). Use with `describe.each(await engines(path))("$name", ...)`.
 */
export async function engines(path: string, options: LoadOptions = {}): Promise<Engine[]> {
  let c = compiled.get(path);
  if (!c) compiled.set(path, (c = compile(path)));
  const { policyFor } = await c;
  const out: Engine[] = [];
  for (const evaluator of ["interpreter", "compiled"] as const) {
    for (const driver of ["guard", "decide"] as const) {
      // Loading builds the argument validators (tens of milliseconds), so each runtime loads its policy once and
      // shares one clock between its sessions; opening a session resets the clock to T0.
      const clock = new TestClock();
      let policy: Policy | undefined;
      out.push({
        name: `${evaluator} evaluator, ${driver === "guard" ? "guard()" : "decide() + record()"}`,
        evaluator,
        driver,
        open(opts = {}) {
          clock.now = T0;
          policy ??= policyFor(evaluator, clock, options);
          const session = policy.openSession({ identity: ALICE, ...opts });
          return new Agent(session, clock, driver);
        },
      });
    }
  }
  return out;
}
