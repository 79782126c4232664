/**
 * The enforcement point itself (AARM R1: "No fail-open mode that bypasses policy evaluation"; R4: "ALLOW: Action
 * proceeds unchanged"): what the tool receives must be what was decided, and a broken evaluator must not let an
 * action through.
 */
import { describe, expect, it } from "vitest";
import { ActionBlocked, engines, type Evaluator, example, expectDecision, guard } from "./harness.js";

const crashing = (e: Evaluator): Evaluator => ({
  ...e,
  kind: e.kind,
  rule: () => {
    throw new Error("evaluator crashed");
  },
});

describe.each(await engines(example("assistant")))("enforcement on examples/assistant ($name)", (engine) => {
  it("each runtime runs the evaluator it is named after", () => {
    expect(engine.open().session.policy.evaluator.kind).toBe(engine.evaluator);
  });

  // Runtime bug (runtime/guard.ts): guard() decides on a copy of the arguments (the zod-parsed action) but runs
  // the tool with the caller's object. An arguments object whose properties are getters or a Proxy (or one the
  // caller changes while an async tool is still reading it) shows the policy one value and the tool another. Fix:
  // run the tool with the decided arguments — a deep copy taken once, `d.action.args` for ALLOW.
  it.fails(
    "bug: a getter shows the policy /srv/workspace/a.txt and the tool /etc/shadow → the tool must never see /etc/shadow",
    async () => {
      const a = engine.open();
      let reads = 0;
      const args = {
        get path(): string {
          return reads++ === 0 ? "/srv/workspace/a.txt" : "/etc/shadow";
        },
      };
      const seen: string[] = [];
      try {
        await guard(a.session, "read_text_file", (x: { path: string }) => {
          seen.push(x.path);
          return "contents";
        })(args);
      } catch (e) {
        if (!(e instanceof ActionBlocked)) throw e;
      }
      expect(seen).not.toContain("/etc/shadow");
    },
  );

  // Runtime bug (runtime/api.ts Session.decide): JSON.parse creates an own "__proto__" property; the zod copy that
  // is validated drops it, so additionalProperties: false never sees it, and the tool (given the caller's object
  // by guard, or by a host that forwards what it decided on) receives an argument its schema forbids.
  it.fails(
    "bug: an own __proto__ argument must fail schema validation (additionalProperties: false) → DENY",
    async () => {
      const a = engine.open();
      const args = JSON.parse(
        '{"path": "/srv/workspace/a.txt", "__proto__": {"path": "/etc/shadow"}}',
      ) as Record<string, unknown>;
      expectDecision(a.session.decide({ tool: "read_text_file", args }), {
        effect: "DENY",
        decidedBy: "validation",
      });
    },
  );
});

describe.each(await engines(example("assistant"), { wrapEvaluator: crashing }))(
  "fail closed: the evaluator crashes ($name)",
  (engine) => {
    it("an action that would be allowed → DENY, the tool never runs", async () => {
      const a = engine.open({ request: "Read the notes" });
      const o = await a.call("read_text_file", { path: "/srv/workspace/notes.md" });
      expectDecision(o, {
        effect: "DENY",
        decidedBy: "error",
        reasons: ["evaluator crashed", "failing closed"],
      });
    });
  },
);

describe.each(await engines(example("assistant"), { budget: 1 }))(
  "fail closed: the decision budget is exhausted ($name)",
  (engine) => {
    it("an action that would be allowed → DENY naming the budget", async () => {
      const a = engine.open({ request: "Read the notes" });
      const o = await a.call("read_text_file", { path: "/srv/workspace/notes.md" });
      expectDecision(o, { effect: "DENY", reasons: ["budget"] });
    });
  },
);
