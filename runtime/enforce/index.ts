/**
 * The enforcement layer (docs/enforcement.md): the Enforcer hosts embed, its sessions, and the ports of the
 * approval and deferral services.
 */
export { Enforcer, createEnforcer, type EnforcerCore } from "./enforcer.js";
export { EnforcedSession } from "./session.js";
export { ManualTimers, systemTimers, type Timers } from "./timers.js";
export { ToolOutput } from "./tool-output.js";
export {
  DEFAULT_ENFORCEMENT,
  type ActionOutcome,
  type EnforcementDefaults,
  type EnforcerOptions,
  type OpenOptions,
  type PerformOptions,
  type ReceiptRef,
  type Stage,
  type ToolFunction,
  type ToolGrant,
} from "./types.js";
export type * from "./ports.js";
