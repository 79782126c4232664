/**
 * The session as one decision sees it when a drift model is configured: the session's own view, with
 * `session.drift` replaced by the cumulative drift including the action being decided.
 */
import type { IdentityField, SessionView } from "../eval/env.js";
import type { Unknown } from "../eval/values.js";

/** A SessionView that answers `drift` with the given value and everything else from `base`. */
export function withSessionDrift(base: SessionView, drift: number | Unknown): SessionView {
  return {
    get request() {
      return base.request;
    },
    identity: (field: IdentityField) => base.identity(field),
    get labels() {
      return base.labels;
    },
    get level() {
      return base.level;
    },
    drift,
    get actions() {
      return base.actions;
    },
    context: (field: string) => base.context(field),
    seen: (tools, since) => base.seen(tools, since),
    count: (tools, since) => base.count(tools, since),
    sequence: (steps, since) => base.sequence(steps, since),
    provenance: (value) => base.provenance(value),
  };
}
