import { describe, expect, it } from "vitest";
import type { AdapterResult } from "./action.js";
import { fromHttp } from "./http.js";

function request(r: AdapterResult) {
  if (!r.ok) throw new Error(`expected a request, got ${r.error.message}`);
  return r.request;
}
function error(r: AdapterResult) {
  if (r.ok) throw new Error(`expected an error, got ${JSON.stringify(r.request)}`);
  return r.error;
}

describe("fromHttp", () => {
  const routes = [
    { prefix: "api.example.com/v1/payments", method: "POST", tool: "payments.create" },
    { prefix: "api.example.com/v1/payments", tool: "payments.read" },
    { prefix: "api.example.com/v1", tool: "api.generic" },
    { prefix: "/health", tool: "health.check" },
  ];

  it("routes by host and longest path prefix, then method; parameters are body fields plus query", () => {
    const r = request(
      fromHttp(
        {
          method: "POST",
          url: "https://API.example.com/v1/payments?dry_run=1",
          body: { amount: 10, to: "DE89" },
          headers: { "X-Request-Id": "r-1" },
        },
        { routes },
      ),
    );
    expect(r).toEqual({
      tool: "payments.create",
      operation: "post",
      args: { dry_run: "1", amount: 10, to: "DE89" },
      source: {
        kind: "http",
        method: "POST",
        url: "https://api.example.com/v1/payments?dry_run=1",
        route: "POST api.example.com/v1/payments",
      },
      nonce: "r-1",
    });
    expect(
      request(fromHttp({ method: "get", url: "https://api.example.com/v1/payments/42" }, { routes })).tool,
    ).toBe("payments.read");
    expect(
      request(fromHttp({ method: "GET", url: "https://api.example.com/v1/paymentsX" }, { routes })).tool,
    ).toBe("api.generic");
    expect(request(fromHttp({ method: "GET", url: "http://any.host:8080/health" }, { routes })).tool).toBe(
      "health.check",
    );
  });

  it("normalises the path as a server would before routing", () => {
    for (const url of [
      "https://api.example.com/v1/%70ayments",
      "https://api.example.com//v1/./x/../payments/",
      "https://api.example.com/v1/payments#frag",
    ]) {
      expect(request(fromHttp({ method: "POST", url }, { routes })).tool, url).toBe("payments.create");
    }
  });

  it("parses JSON and form bodies by content type; repeated fields become lists", () => {
    const json = fromHttp(
      {
        method: "POST",
        url: "https://api.example.com/v1/payments",
        headers: { "content-type": "application/json; charset=utf-8" },
        body: '{"amount": 5}',
      },
      { routes },
    );
    expect(request(json).args).toEqual({ amount: 5 });
    const form = fromHttp(
      { method: "POST", url: "https://api.example.com/v1/payments?tag=a", body: "to=x&cc=1&cc=2" },
      { routes },
    );
    expect(request(form).args).toEqual({ tag: "a", to: "x", cc: ["1", "2"] });
    const text = fromHttp(
      {
        method: "POST",
        url: "https://api.example.com/v1/payments",
        headers: { "Content-Type": "text/plain" },
        body: "hi",
      },
      { routes },
    );
    expect(request(text).args).toEqual({ body: "hi" });
  });

  it("reads identity claims from the gateway headers", () => {
    const r = request(
      fromHttp(
        {
          method: "GET",
          url: "https://api.example.com/v1",
          headers: { "x-user-id": "alice", "X-Agent-Id": "bot" },
        },
        { routes },
      ),
    );
    expect(r.claims).toEqual({ human: "alice", agent: "bot" });
  });

  it.each([
    [
      { method: "GET", url: "https://other.example.com/v1" },
      "no_route",
      /^url: no route for GET other\.example\.com\/v1/,
    ],
    [{ method: "GET", url: "/v1/payments" }, "invalid_request", /^url: must be an absolute http\(s\) URL/],
    [{ method: "GET", url: "ftp://api.example.com/v1" }, "invalid_request", /^url: must use http or https/],
    [
      { method: "PO ST", url: "https://api.example.com/v1" },
      "invalid_request",
      /^method: must be an HTTP method/,
    ],
    [
      { method: "POST", url: "https://api.example.com/v1?a=1", body: { a: 2 } },
      "invalid_request",
      /^body\.a: is also a query parameter/,
    ],
    [
      {
        method: "POST",
        url: "https://api.example.com/v1",
        headers: { "content-type": "application/json" },
        body: "{",
      },
      "invalid_request",
      /^body: is not valid JSON/,
    ],
    [
      {
        method: "POST",
        url: "https://api.example.com/v1",
        headers: { "content-type": "application/json" },
        body: "[1]",
      },
      "invalid_request",
      /^body: must be a JSON object/,
    ],
    [
      { method: "GET", url: "https://api.example.com/v1", headers: { "x-user-id": ["a", "b"] } },
      "invalid_request",
      /^headers\.x-user-id: must be given once/,
    ],
    [
      { method: "GET", url: "https://api.example.com/v1", extra: 1 },
      "invalid_request",
      /^extra: is not a known field/,
    ],
  ])("rejects %j", (req, code, message) => {
    const e = error(fromHttp(req, { routes }));
    expect(e.code).toBe(code);
    expect(e.message).toMatch(message);
  });

  it("rejects a bad route table, naming the route", () => {
    expect(
      error(fromHttp({ method: "GET", url: "https://a.b/" }, { routes: [{ prefix: "a.b", tool: "x y" }] }))
        .message,
    ).toMatch(/^options\.routes\[0\]\.tool: /);
    expect(error(fromHttp({ method: "GET", url: "https://a.b/" }, { routes: [] })).message).toMatch(
      /^options\.routes: must list/,
    );
  });
});
