/**
 * Checking a draft before it is signed. The schema is ReceiptDraftSchema (zod, schema.ts); zod builds a parsed
 * copy of every draft it checks, which for a receipt costs about as much as serialising it. So a draft is first
 * checked by an ajv validator compiled once from the same schema (z.toJSONSchema: one source of truth, no copy,
 * no allocation on success); only a draft ajv refuses goes through zod, for its precise message. Should the two
 * ever disagree on a draft, it is refused (fail closed); a property test holds them to the same verdicts.
 */
import { Ajv, type ValidateFunction } from "ajv";
import { z } from "zod";
import { ReceiptDraftSchema, schemaProblem } from "./schema.js";

let fast: ValidateFunction | null | undefined;

function compile(): ValidateFunction | null {
  try {
    const schema = z.toJSONSchema(ReceiptDraftSchema, { target: "draft-7" });
    return new Ajv({ strict: false, strictNumbers: true, allErrors: false }).compile(schema);
  } catch {
    return null; // zod alone then
  }
}

/** The ajv validator's verdict alone (null where it could not be compiled): for the differential test. */
export function fastDraftVerdict(draft: unknown): boolean | null {
  fast ??= compile();
  return fast ? fast(draft) : null;
}

/** Why a draft does not match the receipt schema (`decision.result: Invalid option...`), or null if it does. */
export function draftProblem(draft: unknown): string | null {
  fast ??= compile();
  if (fast?.(draft)) return null;
  const parsed = ReceiptDraftSchema.safeParse(draft);
  if (!parsed.success) return schemaProblem(parsed.error);
  if (!fast) return null;
  const e = fast.errors?.[0];
  return `${e?.instancePath.slice(1).replace(/\//g, ".") || "receipt"}: ${e?.message ?? "does not match the receipt schema"}`;
}
