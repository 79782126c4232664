/**
 * AARM R3: "Deferral MUST be triggered when:
 *  - A policy rule's match predicate references context fields not yet populated in the session
 *  - Multiple applicable policies produce conflicting decisions at the same priority level
 *  - A confidence score (if implemented) falls below a deployment-configured threshold
 * The conditions triggering deferral MUST be documented and auditable."
 *
 * Each trigger is checked for the decision, the trigger the decision names, the context it waits for, and a
 * reason a reader of the audit log can act on.
 */
import { describe, expect, it } from "vitest";
import { engines, example, expectDecision, fixture } from "./harness.js";

const ROTATE = { target: "prod-payments" };

describe.each(await engines(example("aarm-reference")))(
  "R3(a) and R3(c) on examples/aarm-reference ($name)",
  (engine) => {
    it("R3(a) [C13] unknown context: test-ctx-defer reads context.confidence, which the host has not set → DEFER", async () => {
      const a = engine.open({ request: "Rotate the payments credentials" });
      const o = await a.call("credentials.rotate", ROTATE);
      expectDecision(o, {
        effect: "DEFER",
        rules: ["test-ctx-defer"],
        trigger: "unknown_context",
        waitingFor: ["context.confidence"],
        reasons: ["rule 'test-ctx-defer' needs context.confidence that is not known yet"],
      });
      expect(o.decision.defer?.timeoutMs).toBe(300_000);
    });

    it("R3(a) resolves: once context.confidence is set the same action is decided again", async () => {
      const a = engine.open();
      expectDecision(await a.call("credentials.rotate", ROTATE), {
        effect: "DEFER",
        trigger: "unknown_context",
      });
      a.setContext("confidence", 0.2);
      expectDecision(await a.call("credentials.rotate", ROTATE), {
        effect: "DEFER",
        trigger: "rule",
        rules: ["test-ctx-defer"],
      });
      a.setContext("confidence", 0.8);
      expectDecision(await a.call("credentials.rotate", ROTATE), {
        effect: "ALLOW",
        rules: ["allow-rotate-confident"],
      });
      expect(a.callsTo("credentials.rotate")).toHaveLength(1);
    });

    it("R3(a) on the request: a context-dependent allow without an original request → DEFER waiting for it", async () => {
      const a = engine.open();
      const o = await a.call("database.delete", { table: "test_records", where: "created_by = 'user123'" });
      expectDecision(o, {
        effect: "DEFER",
        trigger: "unknown_context",
        waitingFor: ["request"],
        reasons: [/needs .*request/],
      });
    });

    it("R3(c) [C15] confidence below threshold: 0.49 → DEFER naming the low confidence; 0.5 → ALLOW", async () => {
      const low = engine.open({ context: { confidence: 0.49 } });
      expectDecision(await low.call("credentials.rotate", ROTATE), {
        effect: "DEFER",
        rules: ["test-ctx-defer"],
        trigger: "rule",
        reasons: ["low intent confidence"],
      });
      const ok = engine.open({ context: { confidence: 0.5 } });
      expectDecision(await ok.call("credentials.rotate", ROTATE), {
        effect: "ALLOW",
        rules: ["allow-rotate-confident"],
      });
    });

    it("R3 [C16] auditable: the hash-chained context log records the deferral with its rule", async () => {
      const a = engine.open({ context: { confidence: 0.1 } });
      const o = await a.call("credentials.rotate", ROTATE);
      const entry = a.session.state.log.entries.find((e) => e.kind === "action");
      expect(entry?.data).toEqual({
        id: o.decision.action.id,
        tool: "credentials.rotate",
        decision: "DEFER",
        rules: ["test-ctx-defer"],
      });
    });
  },
);

describe.each(await engines(fixture("golden")))("R3(b) [C14] same-priority conflict ($name)", (engine) => {
  it("allow and deny at priority 45 both match → DEFER naming both rules and the priority", async () => {
    const a = engine.open({ context: { ticket_window_approved: true, monitor_change_freeze: true } });
    const o = await a.call("credentials.rotate", ROTATE);
    expectDecision(o, {
      effect: "DEFER",
      rules: ["rotate-window-approved", "rotate-change-freeze"],
      trigger: "conflict",
      waitingFor: [],
      reasons: [
        "conflicting rules at priority 45: 'rotate-window-approved' (allow), 'rotate-change-freeze' (deny)",
      ],
    });
  });

  it("one rule matches and a same-priority rule of another effect might (unknown) → DEFER conflict, waiting for it", async () => {
    const a = engine.open({ context: { ticket_window_approved: true } });
    const o = await a.call("credentials.rotate", ROTATE);
    expectDecision(o, {
      effect: "DEFER",
      rules: ["rotate-window-approved", "rotate-change-freeze"],
      trigger: "conflict",
      waitingFor: ["context.monitor_change_freeze"],
    });
  });
});

describe.each(await engines(fixture("defer-triggers")))(
  "R3(a), R3(b), R3(c) on a dedicated policy ($name)",
  (engine) => {
    it("R3(b) for MODIFY: two modifications of args.limit to different values → DEFER conflict naming both", async () => {
      const a = engine.open({ context: { on_call: false } });
      const o = await a.call("database.query", { sql: "SELECT * FROM orders", limit: 500 });
      expectDecision(o, {
        effect: "DEFER",
        trigger: "conflict",
        reasons: ["rules 'cap-100' and 'cap-50-off-hours' modify args.limit differently"],
      });
    });

    it("R3(a) for MODIFY: one modification matches, the other waits for context.on_call → DEFER", async () => {
      const a = engine.open();
      const o = await a.call("database.query", { sql: "SELECT * FROM orders", limit: 500 });
      expectDecision(o, {
        effect: "DEFER",
        trigger: "unknown_context",
        waitingFor: ["context.on_call"],
        rules: ["cap-50-off-hours"],
      });
    });

    it("no trigger: on call, only cap-100 applies → MODIFY to 100", async () => {
      const a = engine.open({ context: { on_call: true } });
      const o = await a.call("database.query", { sql: "SELECT * FROM orders", limit: 500 });
      expectDecision(o, { effect: "MODIFY", rules: ["cap-100"] });
      expect(o.received).toEqual({ sql: "SELECT * FROM orders", limit: 100 });
    });

    it("R3(c) with no `because`: the reason still names the deferring rule", async () => {
      const a = engine.open({ context: { confidence: 0.2, on_call: true } });
      const o = await a.call("credentials.rotate", { target: "staging-payments" });
      expectDecision(o, {
        effect: "DEFER",
        trigger: "rule",
        rules: ["low-confidence"],
        reasons: ["low-confidence"],
      });
      expect(o.decision.defer?.timeoutMs).toBe(300_000);
    });

    // Runtime bug (runtime/decide/core.ts tierStage, as docs/semantics.md step 3 prescribes): when a rule of a tier
    // matches and another rule of the same effect is unknown, the tier DEFERs and names only the unknown rule. No
    // value of the missing context can change the outcome here — the matching deny already decides — and the
    // specification says "DEFER is not appropriate when: the action clearly violates hard policy; no additional
    // context can realistically change the decision" (deferral service, §3.5).
    it(
      "a matching deny next to a same-effect unknown deny → DENY (no-prod-rotation)",
      async () => {
        const a = engine.open({ context: { confidence: 0.9 } });
        const o = await a.call("credentials.rotate", ROTATE);
        expectDecision(o, { effect: "DENY", rules: ["no-prod-rotation"] });
      },
    );
  },
);

describe.each(await engines(fixture("environment")))(
  "a matching defer rule next to an unknown one ($name)",
  (engine) => {
    // Same cause: rotate-unknown-window matches (5 minutes), env-label-contradicts-target is unknown (10 minutes).
    // The DEFER names only the unknown rule and takes its timeout, although semantics.md says the shortest timeout of
    // the matching defer rules applies and the matching rule's reason is the one an auditor needs.
    it(
      "a matching defer next to an unknown one is named and waits at most 5 minutes",
      async () => {
        const a = engine.open();
        const o = await a.call("credentials.rotate", ROTATE);
        expectDecision(o, { effect: "DEFER", reasons: ["waiting for the maintenance-window status"] });
        expect(o.decision.ruleIds).toContain("rotate-unknown-window");
        expect(o.decision.defer?.timeoutMs).toBe(300_000);
      },
    );
  },
);
