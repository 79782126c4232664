/**
 * runtime/: loads compiled policies and decides. Imports nothing from compiler/, language/ or targets/, so a
 * deployed host ships without the compiler.
 */
export { loadPolicy, Policy, PolicyLoadError, Session, DEFAULT_BUDGET } from "./api.js";
export type {
  ActionInput,
  CanonicalAction,
  DecisionRecord,
  LoadOptions,
  PolicyRef,
  SessionOptions,
  ToolOutcome,
} from "./api.js";
export type {
  Decision,
  DecisionEffect,
  DeferTrigger,
  ApprovalRequirement,
  RuleError,
} from "./decide/decision.js";
export type { Evaluator, RuleBatch } from "./decide/core.js";
export { guard, ActionBlocked } from "./guard.js";
export { irEvaluator } from "./eval/ir-evaluator.js";
export { evalExpr, type Trace } from "./eval/interpret.js";
export { tracingEvaluator, type ConditionEvent, type TraceListener } from "./eval/trace.js";
export * as ops from "./eval/ops.js";
export { UNKNOWN, EvalError } from "./eval/values.js";
export type { EvalEnv, SessionView } from "./eval/env.js";
export { SessionState, type Identity } from "./session/state.js";
export { verifyLog, type LogEntry } from "./session/log.js";
export { canonicalJson } from "./session/canonical-json.js";
export { hashJson, sha256Hex } from "./session/hash.js";
export * from "./ir/index.js";
export { compiledEvaluator, evaluatorFromSource, type EvaluatorModule } from "./compiled.js";
export * from "./bundle/index.js";
export * from "./mediation/index.js";
export * from "./enforce/index.js";
export * from "./approvals/index.js";
export * from "./deferral/index.js";
export * from "./credentials/index.js";
export * from "./drift/index.js";
export * from "./telemetry/index.js";
export * from "./receipts/index.js";
// bundle/ and receipts/ each have a VerifyOptions: the bundle's keeps the name, the receipts' is renamed.
export type { VerifyOptions } from "./bundle/index.js";
export type { VerifyOptions as ReceiptVerifyOptions } from "./receipts/index.js";
export * from "./identity/index.js";
export {
  createSigner,
  generateKeyPair,
  keyIdOf,
  keyPairFromSecret,
  verifySignature,
  verifySignatureAsync,
  type KeyPair,
  type Signer,
} from "./crypto/ed25519.js";
export {
  parsePublicJwk,
  parseSecretJwk,
  publicJwk,
  secretJwk,
  type PublicJwk,
  type PublicKey,
  type SecretJwk,
} from "./crypto/jwk.js";
