import { describe, expect, it } from "vitest";
import { hashJson } from "../session/hash.js";
import { Enforcer } from "./enforcer.js";
import { ToolOutput } from "./tool-output.js";
import { enforcementFixture, until } from "./test-support/fixture.js";

const alice = { sub: "alice@corp.example", kind: "human" as const, role: "analyst" };

describe("Enforcer", () => {
  it("ALLOW runs the tool on the decided arguments and writes a decision and an outcome receipt", async () => {
    const f = await enforcementFixture();
    const s = await f.enforcer.openSession({
      assertions: [await f.assertion(alice)],
      request: "weekly numbers",
    });
    const o = await s.perform(
      { tool: "database.query", args: { sql: "SELECT 1", limit: 5 } },
      f.tool([{ n: 1 }]),
    );
    expect(o).toMatchObject({ effect: "ALLOW", ran: true, output: [{ n: 1 }], stage: "policy" });
    expect(f.calls).toEqual([{ tool: "database.query", args: { sql: "SELECT 1", limit: 5 } }]);
    expect(f.receipts().map((r) => [r.kind, r.decision.result])).toEqual([
      ["decision", "ALLOW"],
      ["outcome", "ALLOW"],
    ]);
    expect(f.receipts()[0]!.identity).toMatchObject({
      human: "alice@corp.example",
      role: "analyst",
      status: "verified",
    });
    expect((await f.verify()).valid).toBe(true);
  });

  it("MODIFY runs the tool on exactly the modified arguments", async () => {
    const f = await enforcementFixture();
    const s = await f.enforcer.openSession({ assertions: [await f.assertion(alice)] });
    const o = await s.perform({ tool: "database.query", args: { sql: "SELECT 1", limit: 5000 } }, f.tool());
    expect(o.effect).toBe("MODIFY");
    expect(f.calls[0]!.args).toEqual({ sql: "SELECT 1", limit: 100 });
    expect(f.receipts()[0]!.decision.modifiedParametersHash).toBeDefined();
  });

  it("an identity that does not verify: every action is DENIED with a receipt saying why", async () => {
    const f = await enforcementFixture();
    const s = await f.enforcer.openSession({ assertions: ["not-a-token"] });
    const o = await s.perform({ tool: "database.query", args: { sql: "SELECT 1", limit: 5 } }, f.tool());
    expect(o).toMatchObject({ effect: "DENY", ran: false, stage: "identity" });
    expect(o.reasons[0]).toMatch(/^identity: assertion 1/);
    expect(f.calls).toHaveLength(0);
    expect(f.receipts()[0]!.identity.status).toBe("none");
    expect((await f.verify()).valid).toBe(true);
  });

  it("STEP_UP without an approval service and DEFER without a deferral service are DENIED", async () => {
    const f = await enforcementFixture();
    const s = await f.enforcer.openSession({
      assertions: [await f.assertion(alice)],
      request: "delete my test data",
    });
    const up = await s.perform(
      { tool: "database.delete", args: { table: "test_rows", where: "owner = 'alice'" } },
      f.tool(),
    );
    expect(up).toMatchObject({
      effect: "DENY",
      stage: "approval",
      reasons: ["no approval service is configured"],
    });
    const later = await s.perform({ tool: "credentials.rotate", args: { target: "prod" } }, f.tool());
    expect(later).toMatchObject({
      effect: "DENY",
      stage: "deferral",
      reasons: ["no deferral service is configured"],
    });
    expect(f.calls).toHaveLength(0);
    expect(f.receipts().map((r) => `${r.kind}:${r.decision.result}`)).toEqual([
      "decision:STEP_UP",
      "approval:DENY",
      "decision:DEFER",
      "deferral:DENY",
    ]);
  });

  it("a receipt sink that fails DENIES the action; every receipt stored before still verifies", async () => {
    const f = await enforcementFixture();
    const s = await f.enforcer.openSession({ assertions: [await f.assertion(alice)] });
    await s.perform({ tool: "database.query", args: { sql: "SELECT 1", limit: 5 } }, f.tool());
    f.sink.broken = "ENOSPC: no space left on device";
    const o = await s.perform({ tool: "database.query", args: { sql: "SELECT 2", limit: 5 } }, f.tool());
    expect(o).toMatchObject({ effect: "DENY", ran: false, stage: "receipts" });
    expect(o.reasons[0]).toMatch(/ENOSPC/);
    expect(f.calls).toHaveLength(1);
    f.sink.broken = null;
    const again = await s.perform({ tool: "database.query", args: { sql: "SELECT 3", limit: 5 } }, f.tool());
    expect(again.effect).toBe("ALLOW");
    const v = await f.verify();
    expect([v.valid, v.receipts]).toEqual([true, 4]);
  });
});

describe("Enforcer edge cases", () => {
  it("mediates adapter results: an MCP tools/call runs; a malformed one is DENIED with the mediation error", async () => {
    const { fromMcp } = await import("../mediation/index.js");
    const f = await enforcementFixture();
    const s = await f.enforcer.openSession({ assertions: [await f.assertion(alice)] });
    const call = (id: number, params: unknown) =>
      fromMcp({ jsonrpc: "2.0", id, method: "tools/call", params });
    const ok = await s.perform(
      call(1, { name: "database.query", arguments: { sql: "SELECT 1", limit: 3 } }),
      f.tool(),
    );
    expect(ok).toMatchObject({
      effect: "ALLOW",
      action: { operation: "tools/call", source: { kind: "mcp", requestId: 1 } },
    });
    const bad = await s.perform(call(2, { arguments: {} }), f.tool());
    expect(bad).toMatchObject({ effect: "DENY", reasons: ["invalid request: params.name: is required"] });
    expect(f.calls).toHaveLength(1);
    expect(f.receipts().map((r) => r.action.operation)).toEqual(["tools/call", "tools/call", undefined]);
  });

  it("a ToolOutput: the host gets the output, the receipt hashes both, and provenance indexes the text seen beside it", async () => {
    const f = await enforcementFixture();
    const s = await f.enforcer.openSession({ assertions: [await f.assertion(alice)] });
    const seen = "rows exported to https://exfil.example/drop";
    const o = await s.perform({ tool: "database.query", args: { sql: "SELECT 1", limit: 5 } }, () => {
      return new ToolOutput([{ n: 1 }], seen);
    });
    expect(o).toMatchObject({ effect: "ALLOW", ran: true, output: [{ n: 1 }] });
    expect(f.receipts()[1]!.outcome).toEqual({ resultHash: hashJson([{ n: 1 }]), seenHash: hashJson(seen) });
    expect([...s.session.state.provenance("https://exfil.example/drop")]).toEqual(["tool:database.query"]);
    expect((await f.verify()).valid).toBe(true);
  });

  it("a tool that throws: the outcome receipt records the error; the session records it as the result", async () => {
    const f = await enforcementFixture();
    const s = await f.enforcer.openSession({ assertions: [await f.assertion(alice)] });
    const o = await s.perform(
      { tool: "database.query", args: { sql: "SELECT 1", limit: 3 } },
      f.tool(new Error("db down")),
    );
    expect(o).toMatchObject({ effect: "ALLOW", ran: true, error: "db down", stage: "policy" });
    expect(f.receipts()[1]!.outcome).toEqual({ error: "db down" });
  });

  it("the outcome receipt cannot be written: the result is withheld and the outcome says why", async () => {
    const f = await enforcementFixture();
    const s = await f.enforcer.openSession({ assertions: [await f.assertion(alice)] });
    const tool = async () => {
      f.sink.broken = "EIO: i/o error";
      return "secret rows";
    };
    const o = await s.perform({ tool: "database.query", args: { sql: "SELECT 1", limit: 3 } }, tool);
    expect(o).toMatchObject({ effect: "DENY", ran: true, stage: "receipts" });
    expect(o.output).toBeUndefined();
    expect(o.reasons[0]).toMatch(
      /^the tool ran, but its outcome receipt could not be written \(.*EIO: i\/o error\); its result is withheld$/,
    );
  });

  it("the host aborts a held action: DENY; an approval port that answers nonsense: DENY", async () => {
    const nonsense = { request: () => Promise.resolve({ approved: true } as never) };
    const f = await enforcementFixture({ services: () => ({ approvals: nonsense }) });
    const s = await f.enforcer.openSession({
      assertions: [await f.assertion(alice)],
      request: "delete my test data",
    });
    const del = { tool: "database.delete", args: { table: "test_rows", where: "1=1" } };
    const o = await s.perform(del, f.tool());
    expect(o).toMatchObject({ effect: "DENY", reasons: ["the approval service gave no valid answer"] });
    const silent = await enforcementFixture({
      services: () => ({ approvals: { request: () => new Promise(() => undefined) } }),
    });
    const s2 = await silent.enforcer.openSession({
      assertions: [await silent.assertion(alice)],
      request: "delete my test data",
    });
    const controller = new AbortController();
    const p = s2.perform(del, silent.tool(), { signal: controller.signal });
    await until(() => silent.receipts().length === 1);
    controller.abort();
    expect(await p).toMatchObject({ effect: "DENY", reasons: ["the host stopped waiting for approval"] });
    expect([f.calls.length, silent.calls.length]).toEqual([0, 0]);
  });

  it("at most maxHeld actions of a session are held; more are DENIED", async () => {
    const f = await enforcementFixture({
      defaults: { maxHeld: 1 },
      services: () => ({ deferrals: { defer: () => new Promise(() => undefined) } }),
    });
    const s = await f.enforcer.openSession({ assertions: [await f.assertion(alice)] });
    void s.perform({ tool: "credentials.rotate", args: { target: "a" } }, f.tool());
    await until(() => s.held === 1);
    const second = await s.perform({ tool: "credentials.rotate", args: { target: "b" } }, f.tool());
    expect(second).toMatchObject({
      effect: "DENY",
      stage: "deferral",
      reasons: ["cascade limit: 1 actions of this session are already held"],
    });
  });

  it("a dependent whose DEFER receipt cannot be written is DENIED and no longer counts as held", async () => {
    const f = await enforcementFixture({
      services: () => ({ deferrals: { defer: () => new Promise(() => undefined) } }),
    });
    const s = await f.enforcer.openSession({ assertions: [await f.assertion(alice)] });
    void s.perform({ id: "root", tool: "credentials.rotate", args: { target: "a" } }, f.tool());
    await until(() => s.held === 1);
    f.sink.broken = "ENOSPC";
    const o = await s.perform({ tool: "database.query", args: { sql: "SELECT 1", limit: 1 } }, f.tool(), {
      dependsOn: ["root"],
    });
    expect(o).toMatchObject({ effect: "DENY", stage: "receipts" });
    expect(s.held).toBe(1);
  });

  it("rejects invalid options precisely", () => {
    expect(() => new Enforcer({} as never)).toThrow(
      "an Enforcer needs a policy, a receipt writer (receipts) and an identity verifier (identity)",
    );
  });
});
