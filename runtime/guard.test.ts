/**
 * guard(): the wrapped tool runs only on ALLOW (with the caller's arguments) or MODIFY (with exactly the modified
 * arguments); on DENY, DEFER and STEP_UP it never runs. What it returns (or throws) is recorded in the session.
 */
import { describe, expect, it } from "vitest";
import { compileSource } from "../compiler/compile.js";
import { memoryHost } from "../compiler/host.js";
import { makeSource } from "../language/index.js";
import { loadPolicy } from "./api.js";
import { ActionBlocked, guard } from "./guard.js";

const obj = (properties: Record<string, unknown>, required: string[]) => ({
  type: "object",
  properties,
  required,
  additionalProperties: false,
});
const TOOLS = JSON.stringify({
  tools: [
    {
      name: "db.query",
      inputSchema: obj({ table: { type: "string" }, limit: { type: "integer" } }, ["table"]),
    },
    { name: "email.send", inputSchema: obj({ to: { type: "string" }, body: { type: "string" } }, ["to"]) },
    { name: "files.read", inputSchema: obj({ path: { type: "string" } }, ["path"]) },
    { name: "credentials.rotate", inputSchema: obj({ service: { type: "string" } }, ["service"]) },
  ],
});

const POLICY = `policy "guard-test" version "1.0.0"
default deny
tools from "tools.json"
labels PII
context maintenance_window: bool
on result db.query when args.table == "customers" { label PII }
@id("evil") deny email.send when args.to endsWith "@evil.example" because "known exfiltration domain"
@id("hr") step_up files.read when args.path startsWith "/hr/" approvers any ["hr-leads"] timeout 10m
@id("window") defer credentials.rotate when context.maintenance_window is unknown timeout 5m
@id("cap") modify db.query when args.limit > 100 { set args.limit = 100 }
allow db.query, email.send, files.read, credentials.rotate
`;

const compiled = compileSource(makeSource("/p/policy.aarm", POLICY), memoryHost({ "/p/tools.json": TOOLS }));
if (!compiled.ir) throw new Error(compiled.diagnostics.map((d) => d.message).join("\n"));
const policy = loadPolicy(compiled.ir, { clock: () => 1_000_000 });

/** A tool that records whether, and with what, it ran. */
function mockTool<R>(result: R | (() => R)) {
  const calls: Record<string, unknown>[] = [];
  const fn = async (args: Record<string, unknown>) => {
    calls.push(args);
    return typeof result === "function" ? (result as () => R)() : result;
  };
  return { calls, fn };
}

function setup<R>(tool: string, result: R | (() => R) = "done" as R) {
  const session = policy.openSession({ identity: { human: "alice" } });
  const mock = mockTool(result);
  return { session, mock, run: guard(session, tool, mock.fn) };
}

async function blocked(p: Promise<unknown>): Promise<ActionBlocked> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(ActionBlocked);
  return e as ActionBlocked;
}

describe("guard", () => {
  it("never runs the tool on DENY", async () => {
    const { session, mock, run } = setup("email.send");
    const e = await blocked(run({ to: "x@evil.example" }));
    expect(e.decision.effect).toBe("DENY");
    expect(e.decision.ruleIds).toEqual(["evil"]);
    expect(e.message).toBe("DENY: known exfiltration domain");
    expect(e.name).toBe("ActionBlocked");
    expect(mock.calls).toEqual([]);
    expect(session.state.actions).toBe(0);
  });

  it("never runs the tool when the arguments are invalid (DENY by validation)", async () => {
    const { mock, run } = setup("email.send");
    const e = await blocked(run({ to: 42 }));
    expect([e.decision.effect, e.decision.decidedBy]).toEqual(["DENY", "validation"]);
    expect(mock.calls).toEqual([]);
  });

  it("never runs the tool on DEFER", async () => {
    const { mock, run } = setup("credentials.rotate");
    const e = await blocked(run({ service: "db" }));
    expect(e.decision.effect).toBe("DEFER");
    expect(e.decision.defer?.timeoutMs).toBe(5 * 60_000);
    expect(mock.calls).toEqual([]);
  });

  it("never runs the tool on STEP_UP", async () => {
    const { session, mock, run } = setup("files.read");
    const e = await blocked(run({ path: "/hr/salaries.csv" }));
    expect(e.decision.effect).toBe("STEP_UP");
    expect(e.decision.stepUp?.approvals.map((a) => a.groups)).toEqual([["hr-leads"]]);
    expect(mock.calls).toEqual([]);
    expect(session.state.actions).toBe(0);
  });

  it("runs the tool with exactly the modified arguments on MODIFY, leaving the caller's object alone", async () => {
    const { mock, run } = setup("db.query", []);
    const args = { table: "orders", limit: 5000 };
    await run(args);
    expect(mock.calls).toHaveLength(1);
    expect(mock.calls[0]).toEqual({ table: "orders", limit: 100 });
    expect(Object.keys(mock.calls[0]!).sort()).toEqual(["limit", "table"]);
    expect(args).toEqual({ table: "orders", limit: 5000 });
  });

  it("runs the tool with a copy of the decided arguments on ALLOW and returns its result", async () => {
    const { mock, run } = setup("db.query", [{ id: 1 }]);
    const args = { table: "orders", limit: 10 };
    await expect(run(args)).resolves.toEqual([{ id: 1 }]);
    expect(mock.calls).toEqual([{ table: "orders", limit: 10 }]);
    // Never the caller's object: a change the caller makes after the decision cannot reach the tool.
    expect(mock.calls[0]).not.toBe(args);
  });

  it("records the result: tag rules label the session and the action enters history", async () => {
    const { session, run } = setup("db.query", [{ name: "Bob", email: "bob@corp.example" }]);
    await run({ table: "customers" });
    expect([...session.state.labels]).toEqual(["PII"]);
    expect(session.state.actions).toBe(1);
    const result = session.state.log.entries.find((e) => e.kind === "result");
    expect(result?.data).toMatchObject({ tool: "db.query", labels: ["PII"] });
    expect(session.state.provenance("bob@corp.example").has("tool:db.query")).toBe(true);
  });

  it("records a failure as a result and rethrows the tool's own error", async () => {
    const boom = new Error("connection reset");
    const { session, run } = setup("db.query", () => {
      throw boom;
    });
    await expect(run({ table: "orders" })).rejects.toBe(boom);
    const result = session.state.log.entries.find((e) => e.kind === "result");
    expect(result?.data).toMatchObject({ tool: "db.query", labels: [], level: 3 }); // unclassified: the highest level
  });
});
