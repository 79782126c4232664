/**
 * The runtime API (api.ts) end to end: small policies compiled from source, loaded with the interpreter and with
 * the generated evaluator, and driven through openSession / decide / record / setContext.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { compileSource } from "../compiler/compile.js";
import { memoryHost } from "../compiler/host.js";
import { makeSource } from "../language/index.js";
import { loadPolicy, type Policy, PolicyLoadError, type Session } from "./api.js";
import { verifyLog } from "./session/log.js";
import { evaluatorFromSource } from "./testing.js";

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
    { name: "http.post", inputSchema: obj({ url: { type: "string" } }, ["url"]) },
    { name: "files.read", inputSchema: obj({ path: { type: "string" } }, ["path"]) },
    { name: "credentials.rotate", inputSchema: obj({ service: { type: "string" } }, ["service"]) },
  ],
});

const POLICY = `policy "api-test" version "1.0.0"
default deny
tools from "tools.json"
levels PUBLIC < INTERNAL < CONFIDENTIAL < RESTRICTED
labels PII
context maintenance_window: bool
on result db.query when args.table == "customers" { label PII, CONFIDENTIAL }
on result db.query when args.table == "stats" { label PUBLIC }
@id("no-pii-mail") deny email.send when session.labels has PII because "PII was read in this session"
@id("restricted") deny http.post when session.level >= RESTRICTED because "unclassified data was read"
@id("rate") deny email.send when count(email.send within 1h) >= 2 because "at most two emails an hour"
@id("exfil") deny http.post when sequence(db.query, files.read within 10m) because "a query then a file read"
@id("window") deny credentials.rotate when not context.maintenance_window because "outside the maintenance window"
allow db.query, email.send, http.post, credentials.rotate, files.read
`;

function compile(text: string) {
  const r = compileSource(makeSource("/p/policy.aarm", text), memoryHost({ "/p/tools.json": TOOLS }));
  if (!r.ir || !r.evaluatorSource) throw new Error(r.diagnostics.map((d) => d.message).join("\n"));
  return { ir: r.ir, evaluatorSource: r.evaluatorSource };
}

const compiled = compile(POLICY);
const MIN = 60_000;

describe("loadPolicy and openSession", () => {
  it("rejects invalid IR and invalid load options with a PolicyLoadError", () => {
    expect(() => loadPolicy({ irVersion: 1 })).toThrow(PolicyLoadError);
    expect(() => loadPolicy(compiled.ir, { mediation: { maxWrapperDepth: -1 } })).toThrow(
      /invalid load options: mediation\.maxWrapperDepth: /,
    );
  });

  it.each([
    [{}, /^invalid session options: identity: /],
    [{ identity: { human: "" } }, /^invalid session options: identity\.human: /],
    [{ identity: { scopes: "admin" } }, /^invalid session options: identity\.scopes: /],
    [{ identity: { human: "a", nickname: "x" } }, /^invalid session options: identity: .*nickname/],
    [{ identity: {}, context: [] }, /^invalid session options: context: /],
    [{ identity: {}, request: 42 }, /^invalid session options: request: /],
    [
      { identity: {}, context: { n: Number.NaN } },
      /^invalid session options: context\.n: must be a finite number/,
    ],
  ])("openSession(%j) throws a precise error", (options, message) => {
    const policy = loadPolicy(compiled.ir);
    expect(() => policy.openSession(options as never)).toThrow(PolicyLoadError);
    expect(() => policy.openSession(options as never)).toThrow(message);
  });

  it("openSession with a BigInt in the context throws a precise error", () => {
    expect(() => loadPolicy(compiled.ir).openSession({ identity: {}, context: { n: 1n } })).toThrow(
      /^invalid session options: context\.n: must be a JSON value, not a bigint/,
    );
  });

  it("a tag rule that crashes classifies the result at the highest level instead of throwing", () => {
    const base = loadPolicy(compiled.ir);
    const crashing = {
      ...base.evaluator,
      rule: base.evaluator.rule,
      constraint: base.evaluator.constraint,
      mod: base.evaluator.mod,
      kind: base.evaluator.kind,
      tag: () => {
        throw new Error("boom");
      },
    };
    const s = loadPolicy(compiled.ir, { evaluator: crashing }).openSession({ identity: {} });
    const q = s.decide({ tool: "db.query", args: { table: "customers" } });
    expect(q.effect).toBe("ALLOW");
    expect(s.record(q.action.id, { output: [{ name: "Bob" }] })).toEqual({ labels: [], level: 3 });
  });

  it("takes the session id from the options, then the identity", () => {
    const policy = loadPolicy(compiled.ir);
    expect(policy.openSession({ id: "s-9", identity: { session: "x" } }).id).toBe("s-9");
    expect(policy.openSession({ identity: { session: "x" } }).id).toBe("x");
  });
});

describe.each(["interpreter", "compiled"] as const)("sessions (%s evaluator)", (kind) => {
  let now = 0;
  let policy: Policy;
  let session: Session;
  beforeAll(async () => {
    const evaluator = kind === "compiled" ? await evaluatorFromSource(compiled.evaluatorSource) : undefined;
    policy = loadPolicy(compiled.ir, { clock: () => now, ...(evaluator ? { evaluator } : {}) });
  });
  const open = () => {
    now = 1_000_000;
    session = policy.openSession({ identity: { human: "alice" }, request: "summarise the stats" });
    return session;
  };

  it.each([
    [{ tool: "db.query" }, /^invalid action: args: /],
    [{ args: {} }, /^invalid action: tool: /],
    [{ tool: "db.query", args: [] }, /^invalid action: args: /],
    [{ tool: "db.query", args: {}, time: Number.NaN }, /^invalid action: time: /],
    [{ tool: "db.query", args: {}, extra: 1 }, /^invalid action: .*extra/],
    [null, /^invalid action: /],
    ["db.query", /^invalid action: /],
  ])("decide(%j) is a DENY naming the field, not a throw", (input, reason) => {
    const d = open().decide(input as never);
    expect(d.effect).toBe("DENY");
    expect(d.decidedBy).toBe("validation");
    expect(d.reasons[0]).toMatch(reason);
  });

  it("denies arguments that fail the tool's schema, naming the path", () => {
    const d = open().decide({ tool: "db.query", args: { table: 1 } });
    expect([d.effect, d.decidedBy]).toEqual(["DENY", "validation"]);
    expect(d.reasons[0]).toMatch(/args\.table/);
    expect(open().decide({ tool: "nope", args: {} }).decidedBy).toBe("unknown_tool");
  });

  it("record: only an executed action, once", () => {
    const s = open();
    expect(() => s.record("act_nope", { output: 1 })).toThrow(/no executed action with id 'act_nope'/);
    const denied = s.decide({ tool: "nope", args: {} });
    expect(() => s.record(denied.action.id, { output: 1 })).toThrow(PolicyLoadError);
    const ok = s.decide({ tool: "db.query", args: { table: "stats" } });
    expect(s.record(ok.action.id, { output: [] })).toEqual({ labels: [], level: 0 });
    expect(() => s.record(ok.action.id, { output: [] })).toThrow(/no executed action/);
  });

  it("setContext resolves a DEFER on unknown context when the action is decided again", () => {
    const s = open();
    const first = s.decide({ tool: "credentials.rotate", args: { service: "db" } });
    expect(first.effect).toBe("DEFER");
    expect(first.defer).toEqual({
      trigger: "unknown_context",
      waitingFor: ["context.maintenance_window"],
      timeoutMs: null,
    });
    s.setContext("maintenance_window", true);
    expect(s.decide({ tool: "credentials.rotate", args: { service: "db" } }).effect).toBe("ALLOW");
    s.setContext("maintenance_window", false);
    const denied = s.decide({ tool: "credentials.rotate", args: { service: "db" } });
    expect([denied.effect, denied.ruleIds, denied.reasons]).toEqual([
      "DENY",
      ["window"],
      ["outside the maintenance window"],
    ]);
  });

  it("setContext refuses a value that is not JSON, precisely, and changes nothing", () => {
    const s = open();
    expect(() => s.setContext("maintenance_window", Number.NaN)).toThrow(
      /^setContext: context\.maintenance_window: must be a finite number$/,
    );
    expect(() => s.setContext("maintenance_window", { at: 1n })).toThrow(PolicyLoadError);
    expect(() => s.setContext("", true)).toThrow(/non-empty/);
    expect(s.decide({ tool: "credentials.rotate", args: { service: "db" } }).effect).toBe("DEFER");
  });

  it("labels results with tag rules, and later decisions see them", () => {
    const s = open();
    expect(s.decide({ tool: "email.send", args: { to: "x@y.z" } }).effect).toBe("ALLOW");
    const q = s.decide({ tool: "db.query", args: { table: "customers" } });
    expect(s.record(q.action.id, { output: [{ name: "Bob" }] })).toEqual({ labels: ["PII"], level: 2 });
    expect([...s.state.labels]).toEqual(["PII"]);
    const d = s.decide({ tool: "email.send", args: { to: "x@y.z" } });
    expect([d.effect, d.ruleIds]).toEqual(["DENY", ["no-pii-mail"]]);
  });

  it("classifies a result no tag rule matches (and an error) at the highest level", () => {
    const s = open();
    expect(s.decide({ tool: "http.post", args: { url: "https://x" } }).effect).toBe("ALLOW");
    const f = s.decide({ tool: "files.read", args: { path: "/tmp/a" } });
    expect(s.record(f.action.id, { output: "text" })).toEqual({ labels: [], level: 3 });
    expect(s.state.level).toBe(3);
    const d = s.decide({ tool: "http.post", args: { url: "https://x" } });
    expect([d.effect, d.ruleIds]).toEqual(["DENY", ["restricted"]]);
    const q = open().decide({ tool: "db.query", args: { table: "other" } });
    expect(session.record(q.action.id, { error: "timeout" }).level).toBe(3);
  });

  it("counts only executed actions, inside the window", () => {
    const s = open();
    expect(s.decide({ tool: "email.send", args: { to: "a" } }).effect).toBe("ALLOW");
    expect(s.decide({ tool: "email.send", args: { to: 1 } }).effect).toBe("DENY"); // invalid: not history
    now += 10 * MIN;
    expect(s.decide({ tool: "email.send", args: { to: "b" } }).effect).toBe("ALLOW");
    const third = s.decide({ tool: "email.send", args: { to: "c" } });
    expect([third.effect, third.ruleIds]).toEqual(["DENY", ["rate"]]);
    now += 55 * MIN; // the first one has left the hour
    expect(s.decide({ tool: "email.send", args: { to: "d" } }).effect).toBe("ALLOW");
  });

  it("matches sequences across decides, in order and within the window", () => {
    const s = open();
    s.decide({ tool: "files.read", args: { path: "/a" } });
    s.decide({ tool: "db.query", args: { table: "stats" } });
    expect(s.decide({ tool: "http.post", args: { url: "u" } }).effect).toBe("ALLOW"); // wrong order
    now += 11 * MIN;
    s.decide({ tool: "files.read", args: { path: "/b" } }); // the query is now 11 minutes old
    expect(s.decide({ tool: "http.post", args: { url: "u" } }).effect).toBe("ALLOW");
    s.decide({ tool: "db.query", args: { table: "stats" } });
    now += MIN;
    s.decide({ tool: "files.read", args: { path: "/c" } });
    const d = s.decide({ tool: "http.post", args: { url: "u" } });
    expect([d.effect, d.ruleIds]).toEqual(["DENY", ["exfil"]]);
  });

  it("logs every decision in the session's hash-chained log", () => {
    const s = open();
    s.decide({ tool: "db.query", args: { table: "stats" } });
    s.decide(null as never);
    const kinds = s.state.log.entries.map((e) => e.kind);
    expect(kinds).toEqual(["open", "action", "action"]);
  });

  it("logs its own copy of a decision: changing the returned record does not change the log", () => {
    const s = open();
    const d = s.decide({ id: "a1", tool: "db.query", args: { table: "stats" } });
    const data = s.state.log.entries[1]!.data as { rules: string[] };
    expect(data).toEqual({ id: "a1", tool: "db.query", decision: d.effect, rules: d.ruleIds });
    expect(data.rules).not.toBe(d.ruleIds);
    expect(verifyLog(s.state.log.entries).ok).toBe(true);
  });

  it("returns the decision's members, then the action and the policy, in that order", () => {
    const s = open();
    const d = s.decide({ id: "a2", tool: "db.query", args: { table: "stats" } });
    const keys = Object.keys(d);
    expect(keys.slice(-2)).toEqual(["action", "policy"]);
    expect(keys.slice(0, 4)).toEqual(
      ["effect", "ruleIds", "reasons", "decidedBy"].filter((k) => keys.includes(k)).slice(0, 4),
    );
    expect(d.policy).toBe(s.policy.ref);
  });
});
