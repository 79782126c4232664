/**
 * Action mediation (AARM §4): adapters from MCP, HTTP, shell and function calls to one canonical action, with
 * wrapper tools resolved before the policy sees them. Pure functions; no Node-only API.
 */
export {
  type ActionRequest,
  type ActionSource,
  type AdapterResult,
  type IdentityRef,
  type MediatedAction,
  type MediationErrorCode,
  type NormalizeResult,
  type RequestOptions,
  type WrapperRecord,
  MediationError,
  toAarmAction,
} from "./action.js";
export { fromMcp, type McpOptions } from "./mcp.js";
export { mcpResultOutcome } from "./mcp-result.js";
export { fromHttp, type HttpOptions, type HttpRoute, type HttpRequestInput } from "./http.js";
export { fromShell, type ShellOptions } from "./shell.js";
export { splitShellWords, type ShellSplit } from "./shell-words.js";
export { fromFunctionCall } from "./function-call.js";
export { BUILTIN_WRAPPERS, DEFAULT_MAX_WRAPPER_DEPTH, type WrapperPattern } from "./wrappers.js";
export {
  actionId,
  identityRef,
  normalizeAction,
  parseMediationOptions,
  wrapperArgs,
  type MediationOptions,
  type NormalizeContext,
  type ResolvedMediation,
} from "./normalize.js";
