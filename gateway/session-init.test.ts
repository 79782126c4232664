import { describe, expect, it } from "vitest";
import { presentedInit, stripInitMeta } from "./session-init.js";

const params = (meta?: Record<string, unknown>) => ({
  protocolVersion: "2025-06-18",
  capabilities: {},
  clientInfo: { name: "desk", version: "2.1" },
  ...(meta ? { _meta: meta } : {}),
});

describe("what a client presents at initialize", () => {
  it("reads assertions and the request from HTTP headers (comma-separated or repeated, percent-encoded)", () => {
    const p = presentedInit(params(), {
      "aarm-identity": ["a.b.c, d.e.f", "g.h.i"],
      "aarm-request": encodeURIComponent("Résumé: send the Q3 report"),
      "aarm-context": encodeURIComponent('{"env":"staging"}'),
    });
    expect(p).toEqual({
      client: { name: "desk", version: "2.1" },
      tokens: ["a.b.c", "d.e.f", "g.h.i"],
      request: "Résumé: send the Q3 report",
      context: { env: "staging" },
    });
  });

  it("reads them from initialize _meta (stdio)", () => {
    const p = presentedInit(
      params({ "aarm/identity": "x.y.z", "aarm/request": "hi", "aarm/context": { a: 1 } }),
    );
    expect(p).toMatchObject({ tokens: ["x.y.z"], request: "hi", context: { a: 1 } });
    expect(presentedInit(params({ "aarm/identity": ["1.2.3", "4.5.6"] })).tokens).toEqual(["1.2.3", "4.5.6"]);
  });

  it("names what is malformed", () => {
    expect(presentedInit(params({ "aarm/identity": 7 })).problem).toBe(
      '_meta["aarm/identity"]: must be a token or a list of tokens',
    );
    expect(presentedInit(params({ "aarm/request": ["a"] })).problem).toBe(
      '_meta["aarm/request"]: must be a string',
    );
    expect(presentedInit(params(), { "aarm-request": "%E0%A4%A" }).problem).toBe(
      "aarm-request header: not valid percent-encoded UTF-8",
    );
    expect(presentedInit(params({ "aarm/request": "a" }), { "aarm-request": "b" }).problem).toBe(
      "the request was given twice, with different texts",
    );
    expect(presentedInit(params(), { "aarm-context": "[1]" }).problem).toBe(
      "aarm-context header: must be a JSON object",
    );
  });

  it("removes the aarm/ keys before initialize goes upstream, and keeps the others", () => {
    expect(stripInitMeta(params({ "aarm/identity": "t", "vendor/x": 1 }))).toEqual(params({ "vendor/x": 1 }));
    expect(stripInitMeta(params({ "aarm/request": "r" }))).toEqual(params());
  });
});
