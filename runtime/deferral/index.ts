/**
 * The deferral service (AARM R4, DEFER; docs/enforcement.md): in-process, behind the enforcer's DeferralPort, and
 * the dependency rules for actions that use a held action's output.
 */
export {
  DeferralService,
  createDeferralService,
  type DeferralEvent,
  type DeferralServiceOptions,
  type DeferredSummary,
  type Resolver,
  type ResolverAnswer,
} from "./service.js";
export {
  Dependencies,
  type ActionState,
  type DependencyCheck,
  type Release,
  type Settlement,
} from "./dependencies.js";
