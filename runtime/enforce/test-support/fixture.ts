/**
 * A complete enforcement setup for tests: a compiled policy, an identity issuer and verifier, a receipt writer
 * over a memory sink (or one the test breaks), and mock tools that record whether and with what they ran.
 */
import { fileURLToPath } from "node:url";
import { compileFile } from "../../../compiler/compile.js";
import { loadPolicy, type Policy } from "../../api.js";
import { createSigner, generateKeyPair, type Signer } from "../../crypto/ed25519.js";
import type { CredentialIssuer } from "../../credentials/issuer.js";
import { issueAssertion, type AssertionInput } from "../../identity/claims.js";
import { createIdentityVerifier, type IdentityVerifier } from "../../identity/verifier.js";
import { orderedSink, type ReceiptEntry, type ReceiptSink } from "../../receipts/sink.js";
import { createReceiptWriter, type ChainedReceiptWriter } from "../../receipts/writer.js";
import { verifyReceiptLines, type VerifyResult } from "../../receipts/verify.js";
import type { Receipt } from "../../receipts/schema.js";
import { Enforcer } from "../enforcer.js";
import type { EnforcerOptions } from "../types.js";
import { ManualTimers } from "../timers.js";

/** 2025-01-15T10:30:00Z, the specification's example timestamp. */
export const T0 = Date.UTC(2025, 0, 15, 10, 30, 0);

const policies = new Map<string, unknown>();

/** The IR of a policy file (compiled once per file). */
export function irOf(file: string): unknown {
  let ir = policies.get(file);
  if (!ir) {
    const c = compileFile(file);
    if (!c.ir) throw new Error(`${file} has errors: ${c.diagnostics.map((d) => d.message).join("; ")}`);
    ir = c.ir;
    policies.set(file, ir);
  }
  return ir;
}

/** A policy of examples/ or a file path. */
export function examplePolicy(name: string): string {
  return fileURLToPath(new URL(`../../../examples/${name}/policy.aarm`, import.meta.url));
}

/** A sink that can be made to fail (a full disk) and to work again. */
export function breakableSink(): ReceiptSink & {
  broken: string | null;
  readonly entries: ReceiptEntry[];
  lines(): string[];
} {
  const entries: ReceiptEntry[] = [];
  const state = { broken: null as string | null };
  const sink = orderedSink((batch) => {
    if (state.broken !== null) throw new Error(state.broken);
    entries.push(...batch);
  });
  return {
    ...sink,
    entries,
    lines: () => entries.map((e) => e.line),
    get broken() {
      return state.broken;
    },
    set broken(v) {
      state.broken = v;
    },
  };
}

/** One recorded tool call. */
export interface ToolCall {
  readonly tool: string;
  readonly args: Record<string, unknown>;
}

export interface Fixture {
  readonly policy: Policy;
  readonly enforcer: Enforcer;
  readonly timers: ManualTimers | undefined;
  readonly idp: Signer;
  readonly verifier: IdentityVerifier;
  readonly receiptSigner: Signer;
  readonly sink: ReturnType<typeof breakableSink>;
  readonly writer: ChainedReceiptWriter;
  /** Every tool call, in order. */
  readonly calls: ToolCall[];
  /** A mock tool: records the call and returns `output` (or throws, if output is an Error). */
  tool(output?: unknown): (args: Record<string, unknown>, action: { tool: string }) => Promise<unknown>;
  /** A signed assertion from the trusted issuer. */
  assertion(claims: Omit<AssertionInput, "iss">, ttlMs?: number): Promise<string>;
  /** The receipts written, parsed. */
  receipts(): Receipt[];
  /** Verify every stored receipt offline. */
  verify(): Promise<VerifyResult>;
  now(): number;
}

export interface FixtureOptions extends Partial<Omit<EnforcerOptions, "policy" | "receipts" | "identity">> {
  readonly policyFile?: string;
  /** Use hand-driven timers and clock (default: real timers, a real clock). */
  readonly manual?: boolean;
  /** Build a credential issuer over the fixture's receipt writer (its receipts join the same chain). */
  readonly credentialsFrom?: (writer: ChainedReceiptWriter, clock: () => number) => Promise<CredentialIssuer>;
  /** Build the approval and deferral services from the fixture's verifier, clock and timers. */
  readonly services?: (env: ServiceEnv) => Pick<EnforcerOptions, "approvals" | "deferrals">;
}

/** What services are built from. */
export interface ServiceEnv {
  readonly verifier: IdentityVerifier;
  readonly clock: () => number;
  readonly timers: ManualTimers | undefined;
}

export async function enforcementFixture(options: FixtureOptions = {}): Promise<Fixture> {
  const timers = options.manual ? new ManualTimers(T0) : undefined;
  const clock = options.clock ?? (timers ? () => timers.now() : () => Date.now());
  const policy = loadPolicy(irOf(options.policyFile ?? examplePolicy("aarm-reference")), { clock });
  const idpKeys = generateKeyPair();
  const idp = await createSigner(idpKeys);
  const verifier = createIdentityVerifier({ issuers: { "corp-idp": [idpKeys] } });
  const receiptKeys = generateKeyPair();
  const receiptSigner = await createSigner(receiptKeys);
  const sink = breakableSink();
  const writer = createReceiptWriter({ signer: receiptSigner, sink });
  const { services, credentialsFrom, ...rest } = options;
  const built = services?.({ verifier, clock, timers }) ?? {};
  const credentials = credentialsFrom ? await credentialsFrom(writer, clock) : undefined;
  const enforcer = new Enforcer({
    ...rest,
    ...built,
    ...(credentials ? { credentials } : {}),
    policy,
    receipts: writer,
    identity: verifier,
    clock,
    ...(timers ? { timers } : {}),
  });
  const calls: ToolCall[] = [];
  return {
    policy,
    enforcer,
    timers,
    idp,
    verifier,
    receiptSigner,
    sink,
    writer,
    calls,
    tool:
      (output = "ok") =>
      async (args, action) => {
        calls.push({ tool: action.tool, args: structuredClone(args) });
        if (output instanceof Error) throw output;
        return output;
      },
    assertion: (claims, ttlMs = 3_600_000) =>
      issueAssertion(idp, { iss: "corp-idp", ...claims }, { now: clock(), ttlMs }),
    receipts: () => sink.entries.map((e) => e.receipt),
    verify: () => verifyReceiptLines(sink.lines(), { keys: new Map([[receiptKeys.keyId, receiptKeys]]) }),
    now: clock,
  };
}

/** Resolve pending promise callbacks (the enforcer's awaits) without moving any clock. */
export async function settle(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((r) => setImmediate(r));
}

/** The enforcement tests' own policy (quorum kinds, escalation, deferrals, redaction). */
export const ENFORCEMENT_POLICY = fileURLToPath(new URL("./enforcement.aarm", import.meta.url));

/** Wait (on real time, at most `ms`) until `cond` holds: for async work such as signing, never for timeouts. */
export async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error("condition not reached");
    await new Promise<void>((r) => setTimeout(r, 1));
  }
}
