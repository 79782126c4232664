/**
 * Before anything else, an action gets its canonical form and a fixed id, so that every receipt about it — a
 * refusal before the policy saw it, the decision, a resolution, the outcome — names the same action, and a held
 * action is decided later as exactly the action that was submitted.
 */
import type { ActionInput, CanonicalAction, DecisionRecord, Session } from "../api.js";
import { JsonObject, type ActionRequest, type AdapterResult } from "../mediation/action.js";
import { identityRef, normalizeWith } from "../mediation/normalize.js";
import type { PerformOptions } from "./types.js";

/** An action ready to be decided. */
export interface Prepared {
  readonly action: CanonicalAction;
  /** Decide it (once) in the session: Session.decide, decideNormalized or decideRequest with the fixed id and time. */
  readonly decide: () => DecisionRecord;
}

type Input = ActionInput | AdapterResult | ActionRequest;

function isRequest(input: Input): input is AdapterResult | ActionRequest {
  return (
    typeof input === "object" &&
    input !== null &&
    ("ok" in input || "operation" in input || "source" in input)
  );
}

function text(v: unknown): string {
  return typeof v === "string" ? v : "";
}

/** Canonicalise `input` for `session`; `seq` numbers actions that come without an id. */
export function prepare(
  session: Session,
  input: Input,
  options: PerformOptions,
  now: number,
  seq: number,
): Prepared {
  const fallbackId = `act_${session.id}_e${seq}`;
  const base = { session: session.id };
  if (isRequest(input)) {
    const time = typeof options.time === "number" && Number.isFinite(options.time) ? options.time : now;
    const raw: unknown = "ok" in input ? (input.ok ? input.request : null) : input;
    const reqNonce = (raw as { nonce?: unknown } | null)?.nonce;
    const nonce = options.nonce ?? (reqNonce === undefined ? `e${seq}` : undefined);
    const ctx = {
      session: session.id,
      time,
      identity: identityRef(session.state.identityRecord),
      ...(options.id !== undefined ? { id: options.id } : {}),
      ...(nonce !== undefined ? { nonce } : {}),
    };
    const n = normalizeWith(input, ctx, session.policy.mediation);
    if (!n.ok) {
      const id = typeof options.id === "string" && options.id !== "" ? options.id : fallbackId;
      const tool = text((raw as { tool?: unknown } | null)?.tool);
      return {
        action: { ...base, id, tool, args: {}, time },
        decide: () => session.decideRequest(input, { id, time }),
      };
    }
    // Decided as normalised here: normalising the request again (decideRequest) would give this same action.
    const action = n.action;
    return { action, decide: () => session.decideNormalized(action) };
  }
  const o = (typeof input === "object" && input !== null ? input : {}) as Partial<ActionInput>;
  const id = typeof o.id === "string" && o.id !== "" ? o.id : fallbackId;
  const time = typeof o.time === "number" ? o.time : now;
  // One snapshot of the arguments: what the receipts hash is what the policy decides on.
  const snap = JsonObject.safeParse(o.args);
  const args = snap.success ? snap.data : {};
  const action: CanonicalAction = { ...base, id, tool: text(o.tool), args, time };
  const decide = () =>
    snap.success && typeof o.tool === "string"
      ? session.decide({ ...o, tool: o.tool, id, time, args })
      : session.decide({ ...o, id, time } as ActionInput);
  return { action, decide };
}
