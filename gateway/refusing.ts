/**
 * The mediator of a gateway that cannot enforce (its policy bundle did not load or verify, its receipt sink
 * cannot be opened): sessions open so the client can read why, `tools/list` shows no tool, and every
 * `tools/call` is refused with the reason. Nothing is ever forwarded.
 */
import type { Mediator } from "./mediator.js";
import { errorResult } from "./results.js";

export function refusingMediator(reason: string): Mediator {
  const text = `DENY: the gateway cannot enforce its policy, so no tool runs (${reason})`;
  return {
    listed: () => false,
    open: (req) =>
      Promise.resolve({
        ok: true,
        session: {
          id: req.id,
          call: (call) => Promise.resolve(errorResult(call.id, text)),
          close: () => Promise.resolve(),
        },
      }),
  };
}
