/**
 * Adapter: a plain function call (a tool name and an arguments object) → ActionRequest, for hosts whose tools are
 * functions in the same process.
 */
import { z } from "zod";
import { type AdapterResult, fromZod, JsonObject, ToolName } from "./action.js";

const Call = z.object({ name: ToolName, args: JsonObject });

/** Convert a function call `name(args)`; `args` must be a JSON object (default `{}`). */
export function fromFunctionCall(name: unknown, args: unknown = {}): AdapterResult {
  const r = Call.safeParse({ name, args });
  if (!r.success) return fromZod(r.error);
  return {
    ok: true,
    request: { tool: r.data.name, operation: "call", args: r.data.args, source: { kind: "function" } },
  };
}
