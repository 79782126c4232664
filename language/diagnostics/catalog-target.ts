/**
 * AARM4xxx: target limits (what the kernel and JS targets can hold).
 */
import { define } from "./define.js";

export const target = {
  placeholderTarget: define({
    code: "AARM4000",
    severity: "error",
    title: "placeholder",
    message: "{x}",
    doc: "Placeholder until the target limits are defined.",
  }),
} as const;
