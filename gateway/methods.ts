/**
 * Which client requests the gateway relays besides `initialize` and `tools/call` (which it mediates). The policy
 * decides tool calls only, so a request that reaches data another way — `resources/read` returns a resource's
 * contents, `prompts/get` may embed resources, a task may run a tool — is refused unless the operator opens it (`--pass METHOD`). Notifications and
 * responses always pass.
 */

/** Requests that only list, describe or configure, and reach no data the policy guards. */
export const PASSED_METHODS: readonly string[] = [
  "ping",
  "tools/list",
  "prompts/list",
  "resources/list",
  "resources/templates/list",
  "completion/complete",
  "logging/setLevel",
];

export function methodFilter(extra: readonly string[] = []): (method: string) => boolean {
  const passed = new Set([...PASSED_METHODS, ...extra]);
  return (method) => passed.has(method);
}
