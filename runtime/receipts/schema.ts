/**
 * The receipt format, version 1 (AARM R5; docs/receipts.md): a ReceiptDraft plus the fields the writer adds —
 * `v` (format version), `seq` (1, 2, 3... in the file), `prev` (sha256 hex of the previous receipt's canonical JSON,
 * signature included; 64 zeros for the first) and `sig` (Ed25519 over the canonical JSON of everything but `sig`).
 * Objects are strict: an unknown field is a schema error, so nothing can ride along unsigned-looking.
 */
import { z } from "zod";
import type { ReceiptDraft } from "./draft.js";

export const RECEIPT_VERSION = 1;
/** `prev` of the first receipt of a chain. */
export const GENESIS = "0".repeat(64);

const time = z.number().int().nonnegative();
const text = z.string();
const hex64 = z.string().regex(/^[0-9a-f]{64}$/, "expected 64 lower-case hex digits");
const effect = z.enum(["ALLOW", "DENY", "MODIFY", "STEP_UP", "DEFER"]);
const json = z.record(z.string(), z.unknown());

const identity = z.strictObject({
  human: text.optional(),
  service: text.optional(),
  agent: text.optional(),
  role: text.optional(),
  scopes: z.array(text).optional(),
  delegation: z.array(text).optional(),
  assertion: z.strictObject({ issuer: text, hash: text, expiresAt: time }).optional(),
  assertions: z
    .array(
      z.strictObject({
        kind: z.enum(["human", "service", "agent"]),
        issuer: text,
        subject: text,
        hash: text,
        expiresAt: time,
      }),
    )
    .optional(),
  status: z.enum(["verified", "unverified", "none"]),
  reason: text.optional(),
});

const approval = z.strictObject({
  outcome: z.enum(["approved", "rejected", "timed_out", "unavailable"]),
  approvals: z.array(
    z.strictObject({
      approver: text,
      decision: z.enum(["approve", "reject"]),
      time,
      comment: text.optional(),
    }),
  ),
  quorum: text.optional(),
  escalated: z.boolean().optional(),
});

const deferral = z.strictObject({
  reason: text,
  trigger: z.enum(["unknown_context", "conflict", "rule", "dependency"]),
  waitingFor: z.array(text),
  resolution: z
    .strictObject({
      method: z.enum(["context", "resolver", "timeout", "cascade_limit", "dependency", "unavailable"]),
      time,
      result: effect,
    })
    .optional(),
});

/** A draft as the writer accepts it. */
export const ReceiptDraftSchema = z.strictObject({
  kind: z.enum(["decision", "approval", "deferral", "outcome", "credential", "kernel"]),
  time,
  action: z.strictObject({
    id: text,
    tool: text,
    operation: text.optional(),
    parameters: json.optional(),
    parametersHash: text,
    time,
  }),
  context: z.strictObject({ session: text, logHead: text }),
  identity,
  decision: z.strictObject({
    result: effect,
    ruleIds: z.array(text),
    reasons: z.array(text),
    decidedBy: text,
    policy: z.strictObject({ name: text, version: text.nullable(), hash: text }),
    bundleHash: text.optional(),
    modifiedParametersHash: text.optional(),
  }),
  approval: approval.optional(),
  deferral: deferral.optional(),
  outcome: z
    .union([z.strictObject({ resultHash: text, seenHash: text.optional() }), z.strictObject({ error: text })])
    .optional(),
  details: json.optional(),
});

export const ReceiptSignatureSchema = z.strictObject({
  alg: z.literal("Ed25519"),
  kid: text,
  /** base64url, no padding, 64 bytes. */
  value: z.string().regex(/^[A-Za-z0-9_-]{86}$/, "expected 86 base64url characters (64 bytes)"),
});

export const ReceiptSchema = ReceiptDraftSchema.extend({
  v: z.literal(RECEIPT_VERSION),
  seq: z.number().int().positive(),
  prev: hex64,
  sig: ReceiptSignatureSchema,
});

/** A stored, signed receipt. */
export type Receipt = ReceiptDraft & {
  readonly v: typeof RECEIPT_VERSION;
  readonly seq: number;
  readonly prev: string;
  readonly sig: { readonly alg: "Ed25519"; readonly kid: string; readonly value: string };
};

/** The first problem zod found, as one line: `decision.result: Invalid option...`. */
export function schemaProblem(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "does not match the receipt schema";
  const path = issue.path.map(String).join(".");
  return `${path === "" ? "receipt" : path}: ${issue.message}`;
}
