import { describe, expect, it } from "vitest";
import { enforcementFixture } from "./test-support/fixture.js";

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
