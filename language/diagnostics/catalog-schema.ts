/**
 * AARM3xxx: tool schemas (loading and validating MCP tools/list results and JSON Schema files).
 */
import { define } from "./define.js";

export const schema = {
  placeholderSchema: define({
    code: "AARM3000",
    severity: "error",
    title: "placeholder",
    message: "{x}",
    doc: "Placeholder until the schema loader defines its diagnostics.",
  }),
} as const;
