/**
 * The approval service (AARM R4, STEP_UP; docs/enforcement.md): in-process, behind the enforcer's ApprovalPort.
 */
export {
  ApprovalService,
  createApprovalService,
  type ApprovalEvent,
  type ApprovalServiceOptions,
  type Authenticated,
  type AuthResult,
  type VoteInput,
  type VoteRefusal,
  type VoteResult,
} from "./service.js";
export { describe as describeQuorum } from "./quorum.js";
export type { ApprovalStatus, ApprovalSummary, ApprovalView, Vote } from "./views.js";
