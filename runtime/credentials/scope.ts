/**
 * Which operations a credential permits (AARM R9, "operation-specific scoping, e.g. read-only for query
 * operations"). Read or write is known, in this order, from:
 * 1. the host's explicit operation map: a tool name, or a prefix pattern `crm.*`, to "read" or ["read", "write"]
 *    (the exact name wins over a pattern, a longer pattern over a shorter one);
 * 2. the tool's schema annotations: an MCP tool with `annotations.readOnlyHint: true` (kept in the IR as
 *    `tools[name].readOnly`) gets a read-only credential;
 * 3. otherwise read and write: a tool nobody declared read-only may change things, so a credential for it must
 *    be able to (and the receipt says it could).
 * A tool the policy does not know gets no credential at all (fail closed).
 */
import type { CredentialOperation } from "./claims.js";

/** Tool name or `prefix.*` → the operations its credentials permit. */
export type OperationMap = Readonly<Record<string, CredentialOperation | readonly CredentialOperation[]>>;

/** What scoping needs to know about the policy's tools. */
export interface ToolCatalogue {
  readonly tools: Readonly<Record<string, { readonly readOnly: boolean }>>;
}

function normalise(v: CredentialOperation | readonly CredentialOperation[]): CredentialOperation[] {
  const list = typeof v === "string" ? [v] : [...v];
  return (["read", "write"] as const).filter((o) => list.includes(o));
}

function fromMap(tool: string, map: OperationMap): CredentialOperation[] | undefined {
  if (Object.hasOwn(map, tool)) return normalise(map[tool]!);
  let best: string | undefined;
  for (const key of Object.keys(map)) {
    if (!key.endsWith(".*")) continue;
    const prefix = key.slice(0, -1); // keeps the dot: "crm." matches "crm.lookup", not "crmx.lookup"
    if (tool.startsWith(prefix) && (best === undefined || key.length > best.length)) best = key;
  }
  return best === undefined ? undefined : normalise(map[best]!);
}

/** The operations a credential for `tool` permits, or null when the policy does not know the tool. */
export function operationsFor(
  tool: string,
  catalogue: ToolCatalogue,
  map: OperationMap = {},
): CredentialOperation[] | null {
  if (!Object.hasOwn(catalogue.tools, tool)) return null;
  const explicit = fromMap(tool, map);
  if (explicit !== undefined && explicit.length > 0) return explicit;
  return catalogue.tools[tool]!.readOnly ? ["read"] : ["read", "write"];
}

/** Check an operation map: every value must be "read" or "write" (or a non-empty list of them). */
export function checkOperationMap(map: unknown): string | null {
  if (typeof map !== "object" || map === null || Array.isArray(map)) return "operations: expected an object";
  for (const [tool, v] of Object.entries(map)) {
    const list: unknown[] = Array.isArray(v) ? v : [v];
    if (list.length === 0 || list.some((o) => o !== "read" && o !== "write"))
      return `operations.${tool}: expected "read", "write" or a non-empty list of them`;
  }
  return null;
}
