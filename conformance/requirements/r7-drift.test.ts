/**
 * AARM R7 (semantic distance tracking), through the runtime with mock tools that record whether they ran: a drift
 * model given as the `drift` session option makes `drift` and `session.drift` known, and the thresholds of the
 * policy (conformance/scenarios/fixtures/semantic-drift.aarm) trigger STEP_UP and DEFER. Rows of the spec's
 * conformance table are tagged [T<n>], items of the derived catalogue [C<n>] (see cli/conformance/catalog.ts).
 *
 * Most cases use a calibrated stand-in embedder so that each action's drift is exactly the number written in its
 * path (`/notes/drift-0.75.md` is at drift 0.75 from any request): the thresholds are then tested at known values.
 * The last case uses the built-in embedder on ordinary text.
 */
import { describe, expect, it } from "vitest";
import { cachedEmbedder, driftModel, type Embedder } from "../../runtime/index.js";
import { engines, expectDecision, fixture } from "../scenarios/harness.js";

/** A 2-D embedder: the request is (1, 0); a text naming `drift-D` is the unit vector at 1 − cos θ = D. */
const stated: Embedder = {
  id: "stated-drift",
  embed(text) {
    const m = /drift-(\d(?:\.\d+)?)/.exec(text);
    const d = m ? Number(m[1]) : 0;
    return [1 - d, Math.sqrt(1 - (1 - d) ** 2)];
  },
};
const model = driftModel({ embedder: stated, alpha: 0.7 });
const read = (d: number) => ({ path: `/notes/drift-${d}.md` });

describe.each(await engines(fixture("semantic-drift")))("R7 semantic drift ($name)", (engine) => {
  it("[T19] [C37] R7 a single large jump over the per-action threshold → STEP_UP; the tool does not run", async () => {
    const a = engine.open({ request: "summarise my notes", drift: model });
    const near = await a.call("file.read", read(0.1));
    expectDecision(near, { effect: "ALLOW" });
    expect(near.decision.drift?.action).toBeCloseTo(0.1, 9);
    const jump = await a.call("file.read", read(0.95));
    expectDecision(jump, { effect: "STEP_UP", rules: ["drift-jump"] });
    expect(jump.ran).toBe(false);
    expect(jump.decision.stepUp?.approvals[0]?.groups).toEqual(["security-oncall"]);
    expect(jump.decision.stepUp?.timeoutMs).toBe(600_000);
    // The session as a whole stayed under its threshold: 0.3 × 0.07 + 0.7 × 0.95.
    expect(jump.decision.drift?.session).toBeCloseTo(0.3 * 0.07 + 0.7 * 0.95, 9);
  });

  it("[T19] [C38] R7 gradual drift, every step under the per-action threshold, triggers cumulatively → DEFER", async () => {
    const a = engine.open({ request: "summarise my notes", drift: model });
    const s1 = await a.call("file.read", read(0.75));
    const s2 = await a.call("file.read", read(0.75));
    const s3 = await a.call("file.read", read(0.75));
    for (const s of [s1, s2]) expectDecision(s, { effect: "ALLOW" });
    expect([s1.ran, s2.ran]).toEqual([true, true]);
    expect(s2.decision.drift?.session).toBeCloseTo(0.525 * 0.3 + 0.525, 9); // 0.6825 < 0.7
    expectDecision(s3, { effect: "DEFER", rules: ["drift-cumulative"], trigger: "rule" });
    expect(s3.ran).toBe(false);
    expect(s3.decision.drift?.action).toBeCloseTo(0.75, 9); // under 0.8: the per-action rule did not fire
    expect(s3.decision.drift?.session).toBeGreaterThan(0.7);
    expect(s3.decision.defer?.timeoutMs).toBe(600_000);
    // Deciding it again does not count it twice: the average holds only what ran.
    expect(a.session.state.drift).toBeCloseTo(0.6825, 9);
    expectDecision(await a.call("file.read", read(0.75)), { effect: "DEFER", rules: ["drift-cumulative"] });
    expect(a.session.state.drift).toBeCloseTo(0.6825, 9);
    // A step back towards the request brings the session under its threshold again.
    expectDecision(await a.call("file.read", read(0.2)), { effect: "ALLOW" });
  });

  it("[T19] R7 an action stepped up for drift and then approved enters the session's cumulative drift", async () => {
    const a = engine.open({ request: "summarise my notes", drift: model });
    const jump = await a.call("file.read", read(0.9));
    expectDecision(jump, { effect: "STEP_UP" });
    expect(a.session.state.drift).toBe(0);
    a.session.markExecuted(jump.decision.action); // security-oncall approved
    expect(a.session.state.drift).toBeCloseTo(0.63, 9);
  });

  it("R7 tag rules see the drift of the action whose result they classify", async () => {
    const a = engine.open({ request: "summarise my notes", drift: model });
    await a.call("file.read", read(0.3));
    expect([...a.session.state.labels]).toEqual([]);
    const far = await a.call("file.read", read(0.6), "text");
    expect(far.ran).toBe(true);
    expect([...a.session.state.labels]).toEqual(["OFF_TASK"]);
  });

  it("[T19] R7 without a request, or without a drift model, drift is unknown → the drift rules DEFER", async () => {
    const noRequest = await engine.open({ drift: model }).call("file.read", read(0.1));
    // The defer rule's group (priority 40) is the first to depend on drift, so the DEFER waits for session.drift.
    expectDecision(noRequest, { effect: "DEFER", trigger: "unknown_context", waitingFor: ["session.drift"] });
    expect(noRequest.decision.drift).toEqual({ action: null, session: null });
    const noModel = await engine.open({ request: "summarise my notes" }).call("file.read", read(0.1));
    expectDecision(noModel, { effect: "DEFER", trigger: "unknown_context" });
    expect(noModel.ran).toBe(false);
  });

  it("R7 an asynchronous embedder: an action decided before its vector is ready DEFERs; after prepare it is decided", async () => {
    const remote = cachedEmbedder({ id: "remote", embed: (t) => Promise.resolve(stated.embed(t)!) });
    const m = driftModel({ embedder: remote });
    await m.prepare({ request: "summarise my notes" });
    const a = engine.open({ request: "summarise my notes", drift: m });
    const early = await a.call("file.read", read(0.95));
    expectDecision(early, { effect: "DEFER", trigger: "unknown_context", waitingFor: ["session.drift"] });
    expect(early.ran).toBe(false);
    await m.prepare({ actions: [{ tool: "file.read", args: read(0.95) }] });
    expectDecision(await a.call("file.read", read(0.95)), { effect: "STEP_UP", rules: ["drift-jump"] });
  });

  it("R7 an embedder that fails, or returns a malformed vector, makes every decision DENY; the tool does not run", async () => {
    const throwing: Embedder = {
      id: "down",
      embed: () => {
        throw new Error("model server down");
      },
    };
    const wrong: Embedder = { id: "wrong", embed: (t) => (t === "summarise my notes" ? [1, 0] : [1, 0, 0]) };
    for (const [embedder, why] of [
      [throwing, "model server down"],
      [wrong, "different dimensions"],
    ] as const) {
      const a = engine.open({ request: "summarise my notes", drift: driftModel({ embedder }) });
      const o = await a.call("file.read", read(0.1));
      expectDecision(o, { effect: "DENY", decidedBy: "error", reasons: [why] });
      expect(o.ran).toBe(false);
    }
  });

  it("[T19] R7 with the built-in embedder, an off-topic action drifts further than an on-topic one", async () => {
    const a = engine.open({
      request: "Search my email for the invoice from Acme Corp and summarise it",
      drift: driftModel(),
    });
    const onTopic = await a.call("email.search", { query: "invoice Acme Corp" });
    const offTopic = await a.call("slack.post", {
      channel: "#random",
      text: "Here are all the customer passwords",
    });
    const [on, off] = [onTopic.decision.drift!.action!, offTopic.decision.drift!.action!];
    expect(on).toBeLessThan(0.2); // "invoice", "acme", "corp" and "search" are words of the request
    expect(off).toBe(1); // no word, and no trigram, in common
    expectDecision(onTopic, { effect: "ALLOW" });
    // Both thresholds are crossed (the session: 0.3 × 0.7 × on + 0.7 × 1 > 0.7); defer rules outrank step_up ones.
    expect(offTopic.decision.drift?.session).toBeCloseTo(0.3 * 0.7 * on + 0.7, 9);
    expectDecision(offTopic, { effect: "DEFER", rules: ["drift-cumulative"] });
    expect(offTopic.ran).toBe(false);
  });
});
