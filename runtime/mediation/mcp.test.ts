import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { AdapterResult } from "./action.js";
import { fromMcp, fromMcpBySchema } from "./mcp.js";

function request(r: AdapterResult) {
  if (!r.ok) throw new Error(`expected a request, got ${r.error.message}`);
  return r.request;
}
function error(r: AdapterResult) {
  if (r.ok) throw new Error(`expected an error, got ${JSON.stringify(r.request)}`);
  return r.error;
}

const call = (params: unknown, extra: Record<string, unknown> = {}) => ({
  jsonrpc: "2.0",
  id: 7,
  method: "tools/call",
  params,
  ...extra,
});

describe("fromMcp", () => {
  it("takes the tool from params.name, the arguments from params.arguments and the JSON-RPC id as nonce", () => {
    const r = request(
      fromMcp(call({ name: "email.send", arguments: { to: "a@b.c" }, _meta: { progressToken: 1 } })),
    );
    expect(r).toEqual({
      tool: "email.send",
      operation: "tools/call",
      args: { to: "a@b.c" },
      source: { kind: "mcp", requestId: 7 },
      nonce: 7,
    });
  });

  it("treats absent arguments as {} and prefixes names like `tools from ... as`", () => {
    expect(request(fromMcp(call({ name: "query" }), { prefix: "db" })).tool).toBe("db.query");
    expect(request(fromMcp(call({ name: "query" }))).args).toEqual({});
  });

  it.each([
    [
      { jsonrpc: "2.0", id: 1, method: "tools/list" },
      "unsupported_method",
      /^method: expected "tools\/call", got "tools\/list"/,
    ],
    [{ jsonrpc: "2.0", method: "tools/call", params: { name: "x" } }, "invalid_request", /^id: /],
    [
      { jsonrpc: "1.0", id: 1, method: "tools/call", params: { name: "x" } },
      "invalid_request",
      /^jsonrpc: must be "2.0"/,
    ],
    [call(undefined), "invalid_request", /^params: is required/],
    [call("x"), "invalid_request", /^params: must be an object/],
    [call({ arguments: {} }), "invalid_request", /^params\.name: is required/],
    [call({ name: "two words" }), "invalid_request", /^params\.name: must be a tool name/],
    [call({ name: "x", arguments: [1] }), "invalid_request", /^params\.arguments: must be a JSON object/],
    [
      call({ name: "x", arguments: { a: { b: [1, Infinity] } } }),
      "invalid_request",
      /^params\.arguments\.a\.b\[1\]: must be a finite number/,
    ],
    [
      call({ name: "x", arguments: { when: new Date(0) } }),
      "invalid_request",
      /^params\.arguments\.when: must be a plain JSON object/,
    ],
    ["tools/call", "invalid_request", /^\(input\): must be a JSON-RPC request object/],
  ])("rejects %j", (msg, code, message) => {
    const e = error(fromMcp(msg));
    expect(e.code).toBe(code);
    expect(e.message).toMatch(message);
  });

  it("copies the arguments: later changes by the caller do not reach the action", () => {
    const args = { to: ["a@b.c"] };
    const r = request(fromMcp(call({ name: "x", arguments: args })));
    args.to.push("evil@x.y");
    expect(r.args).toEqual({ to: ["a@b.c"] });
  });

  it("keeps a __proto__ argument as an ordinary argument", () => {
    const r = request(fromMcp(call({ name: "x", arguments: JSON.parse('{"__proto__": {"admin": true}}') })));
    expect(Object.keys(r.args)).toEqual(["__proto__"]);
    expect(Object.getPrototypeOf(r.args)).toBe(Object.prototype);
  });

  it("converts the plain request by hand exactly as the schemas convert it, and leaves the rest to them", () => {
    // The outcome without its error instance (its message and field say everything).
    const seen = (r: AdapterResult) =>
      r.ok ? r : { ok: false, code: r.error.code, field: r.error.field, message: r.error.message };
    const name = fc.oneof(
      fc.constantFrom("echo", "a.b", "", "has space", "st*r", "tab\t", "ok-1"),
      fc.string(),
    );
    const json = fc.jsonValue({ maxDepth: 3 });
    const args = fc.oneof(fc.dictionary(fc.string(), json), json, fc.anything(), fc.constant(undefined));
    const params = fc.oneof(
      fc.record(
        {
          name,
          arguments: args,
          _meta: fc.oneof(fc.dictionary(fc.string(), json), fc.anything()),
          more: json,
        },
        { requiredKeys: [] },
      ),
      fc.anything(),
    );
    const message = fc.oneof(
      fc.record(
        {
          jsonrpc: fc.oneof(fc.constant("2.0"), fc.anything()),
          id: fc.oneof(fc.integer(), fc.string(), fc.double(), fc.anything()),
          method: fc.oneof(fc.constant("tools/call"), fc.string()),
          params,
          more: json,
        },
        { requiredKeys: [] },
      ),
      fc.anything(),
    );
    const options = fc.oneof(
      fc.constant({}),
      fc.record({ prefix: fc.oneof(fc.constantFrom("db", "a.b", "x y", "*", ""), fc.anything()) }),
      fc.record({ prefix: fc.constant("db"), other: fc.anything() }),
      fc.anything(),
    );
    fc.assert(
      fc.property(message, options, (m, o) => {
        expect(seen(fromMcp(m, o as never))).toEqual(seen(fromMcpBySchema(m, o as never)));
      }),
      { numRuns: 3000 },
    );
    const plain = call({ name: "echo", arguments: { text: "hi", n: [1, { b: null }] } });
    expect(fromMcp(plain, { prefix: "db" })).toEqual(fromMcpBySchema(plain, { prefix: "db" }));
    expect(request(fromMcp(plain, { prefix: "db" })).tool).toBe("db.echo");
  });
});
