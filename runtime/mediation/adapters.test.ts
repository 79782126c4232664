import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { AdapterResult } from "./action.js";
import { fromFunctionCall } from "./function-call.js";
import { fromHttp } from "./http.js";
import { fromMcp } from "./mcp.js";
import { fromShell } from "./shell.js";

function request(r: AdapterResult) {
  if (!r.ok) throw new Error(`expected a request, got ${r.error.message}`);
  return r.request;
}
function error(r: AdapterResult) {
  if (r.ok) throw new Error(`expected an error, got ${JSON.stringify(r.request)}`);
  return r.error;
}

describe("fromFunctionCall", () => {
  it("takes the name and a JSON arguments object", () => {
    expect(request(fromFunctionCall("db.query", { sql: "select 1" }))).toEqual({
      tool: "db.query",
      operation: "call",
      args: { sql: "select 1" },
      source: { kind: "function" },
    });
    expect(request(fromFunctionCall("db.query")).args).toEqual({});
    const optional = request(fromFunctionCall("db.query", { sql: "x", limit: undefined })).args;
    expect(Object.keys(optional)).toEqual(["sql"]); // undefined means absent, as in JSON
    expect(error(fromFunctionCall("x", { list: [1, undefined] })).message).toMatch(
      /^args\.list\[1\]: must be a JSON value/,
    );
  });

  it("names the field at fault", () => {
    expect(error(fromFunctionCall("", {})).message).toMatch(/^name: must be a non-empty tool name/);
    expect(error(fromFunctionCall("x", { f: () => 1 })).message).toMatch(
      /^args\.f: must be a JSON value, not a function/,
    );
    expect(error(fromFunctionCall("x", "nope")).message).toMatch(/^args: must be a JSON object/);
  });
});

describe("adapters", () => {
  it("return a result for any input, never throw", () => {
    const routes = [{ prefix: "/", tool: "any" }];
    fc.assert(
      fc.property(fc.anything(), fc.anything(), (a, b) => {
        for (const r of [
          fromMcp(a),
          fromMcp(a, b as never),
          fromHttp(a, { routes }),
          fromHttp(a, b as never),
          fromShell(a),
          fromShell(typeof a === "string" ? a : "ls -l", b as never),
          fromFunctionCall(a, b),
        ]) {
          expect(typeof r.ok).toBe("boolean");
        }
      }),
      { numRuns: 300 },
    );
  });
});
