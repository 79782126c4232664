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

/** Whether a method is among `base` or the operator's `extra` ones (`--pass`). */
function passing(base: readonly string[], extra: readonly string[]): (method: string) => boolean {
  const passed = new Set([...base, ...extra]);
  return (method) => passed.has(method);
}

export function methodFilter(extra: readonly string[] = []): (method: string) => boolean {
  return passing(PASSED_METHODS, extra);
}

/**
 * Requests of the tool server's own that the gateway relays to the client: liveness, and the client's roots (which
 * folders the server may work in). `sampling/createMessage` would let the tool server write a prompt for the
 * client's model and read its answer, and `elicitation/create` would let it ask the user for input: neither is a
 * tool call the policy decides, so both — and anything else — are refused unless the operator opens them (`--pass
 * METHOD`, which names a method in either direction). The client's `sampling` and `elicitation` capabilities are
 * then not shown to the server either (session-init.ts).
 */
export const SERVER_PASSED_METHODS: readonly string[] = ["ping", "roots/list"];

export function serverMethodFilter(extra: readonly string[] = []): (method: string) => boolean {
  return passing(SERVER_PASSED_METHODS, extra);
}
