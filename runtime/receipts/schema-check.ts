/**
 * Checking drafts before they are signed, and receipts when they are verified. The schemas are zod's (schema.ts);
 * zod builds a parsed copy of every value it checks, which for a receipt costs about as much as serialising it.
 * So a value is first checked by an ajv validator compiled once from the same schema (z.toJSONSchema: one source
 * of truth, no copy, no allocation on success); only a value ajv refuses goes through zod, for its precise
 * message. Should the two ever disagree, the value is refused (fail closed); a differential test holds them to the
 * same verdicts.
 */
import { Ajv, type ValidateFunction } from "ajv";
import { z } from "zod";
import { ReceiptDraftSchema, ReceiptSchema, schemaProblem } from "./schema.js";

/** A schema check: why a value does not match (`decision.result: Invalid option...`), or null if it does. */
export interface SchemaCheck {
  (value: unknown): string | null;
  /** The ajv validator's verdict alone (null where it could not be compiled): for the differential test. */
  readonly fast: (value: unknown) => boolean | null;
}

function schemaCheck(schema: z.ZodType): SchemaCheck {
  let fast: ValidateFunction | null | undefined;
  const compiled = () => {
    if (fast === undefined) {
      try {
        const json = z.toJSONSchema(schema, { target: "draft-7" });
        fast = new Ajv({ strict: false, strictNumbers: true, allErrors: false }).compile(json);
      } catch {
        fast = null; // zod alone then
      }
    }
    return fast;
  };
  const check = (value: unknown): string | null => {
    const validate = compiled();
    if (validate?.(value)) return null;
    const parsed = schema.safeParse(value);
    if (!parsed.success) return schemaProblem(parsed.error);
    if (!validate) return null;
    const e = validate.errors?.[0];
    const path = e?.instancePath.slice(1).replace(/\//g, ".") || "receipt";
    return `${path}: ${e?.message ?? "does not match the receipt schema"}`;
  };
  return Object.assign(check, { fast: (value: unknown) => compiled()?.(value) ?? null });
}

/** Why a draft does not match the receipt draft schema, or null. */
export const draftProblem = schemaCheck(ReceiptDraftSchema);

/** Why a stored receipt does not match the receipt schema, or null. */
export const receiptProblem = schemaCheck(ReceiptSchema);
