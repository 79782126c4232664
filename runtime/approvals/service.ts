/**
 * The in-process approval service (AARM R4, STEP_UP; docs/enforcement.md, "Approvals"). It implements the
 * enforcer's ApprovalPort: a request waits until the approvers the rule names reach quorum (approved), one of them
 * rejects (rejected), or the timeout passes (timed out — the enforcer DENIES). After a requirement's escalation
 * time its backup groups may decide too. Every approval or rejection needs the approver's signed identity
 * assertion (runtime/identity): verified (never flag-only), a human, in one of the groups that may decide, not the
 * requester, and not already counted.
 */
import type { ApprovalAnswer, ApprovalPort, ApprovalRequest, ApproverRecord } from "../enforce/ports.js";
import { systemTimers, type Timers } from "../enforce/timers.js";
import { IDENTITY_TYP } from "../identity/claims.js";
import { parseJws } from "../identity/jws.js";
import type { IdentityVerifier } from "../identity/verifier.js";
import type { ReceiptApproval } from "../receipts/draft.js";
import { sha256Hex } from "../session/hash.js";
import { describe, eligibleGroups, met } from "./quorum.js";
import {
  summaryOf,
  viewOf,
  type ApprovalStatus,
  type ApprovalSummary,
  type ApprovalView,
  type Vote,
} from "./views.js";

export interface ApprovalServiceOptions {
  /** Verifies approvers' identity assertions (trusted issuers, expiry, revocation). */
  readonly verifier: IdentityVerifier;
  readonly clock?: () => number;
  readonly timers?: Timers;
  /** Let the requester approve their own action (default false). */
  readonly allowSelfApproval?: boolean;
  /** Notifications (a chat message, an e-mail): a request arrived, escalated, or was decided. */
  readonly onEvent?: (event: ApprovalEvent) => void;
  /** How many decided requests `show` keeps (default 256). */
  readonly keepDecided?: number;
}

export type ApprovalEvent =
  | { readonly type: "requested" | "escalated"; readonly request: ApprovalSummary }
  | { readonly type: "decided"; readonly request: ApprovalSummary; readonly outcome: ApprovalStatus };

/** Why an approval or rejection was not accepted. */
export type VoteRefusal =
  | "not_found"
  | "not_pending"
  | "identity"
  | "not_human"
  | "not_an_approver"
  | "self_approval"
  | "already_decided"
  | "invalid";

export type VoteResult =
  | { readonly ok: true; readonly request: ApprovalView }
  | { readonly ok: false; readonly code: VoteRefusal; readonly message: string };

export interface VoteInput {
  /** The approver's signed identity assertion (compact JWS). */
  readonly assertion: string;
  readonly comment?: string;
}

/** A verified human approver. */
export interface Authenticated {
  readonly ok: true;
  readonly subject: string;
  readonly groups: readonly string[];
  readonly issuer: string;
  readonly assertionHash: string;
}

export type AuthResult =
  Authenticated | { readonly ok: false; readonly code: "identity" | "not_human"; readonly message: string };

interface Entry {
  readonly req: ApprovalRequest;
  status: ApprovalStatus;
  readonly votes: Vote[];
  readonly escalated: Set<string>;
  readonly deadline: number;
  readonly cancels: (() => void)[];
  readonly resolve: (a: ApprovalAnswer) => void;
}

const MAX_COMMENT = 2000;

function claimsOf(token: string): { kind?: unknown; groups?: unknown } {
  try {
    return parseJws(token, IDENTITY_TYP).payload;
  } catch {
    return {};
  }
}

export class ApprovalService implements ApprovalPort {
  readonly #entries = new Map<string, Entry>();
  readonly #decided: Entry[] = [];
  readonly #clock: () => number;
  readonly #timers: Timers;

  constructor(readonly options: ApprovalServiceOptions) {
    this.#clock = options.clock ?? (() => Date.now());
    this.#timers = options.timers ?? systemTimers;
  }

  /** The ApprovalPort: wait for quorum, a rejection, or the timeout. */
  request(req: ApprovalRequest, signal?: AbortSignal): Promise<ApprovalAnswer> {
    return new Promise<ApprovalAnswer>((resolve) => {
      if (req.requirements.length === 0)
        return resolve({
          approval: { outcome: "unavailable", approvals: [] },
          reason: "the decision names no approvers",
        });
      if (this.#entries.has(req.id))
        return resolve({
          approval: { outcome: "unavailable", approvals: [] },
          reason: `approval request ${req.id} already exists`,
        });
      const entry: Entry = {
        req,
        status: "pending",
        votes: [],
        escalated: new Set(),
        deadline: this.#clock() + req.timeoutMs,
        cancels: [],
        resolve,
      };
      this.#entries.set(req.id, entry);
      entry.cancels.push(this.#timers.set(() => this.#finish(entry, "timed_out"), req.timeoutMs));
      for (const r of req.requirements) {
        if (!r.escalation) continue;
        entry.cancels.push(
          this.#timers.set(() => {
            if (entry.status !== "pending") return;
            entry.escalated.add(r.ruleId);
            this.#emit({ type: "escalated", request: summaryOf(entry) });
          }, r.escalation.afterMs),
        );
      }
      signal?.addEventListener("abort", () => this.#finish(entry, "cancelled"), { once: true });
      this.#emit({ type: "requested", request: summaryOf(entry) });
    });
  }

  /** Pending requests (oldest first). */
  list(): ApprovalSummary[] {
    return [...this.#entries.values()].map(summaryOf);
  }

  /** One request, pending or recently decided, with its full context; null if unknown. */
  show(id: string): ApprovalView | null {
    const e = this.#entries.get(id) ?? this.#decided.find((x) => x.req.id === id);
    return e ? viewOf(e) : null;
  }

  /**
   * Check an approver's signed identity assertion: it must verify (flag-only "unverified" is not enough) and be a
   * human's. The HTTP endpoint also uses it to authenticate readers.
   */
  async authenticate(assertion: unknown, now = this.#clock()): Promise<AuthResult> {
    const refuse = (code: "identity" | "not_human", message: string): AuthResult => ({
      ok: false,
      code,
      message,
    });
    if (typeof assertion !== "string" || assertion === "")
      return refuse("identity", "an approver's signed identity assertion is required");
    let who;
    try {
      who = await this.options.verifier.verify([assertion], now);
    } catch (e) {
      return refuse(
        "identity",
        `the approver's identity could not be checked (${e instanceof Error ? e.message : String(e)})`,
      );
    }
    if (!who.ok) return refuse("identity", `the approver's identity does not verify: ${who.reason}`);
    if (who.status !== "verified")
      return refuse("identity", `the approver's identity is not verified: ${who.reason ?? who.status}`);
    const claims = claimsOf(assertion);
    const subject = who.identity.human;
    if (claims.kind !== "human" || subject === undefined)
      return refuse("not_human", "approvals need a human's identity assertion");
    const groups = Array.isArray(claims.groups)
      ? claims.groups.filter((g): g is string => typeof g === "string")
      : [];
    const main = who.receiptIdentity.assertion;
    return {
      ok: true,
      subject,
      groups,
      issuer: main?.issuer ?? "",
      assertionHash: main?.hash ?? sha256Hex(assertion),
    };
  }

  approve(id: string, input: VoteInput): Promise<VoteResult> {
    return this.#vote(id, input, "approve");
  }

  reject(id: string, input: VoteInput): Promise<VoteResult> {
    return this.#vote(id, input, "reject");
  }

  async #vote(id: string, input: VoteInput, decision: "approve" | "reject"): Promise<VoteResult> {
    const refuse = (code: VoteRefusal, message: string): VoteResult => ({ ok: false, code, message });
    if (typeof input?.assertion !== "string" || input.assertion === "")
      return refuse("identity", "an approver's signed identity assertion is required");
    if (
      input.comment !== undefined &&
      (typeof input.comment !== "string" || input.comment.length > MAX_COMMENT)
    )
      return refuse("invalid", `the comment must be a string of at most ${MAX_COMMENT} characters`);
    const known = this.#entries.get(id) ?? this.#decided.find((x) => x.req.id === id);
    if (!known) return refuse("not_found", `no approval request '${id}'`);
    const now = this.#clock();
    const who = await this.authenticate(input.assertion, now);
    if (!who.ok) return refuse(who.code, who.message);
    const entry = this.#entries.get(id);
    if (!entry) return refuse("not_pending", `approval request '${id}' is already ${known.status}`);
    const checked = this.#eligible(entry, who);
    if ("code" in checked) return refuse(checked.code, checked.message);
    const { subject, groups } = checked;
    entry.votes.push({
      approver: subject,
      issuer: who.issuer,
      assertionHash: who.assertionHash,
      groups,
      decision,
      time: now,
      ...(input.comment !== undefined && input.comment !== "" ? { comment: input.comment } : {}),
    });
    if (decision === "reject") this.#finish(entry, "rejected");
    else if (
      entry.req.requirements.every((r) => met(r, this.#approvals(entry), entry.escalated.has(r.ruleId)))
    )
      this.#finish(entry, "approved");
    return { ok: true, request: viewOf(entry) };
  }

  /** Whether an authenticated approver may decide on the request, and for which of their groups. */
  #eligible(
    entry: Entry,
    who: Authenticated,
  ): { subject: string; groups: string[] } | { code: VoteRefusal; message: string } {
    const id = entry.req.id;
    const subject = who.subject;
    if (!this.options.allowSelfApproval && subject === entry.req.identity.human)
      return {
        code: "self_approval",
        message: `${subject} requested this action and cannot approve or reject it`,
      };
    if (entry.votes.some((v) => v.approver === subject))
      return { code: "already_decided", message: `${subject} already decided on '${id}'` };
    const theirs = who.groups;
    const eligible = new Set(
      entry.req.requirements.flatMap((r) => eligibleGroups(r, entry.escalated.has(r.ruleId))),
    );
    const groups = theirs.filter((g) => eligible.has(g));
    if (groups.length === 0)
      return {
        code: "not_an_approver",
        message: `${subject} is in none of the groups that may decide on '${id}' (${[...eligible].join(", ")})`,
      };
    return { subject, groups };
  }

  #approvals(entry: Entry) {
    return entry.votes
      .filter((v) => v.decision === "approve")
      .map((v) => ({ subject: v.approver, groups: v.groups }));
  }

  #finish(entry: Entry, status: Exclude<ApprovalStatus, "pending">): void {
    if (entry.status !== "pending") return;
    entry.status = status;
    for (const c of entry.cancels) c();
    this.#entries.delete(entry.req.id);
    this.#decided.push(entry);
    if (this.#decided.length > (this.options.keepDecided ?? 256)) this.#decided.shift();
    entry.resolve(this.#answer(entry));
    this.#emit({ type: "decided", request: summaryOf(entry), outcome: status });
  }

  #answer(entry: Entry): ApprovalAnswer {
    const { req, votes } = entry;
    const approval: ReceiptApproval = {
      outcome:
        entry.status === "approved"
          ? "approved"
          : entry.status === "rejected"
            ? "rejected"
            : entry.status === "timed_out"
              ? "timed_out"
              : "unavailable",
      approvals: votes.map((v) => ({
        approver: v.approver,
        decision: v.decision,
        time: v.time,
        ...(v.comment !== undefined ? { comment: v.comment } : {}),
      })),
      quorum: req.requirements.map(describe).join("; "),
      ...(entry.escalated.size > 0 ? { escalated: true } : {}),
    };
    const approvers: ApproverRecord[] = votes.map((v) => ({
      subject: v.approver,
      issuer: v.issuer,
      assertionHash: v.assertionHash,
      groups: v.groups,
    }));
    const names = (d: Vote["decision"]) =>
      votes
        .filter((v) => v.decision === d)
        .map((v) => v.approver)
        .join(", ");
    const last = votes[votes.length - 1];
    const reason =
      entry.status === "approved"
        ? `approved by ${names("approve")}${entry.escalated.size > 0 ? " (escalated)" : ""}`
        : entry.status === "rejected"
          ? `rejected by ${last?.approver ?? "an approver"}${last?.comment ? `: ${last.comment}` : ""}`
          : entry.status === "timed_out"
            ? `no approval within the timeout of ${req.timeoutMs} ms (${votes.length} of the required approvals given); a timeout is a DENY`
            : "the approval request was withdrawn";
    return { approval, ...(approvers.length > 0 ? { approvers } : {}), reason };
  }

  #emit(event: ApprovalEvent): void {
    try {
      this.options.onEvent?.(event);
    } catch {
      // a notifier's failure does not change the decision
    }
  }
}

/** Create an in-process approval service. */
export function createApprovalService(options: ApprovalServiceOptions): ApprovalService {
  return new ApprovalService(options);
}
