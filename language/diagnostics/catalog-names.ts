/**
 * AARM2xxx: names and types (the checker).
 */
import { define } from "./define.js";

export const names = {
  placeholderNames: define({
    code: "AARM2000",
    severity: "error",
    title: "placeholder",
    message: "{x}",
    doc: "Placeholder until the checker defines its diagnostics.",
  }),
} as const;
