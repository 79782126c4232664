/**
 * The Enforcer (docs/enforcement.md): the one object a host embeds to put a policy between an agent and its
 * tools. It holds what every session shares — the policy, the receipt writer, the identity verifier, the approval
 * and deferral services, time — and opens sessions bound to a verified identity.
 */
import type { Policy, SessionOptions } from "../api.js";
import { cloneJson } from "../mediation/action.js";
import type { CredentialIssuer } from "../credentials/issuer.js";
import type { IdentityResult, IdentityVerifier } from "../identity/verifier.js";
import type { ReceiptWriter } from "../receipts/draft.js";
import type { ApprovalPort, DeferralPort } from "./ports.js";
import { EnforcedSession } from "./session.js";
import { systemTimers, type Timers } from "./timers.js";
import {
  DEFAULT_ENFORCEMENT,
  type EnforcementDefaults,
  type EnforcerOptions,
  type OpenOptions,
} from "./types.js";

/** What sessions share. */
export interface EnforcerCore {
  readonly policy: Policy;
  readonly receipts: ReceiptWriter;
  readonly identity: IdentityVerifier;
  readonly approvals: ApprovalPort | undefined;
  readonly deferrals: DeferralPort | undefined;
  readonly credentials: CredentialIssuer | undefined;
  readonly clock: () => number;
  readonly timers: Timers;
  readonly defaults: EnforcementDefaults;
}

function positive(name: string, v: number): number {
  if (!Number.isFinite(v) || v < 0)
    throw new TypeError(`invalid enforcement default ${name}: ${v} (expected a number >= 0)`);
  return v;
}

export class Enforcer {
  readonly core: EnforcerCore;

  /** Throws a TypeError naming the option when an option is invalid (a host programming error). */
  constructor(options: EnforcerOptions) {
    if (!options?.policy || !options.receipts || !options.identity)
      throw new TypeError(
        "an Enforcer needs a policy, a receipt writer (receipts) and an identity verifier (identity)",
      );
    const defaults = { ...DEFAULT_ENFORCEMENT, ...options.defaults };
    for (const [k, v] of Object.entries(defaults)) positive(k, v);
    const clock = options.clock ?? options.policy.clock;
    this.core = {
      policy: options.policy,
      receipts: options.receipts,
      identity: options.identity,
      approvals: options.approvals,
      deferrals: options.deferrals,
      credentials: options.credentials,
      clock,
      timers: options.timers ?? systemTimers,
      defaults,
    };
  }

  /**
   * Open a session bound to the identity its assertions prove. A session whose identity does not verify is still
   * opened, so that each of its actions is DENIED with a receipt that says why (AARM R6). Throws a PolicyLoadError
   * only for invalid options (e.g. a context value that is not JSON).
   */
  async openSession(options: OpenOptions): Promise<EnforcedSession> {
    const now = this.core.clock();
    const assertions = Array.isArray(options?.assertions) ? options.assertions : [];
    let identity: IdentityResult;
    try {
      identity = await this.core.identity.verify(assertions, now);
    } catch (e) {
      identity = {
        ok: false,
        code: "malformed",
        reason: `the identity could not be checked (${e instanceof Error ? e.message : String(e)})`,
      };
    }
    const session = this.core.policy.openSession({
      identity: identity.ok ? (cloneJson(identity.identity) as SessionOptions["identity"]) : {},
      ...(options.request !== undefined ? { request: options.request } : {}),
      ...(options.context !== undefined ? { context: { ...options.context } } : {}),
      ...(options.id !== undefined ? { id: options.id } : {}),
    });
    return new EnforcedSession(this.core, session, identity);
  }
}

/** Create an Enforcer. */
export function createEnforcer(options: EnforcerOptions): Enforcer {
  return new Enforcer(options);
}
