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

  // guard() runs the tool with the snapshot the policy decided on, never the caller's object: an arguments object
  // whose properties are getters or a Proxy (or one the caller changes while an async tool is still reading it)
  // cannot show the policy one value and the tool another.
  it("a getter shows the policy /srv/workspace/a.txt and the tool /etc/shadow → the tool must never see /etc/shadow", async () => {
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
  });

  // JSON.parse creates an own "__proto__" property; the snapshot keeps it as an ordinary key, so schema validation
  // (additionalProperties: false) sees it.
  it("an own __proto__ argument must fail schema validation (additionalProperties: false) → DENY", async () => {
    const a = engine.open();
    const args = JSON.parse(
      '{"path": "/srv/workspace/a.txt", "__proto__": {"path": "/etc/shadow"}}',
    ) as Record<string, unknown>;
    expectDecision(a.session.decide({ tool: "read_text_file", args }), {
      effect: "DENY",
      decidedBy: "validation",
    });
  });
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
