/**
 * gateway/: `aarm gateway`, the MCP gateway (docs/gateway.md). setup.ts assembles a gateway from its configuration
 * (bundle, receipts, identity issuers, approvals), stdio.ts and http.ts serve it, relay.ts relays one session's
 * messages, and enforced.ts decides each tool call through the enforcement layer.
 */
export { serveHttp, MCP_PATH, type HttpGateway, type HttpGatewayOptions } from "./http.js";
export { serveStdio, type StdioGatewayOptions } from "./stdio.js";
export { setupGateway, GatewayConfigError, type Gateway, type GatewayConfig } from "./setup.js";
export { Relay, type GatewayCore, type RelayOptions } from "./relay.js";
export type { Forward, MediatedSession, Mediator, SessionRequest, ToolCall } from "./mediator.js";
export { upstreamConnector, type Upstream, type UpstreamSpec } from "./upstream.js";
export { allowableTools } from "./listing.js";
export { PASSED_METHODS, SERVER_PASSED_METHODS } from "./methods.js";
export * from "./session-init.js";
