import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "../session/canonical-json.js";
import { sha256Hex } from "../session/hash.js";
import type { ActionRequest, NormalizeResult } from "./action.js";
import { fromFunctionCall } from "./function-call.js";
import { fromMcp } from "./mcp.js";
import { normalizeAction, parseInput, parseInputBySchema, wrapperArgs } from "./normalize.js";

const ctx = { session: "s1", time: 1_700_000_000_000, identity: { human: "alice", agent: "bot" } };

function action(r: NormalizeResult) {
  if (!r.ok) throw new Error(`expected an action, got ${r.error.message}`);
  return r.action;
}
function error(r: NormalizeResult) {
  if (r.ok) throw new Error(`expected an error, got ${JSON.stringify(r.action)}`);
  return r.error;
}

describe("normalizeAction", () => {
  it("gives the canonical action with a deterministic id", () => {
    const a = action(normalizeAction(fromFunctionCall("db.query", { sql: "select 1" }), ctx));
    const expectedId = `act_${sha256Hex(canonicalJson({ session: "s1", tool: "db.query", args: { sql: "select 1" }, time: ctx.time })).slice(0, 16)}`;
    expect(a).toEqual({
      id: expectedId,
      time: ctx.time,
      tool: "db.query",
      operation: "call",
      args: { sql: "select 1" },
      session: "s1",
      identity: { human: "alice", agent: "bot" },
      source: { kind: "function" },
    });
    expect(a.id).toMatch(/^act_[0-9a-f]{16}$/);
  });

  it("includes the nonce (the MCP request id) in the id, and uses a caller's id as given", () => {
    const mk = (id: number) =>
      action(
        normalizeAction(fromMcp({ jsonrpc: "2.0", id, method: "tools/call", params: { name: "x" } }), ctx),
      ).id;
    expect(mk(1)).not.toBe(mk(2));
    expect(action(normalizeAction(fromFunctionCall("x"), { ...ctx, id: "mine" })).id).toBe("mine");
  });

  it("R1 [C42] is idempotent: the same input twice gives deep-equal actions, whatever the key order", () => {
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: "small" },
        fc.string(),
        fc.integer(),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie("value"), { maxLength: 3 }),
        fc.dictionary(fc.string(), tie("value"), { maxKeys: 3 }),
      ),
    })).value;
    const reversed = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(reversed)
        : v !== null && typeof v === "object"
          ? Object.fromEntries(
              Object.entries(v)
                .reverse()
                .map(([k, x]) => [k, reversed(x)]),
            )
          : v;
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), json, { maxKeys: 5 }),
        fc.string({ minLength: 1 }),
        (args, session) => {
          const c = { ...ctx, session };
          const first = action(normalizeAction(fromFunctionCall("t.x", args), c));
          const again = action(normalizeAction(fromFunctionCall("t.x", args), c));
          const shuffled = action(normalizeAction(fromFunctionCall("t.x", reversed(args)), c));
          expect(again).toEqual(first);
          expect(shuffled).toEqual(first);
          expect(shuffled.id).toBe(first.id);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("passes an adapter's failure through and validates hand-made requests and the context", () => {
    expect(error(normalizeAction(fromMcp({}), ctx)).field).toBe("jsonrpc");
    const bad = {
      tool: "x",
      operation: "call",
      args: { n: NaN },
      source: { kind: "function" },
    } as ActionRequest;
    expect(error(normalizeAction(bad, ctx)).message).toMatch(/^request\.args\.n: must be a finite number/);
    expect(error(normalizeAction(fromFunctionCall("x"), { ...ctx, session: "" })).message).toMatch(
      /^context\.session: /,
    );
    expect(error(normalizeAction(fromFunctionCall("x"), { ...ctx, time: NaN })).field).toBe("context.time");
  });

  it("checks identity claims against the session's identity", () => {
    const req = (claims: Record<string, string>): ActionRequest => ({
      tool: "x",
      operation: "get",
      args: {},
      source: { kind: "function" },
      claims,
    });
    expect(normalizeAction(req({ human: "alice" }), ctx).ok).toBe(true);
    expect(normalizeAction(req({ session: "s1" }), ctx).ok).toBe(true);
    const e = error(normalizeAction(req({ human: "bob" }), ctx));
    expect(e.code).toBe("identity_mismatch");
    expect(e.message).toBe('identity.human: the request asserts "bob", but the session is bound to "alice"');
    expect(error(normalizeAction(req({ role: "admin" }), ctx)).message).toMatch(
      /^identity\.role: .*session has no role identity/,
    );
  });
});

describe("wrapper resolution", () => {
  const norm = (
    tool: string,
    args: Record<string, unknown>,
    options?: Parameters<typeof normalizeAction>[2],
  ) => normalizeAction(fromFunctionCall(tool, args), ctx, options);

  it("R1 [C41] resolves mcp_tool and keeps the original call for audit", () => {
    const args = {
      mcp_server_name: "linear-server",
      mcp_tool_name: "list_issues",
      arguments: { team: "core" },
    };
    const a = action(norm("mcp_tool", args));
    expect(a.tool).toBe("linear-server.list_issues");
    expect(a.args).toEqual({ team: "core" });
    expect(a.wrapper).toEqual({ tool: "mcp_tool", args, chain: ["mcp_tool"] });
    expect(
      action(norm("mcp_tool", { mcp_server_name: "s", mcp_tool_name: "t", tool_input: { a: 1 } })).args,
    ).toEqual({ a: 1 });
    expect(action(norm("mcp_tool", { mcp_server_name: "s", mcp_tool_name: "t" })).args).toEqual({});
  });

  it("resolves Claude Code's Skill and Cline's use_mcp_tool (arguments as a JSON string)", () => {
    const skill = action(norm("Skill", { skill: "superpowers:brainstorming", args: "topic" }));
    expect(skill.tool).toBe("skill.superpowers.brainstorming");
    expect(skill.args).toEqual({ args: "topic" });
    const cline = action(
      norm("use_mcp_tool", { server_name: "github", tool_name: "create_issue", arguments: '{"title":"t"}' }),
    );
    expect([cline.tool, cline.args]).toEqual(["github.create_issue", { title: "t" }]);
  });

  it("names the field at fault in a malformed wrapper call", () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ mcp_tool_name: "t" }, /^args\.mcp_server_name: must be a non-empty string naming the wrapped tool/],
      [{ mcp_server_name: "s", mcp_tool_name: "t", arguments: [1] }, /^args\.arguments: must be an object/],
      [
        { mcp_server_name: "s", mcp_tool_name: "t", arguments: {}, tool_input: {} },
        /^args\.tool_input: conflicts with args\.arguments/,
      ],
      [
        { mcp_server_name: "s", mcp_tool_name: "t", extra: 1 },
        /^args\.extra: is not an argument of wrapper 'mcp_tool'/,
      ],
      [{ mcp_server_name: "s", mcp_tool_name: "a b" }, /^args\.mcp_server_name: names "s\.a b"/],
    ];
    for (const [args, message] of cases) {
      const e = error(norm("mcp_tool", args));
      expect(e.code).toBe("wrapper");
      expect(e.message).toMatch(message);
    }
    expect(error(norm("Skill", { skill: "ns:" })).message).toMatch(/^args\.skill: has an empty name part/);
  });

  it("resolves nested wrappers up to the bound, and refuses deeper nesting", () => {
    const wrap = (inner: { tool: string; args: Record<string, unknown> }) => ({
      tool: "mcp_tool",
      args: {
        mcp_server_name: inner.tool.split(".")[0]!,
        mcp_tool_name: inner.tool.split(".")[1]!,
        arguments: inner.args,
      },
    });
    const options = { wrappers: [{ wrapper: "hub.*", name: ["target"], args: ["input"] }] };
    const level1 = { tool: "hub.run", args: { target: "db.query", input: { sql: "select 1" } } };
    const level2 = wrap(level1);
    const a = action(norm(level2.tool, level2.args, options));
    expect([a.tool, a.args, a.wrapper?.chain]).toEqual([
      "db.query",
      { sql: "select 1" },
      ["mcp_tool", "hub.run"],
    ]);
    expect(action(norm(level2.tool, level2.args, { ...options, maxWrapperDepth: 2 })).tool).toBe("db.query");
    const e = error(norm(level2.tool, level2.args, { ...options, maxWrapperDepth: 1 }));
    expect(e.code).toBe("wrapper_depth");
    expect(e.message).toMatch(/nest deeper than 1 levels \(mcp_tool → hub\.run\)/);
    // A wrapper that wraps itself is resolved up to the default bound (4), then refused.
    const loop = { wrapper: "loop", name: ["t"], args: ["a"] };
    let deep: Record<string, unknown> = { t: "db.query", a: {} };
    for (let i = 0; i < 3; i++) deep = { t: "loop", a: deep };
    const resolved = action(norm("loop", deep, { wrappers: [loop] }));
    expect([resolved.tool, resolved.wrapper?.chain]).toEqual(["db.query", ["loop", "loop", "loop", "loop"]]);
    expect(error(norm("loop", { t: "loop", a: deep }, { wrappers: [loop] })).code).toBe("wrapper_depth");
  });

  it("can turn the built-ins off, and rejects bad patterns naming the field", () => {
    expect(action(norm("Skill", { skill: "a:b" }, { builtinWrappers: false })).tool).toBe("Skill");
    expect(error(norm("x", {}, { wrappers: [{ wrapper: "x", name: [] }] })).message).toMatch(
      /^mediation\.wrappers\[0\]\.name: must list/,
    );
  });

  it("puts modified arguments back into the wrappers", () => {
    const args = { mcp_server_name: "db", mcp_tool_name: "query", arguments: { sql: "x", limit: 1000 } };
    const a = action(norm("mcp_tool", args));
    expect(wrapperArgs(a, { sql: "x", limit: 100 })).toEqual({
      ok: true,
      args: { ...args, arguments: { sql: "x", limit: 100 } },
    });
    const cline = action(norm("use_mcp_tool", { server_name: "s", tool_name: "t", arguments: '{"a":1}' }));
    expect(wrapperArgs(cline, { a: 2 })).toEqual({
      ok: true,
      args: { server_name: "s", tool_name: "t", arguments: '{"a":2}' },
    });
    const skill = action(norm("Skill", { skill: "a:b", args: "x" }));
    expect(wrapperArgs(skill, { args: "y", skill: "evil:tool" })).toEqual({
      ok: true,
      args: { skill: "a:b", args: "y" },
    });
    expect(wrapperArgs({}, { a: 1 })).toEqual({ ok: true, args: { a: 1 } });
  });

  it("reads a plainly valid request and context by hand exactly as the schemas read them", () => {
    // The outcome without its error instance (its message and field say everything).
    const seen = (r: ReturnType<typeof parseInput>) =>
      r.ok ? r : { ok: false, code: r.error.code, field: r.error.field, message: r.error.message };
    // Mostly valid members, so that the hand check's every branch meets inputs that pass all the others.
    const often = <T, U>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<U>) =>
      fc.oneof({ arbitrary: good, weight: 15 }, { arbitrary: bad, weight: 1 });
    const json = fc.jsonValue({ maxDepth: 2 });
    /** Now and then a member no schema knows. */
    const sometimesExtra = <T extends object>(a: fc.Arbitrary<T>) =>
      fc
        .tuple(a, fc.nat(9), json)
        .map(([o, n, x]): object => (n === 0 ? { ...o, [n % 2 ? "extra" : "other"]: x } : o));
    const maybe = <T>(a: fc.Arbitrary<T>) =>
      fc.oneof({ arbitrary: a, weight: 8 }, { arbitrary: fc.constant(undefined), weight: 4 }, fc.anything());
    const nonce = often(fc.oneof(fc.string(), fc.integer()), fc.oneof(fc.double(), fc.anything()));
    const ident = sometimesExtra(
      fc.record(
        {
          human: often(fc.string(), fc.anything()),
          agent: often(fc.string(), fc.anything()),
          session: fc.string(),
        },
        { requiredKeys: [] },
      ),
    );
    const source = often(
      fc.oneof(
        fc.record({ kind: fc.constant("mcp"), requestId: nonce }),
        fc.record({ kind: fc.constant("http"), method: fc.string(), url: fc.string(), route: fc.string() }),
        fc.record({ kind: fc.constant("shell"), line: often(fc.string(), fc.anything()) }),
        fc.record({ kind: fc.constant("function") }),
      ),
      fc.oneof(
        fc.record({ kind: fc.constantFrom("mcp", "http", "shell", "function", "other"), extra: json }),
        fc.record({ kind: fc.constant("http"), method: fc.string(), url: fc.string() }),
        fc.anything(),
      ),
    );
    const request = often(
      sometimesExtra(
        fc.record(
          {
            tool: often(
              fc.constantFrom("db.query", "echo"),
              fc.oneof(fc.constantFrom("", "a b", "x*"), fc.anything()),
            ),
            operation: often(fc.constant("tools/call"), fc.oneof(fc.constant(""), fc.anything())),
            args: often(fc.dictionary(fc.string(), json), fc.anything()),
            source,
            claims: maybe(ident),
            nonce: maybe(nonce),
          },
          { requiredKeys: ["tool", "operation", "args", "source"] },
        ),
      ),
      fc.anything(),
    );
    const context = often(
      sometimesExtra(
        fc.record(
          {
            session: often(fc.constant("s1"), fc.oneof(fc.constant(""), fc.anything())),
            time: often(
              fc.oneof(fc.nat(), fc.constant(8.64e15)),
              fc.oneof(fc.constantFrom(-1, -0.5, 8.64e15 + 2, Infinity, NaN), fc.double(), fc.anything()),
            ),
            identity: maybe(ident),
            id: maybe(often(fc.constant("act_1"), fc.constant(""))),
            nonce: maybe(nonce),
          },
          { requiredKeys: ["session", "time"] },
        ),
      ),
      fc.anything(),
    );
    fc.assert(
      fc.property(request, context, (r, c) => {
        expect(seen(parseInput(r, c))).toEqual(seen(parseInputBySchema(r, c)));
      }),
      { numRuns: 5000 },
    );
    // Each member of a valid request and context changed alone: the hand check must leave each to the schemas.
    const req = { tool: "db.query", operation: "tools/call", args: { a: 1 }, source: { kind: "function" } };
    const con = { session: "s1", time: 5, identity: { human: "alice" }, id: "act_1", nonce: 3 };
    const variants: [Record<string, unknown>, Record<string, unknown>][] = [
      [req, con],
      [{ ...req, source: { kind: "function", extra: 1 } }, con],
      [{ ...req, source: { kind: "mcp", requestId: 1, extra: 1 } }, con],
      [{ ...req, source: { kind: "mcp", requestId: Infinity } }, con],
      [{ ...req, source: { kind: "http", method: "GET", url: "u" } }, con],
      [{ ...req, source: { kind: "http", method: "GET", url: "u", route: "r", extra: 1 } }, con],
      [{ ...req, source: { kind: "http", method: "GET", url: "u", route: "r" } }, con],
      [{ ...req, source: { kind: "shell", line: 1 } }, con],
      [{ ...req, source: { kind: "shell", line: "ls", extra: 1 } }, con],
      [{ ...req, source: { kind: "other" } }, con],
      [{ ...req, tool: "" }, con],
      [{ ...req, tool: "a b" }, con],
      [{ ...req, operation: "" }, con],
      [{ ...req, args: [] }, con],
      [{ ...req, args: { x: NaN } }, con],
      [{ ...req, claims: { human: "alice", other: "x" } }, con],
      [{ ...req, claims: { human: 1 } }, con],
      [{ ...req, claims: undefined }, con],
      [{ ...req, nonce: NaN }, con],
      [{ ...req, extra: 1 }, con],
      [req, { ...con, time: -1 }],
      [req, { ...con, time: 8.64e15 }],
      [req, { ...con, time: 8.64e15 + 2 }],
      [req, { ...con, session: "" }],
      [req, { ...con, id: "" }],
      [req, { ...con, id: undefined }],
      [req, { ...con, identity: { human: "alice", other: "x" } }],
      [req, { ...con, nonce: Infinity }],
      [req, { ...con, extra: 1 }],
    ];
    for (const [r, c] of variants) expect(seen(parseInput(r, c))).toEqual(seen(parseInputBySchema(r, c)));
    const mcp = fromMcp({
      jsonrpc: "2.0",
      id: 1,
      method: "tools/call",
      params: { name: "q", arguments: { a: [1] } },
    });
    if (!mcp.ok) throw new Error(mcp.error.message);
    expect(parseInput(mcp.request, ctx)).toEqual(parseInputBySchema(mcp.request, ctx));
    expect(parseInput(mcp.request, ctx)).toMatchObject({ ok: true, req: { args: { a: [1] } } });
  });
});
