/**
 * The one shape test the gateway applies to JSON it did not make (MCP messages, their params and results, the
 * session-context header): an object that is not an array.
 */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
