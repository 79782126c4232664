import { describe, expect, it } from "vitest";
import { ALL_SOURCES } from "../session/provenance.js";
import { and3, callBuiltin, compare, getPath, isTest, listOf, mentions, not3, or3, truth } from "./ops.js";
import { EvalError, type Result, UNKNOWN } from "./values.js";

const AT = [3, 9] as const;
const E1 = new EvalError("first", [1, 2]);
const E2 = new EvalError("second", [5, 6]);
const U: typeof UNKNOWN = UNKNOWN;
const cmp = (op: string, l: Result, r: Result, quant: "any" | "all" | null = null) =>
  compare(op, quant, l, r, AT);
const call = (fn: string, ...args: Result[]) => callBuiltin(fn, args, AT);

describe("three-valued and / or / not", () => {
  const vals: Result[] = [true, false, U];
  // Kleene tables, row = left, column = right, over [true, false, UNKNOWN].
  const AND = [
    [true, false, U],
    [false, false, false],
    [U, false, U],
  ];
  const OR = [
    [true, true, true],
    [true, false, U],
    [true, U, U],
  ];
  it("follow the Kleene tables", () => {
    for (const [i, l] of vals.entries()) {
      for (const [j, r] of vals.entries()) {
        expect(and3(l, () => r, AT)).toBe(AND[i]![j]);
        expect(or3(l, () => r, AT)).toBe(OR[i]![j]);
      }
    }
    expect(not3(true, AT)).toBe(false);
    expect(not3(false, AT)).toBe(true);
    expect(not3(U, AT)).toBe(U);
  });

  it("let false (and) / true (or) absorb an error on either side", () => {
    expect(and3(false, () => E1, AT)).toBe(false);
    expect(and3(E1, () => false, AT)).toBe(false);
    expect(or3(true, () => E1, AT)).toBe(true);
    expect(or3(E1, () => true, AT)).toBe(true);
  });

  it("propagate an error over true and unknown, in both orders, the left one first", () => {
    for (const other of [true, U] as Result[]) {
      expect(and3(E1, () => other, AT)).toBe(E1);
      expect(and3(other, () => E1, AT)).toBe(E1);
    }
    for (const other of [false, U] as Result[]) {
      expect(or3(E1, () => other, AT)).toBe(E1);
      expect(or3(other, () => E1, AT)).toBe(E1);
    }
    expect(and3(E1, () => E2, AT)).toBe(E1);
    expect(or3(E2, () => E1, AT)).toBe(E2);
    expect(not3(E1, AT)).toBe(E1);
  });

  it("short-circuit without evaluating the right side", () => {
    let calls = 0;
    const r = () => (calls++, true);
    expect(and3(false, r, AT)).toBe(false);
    expect(or3(true, r, AT)).toBe(true);
    expect(calls).toBe(0);
    expect(and3(true, r, AT)).toBe(true);
    expect(calls).toBe(1);
  });

  it("treat a non-boolean operand as an error, never as false (fail closed)", () => {
    expect(and3("yes", () => true, AT)).toEqual(new EvalError("'and' needs booleans, got string", AT));
    expect(and3(true, () => 1, AT)).toEqual(new EvalError("'and' needs booleans, got number", AT));
    expect(or3(null, () => false, AT)).toEqual(new EvalError("'or' needs booleans, got null", AT));
    expect(or3(false, () => [true], AT)).toEqual(new EvalError("'or' needs booleans, got list", AT));
    // ...but the absorbing value still decides.
    expect(and3("yes", () => false, AT)).toBe(false);
    expect(or3("yes", () => true, AT)).toBe(true);
    expect(not3("yes", AT)).toEqual(new EvalError("'not' needs a boolean, got string", AT));
  });

  it("truth() accepts only booleans, unknown and errors", () => {
    expect(truth(true, AT)).toBe(true);
    expect(truth(U, AT)).toBe(U);
    expect(truth(E1, AT)).toBe(E1);
    expect(truth("true", AT)).toEqual(new EvalError("a condition must be boolean, got string", AT));
  });
});

describe("comparisons", () => {
  it("equality is structural and never coerces", () => {
    expect(cmp("==", 50, 50.0)).toBe(true);
    expect(cmp("==", "50", 50)).toBe(false);
    expect(cmp("!=", ["a", "b"], ["a", "b"])).toBe(false);
    expect(cmp("==", ["a", "b"], ["b", "a"])).toBe(false);
    expect(cmp("==", { a: [1] }, { a: [1] })).toBe(true);
  });

  it("orderings need numbers", () => {
    expect(cmp("<", 1, 2)).toBe(true);
    expect(cmp(">=", 2, 2)).toBe(true);
    expect(cmp(">", 2, 2)).toBe(false);
    expect(cmp("<", "a", "b")).toEqual(new EvalError("cannot order string and string", AT));
  });

  it("null (an absent argument) makes every comparison false except == and !=", () => {
    expect(cmp("==", null, null)).toBe(true);
    expect(cmp("!=", null, "x")).toBe(true);
    for (const op of [
      "<",
      ">=",
      "in",
      "not in",
      "contains",
      "startsWith",
      "mentions",
      "matches",
      "has",
      "excludes",
    ]) {
      expect(cmp(op, null, op === "in" || op === "not in" ? ["x"] : "x")).toBe(false);
    }
    expect(cmp(">", 5, null)).toBe(false);
    expect(cmp("==", null, null, "any")).toBe(false);
    expect(cmp("==", null, null, "all")).toBe(false);
  });

  it("unknown gives unknown, and an error wins over unknown on either side", () => {
    expect(cmp("==", U, "x")).toBe(U);
    expect(cmp("<", 1, U)).toBe(U);
    expect(cmp("==", U, E1)).toBe(E1);
    expect(cmp("==", E1, U)).toBe(E1);
    expect(cmp("==", E1, E2)).toBe(E1);
  });

  it("in / not in: membership, and subset for a list on the left", () => {
    expect(cmp("in", "a", ["a", "b"])).toBe(true);
    expect(cmp("not in", "c", ["a", "b"])).toBe(true);
    expect(cmp("in", ["a", "b"], ["b", "a", "c"])).toBe(true);
    expect(cmp("in", ["a", "z"], ["a", "b"])).toBe(false);
    expect(cmp("not in", ["a", "z"], ["a", "b"])).toBe(true);
    expect(cmp("in", [], ["a"])).toBe(true);
    expect(cmp("in", "PII", new Set(["PII"]))).toBe(true);
    expect(cmp("in", "a", "abc")).toEqual(new EvalError("'in' needs a list on the right, got string", AT));
  });

  it("string operators", () => {
    expect(cmp("contains", "hello world", "o w")).toBe(true);
    expect(cmp("startsWith", "/etc/ssh", "/etc")).toBe(true);
    expect(cmp("endsWith", "a@corp.example", "@corp.example")).toBe(true);
    expect(cmp("endsWith", "a@corp.example", "@CORP.example")).toBe(false);
    expect(cmp("contains", ["a"], "a")).toEqual(
      new EvalError("'contains' needs strings, got list and string", AT),
    );
  });

  it("matches uses RE2 regex values and compiles {regex, flags} constants", () => {
    expect(cmp("matches", "DROP table x", { regex: "drop\\s+table", flags: "i" })).toBe(true);
    expect(cmp("matches", "DROP table x", { regex: "drop\\s+table", flags: "" })).toBe(false);
    expect(cmp("matches", 5, { regex: "5", flags: "" })).toEqual(
      new EvalError("'matches' needs a string, got number", AT),
    );
    expect(cmp("matches", "x", "x")).toEqual(new EvalError("'matches' needs a regex, got string", AT));
    const bad = cmp("matches", "x", { regex: "(", flags: "" });
    expect(bad).toBeInstanceOf(EvalError);
    expect((bad as EvalError).message).toMatch(/^invalid regex: /);
  });

  it("has / excludes / has any / has all over lists and sets", () => {
    const labels = new Set(["PII", "PHI"]);
    expect(cmp("has", labels, "PII")).toBe(true);
    expect(cmp("excludes", labels, "FINANCIAL")).toBe(true);
    expect(cmp("has any", labels, ["FINANCIAL", "PHI"])).toBe(true);
    expect(cmp("has all", labels, ["PII", "FINANCIAL"])).toBe(false);
    expect(cmp("has all", ["a", "b"], [])).toBe(true);
    expect(cmp("has any", ["a", "b"], [])).toBe(false);
    expect(cmp("has", "abc", "a")).toEqual(
      new EvalError("'has' needs a list or set on the left, got string", AT),
    );
    expect(cmp("has any", ["a"], "a")).toEqual(
      new EvalError("'has any' needs a list on the right, got string", AT),
    );
  });

  it("a set on the right (a provenance source) means: shares a member", () => {
    const prov = new Set(["tool:get_webpage"]);
    expect(cmp("has", prov, new Set(["tool:email.search", "tool:get_webpage"]))).toBe(true);
    expect(cmp("excludes", prov, new Set(["request"]))).toBe(true);
    expect(cmp("has all", prov, [new Set(["request"]), new Set(["tool:get_webpage"])])).toBe(false);
    expect(cmp("has any", prov, [new Set(["request"]), new Set(["tool:get_webpage"])])).toBe(true);
    // An absent value has every source: it never "excludes request".
    expect(cmp("excludes", ALL_SOURCES, new Set(["request"]))).toBe(false);
    expect(cmp("has all", ALL_SOURCES, [new Set(["request"]), new Set(["tool:x"])])).toBe(true);
  });
});

describe("quantifiers", () => {
  it("over empty lists: any is false, all is true", () => {
    expect(cmp("==", [], "x", "any")).toBe(false);
    expect(cmp("==", [], "x", "all")).toBe(true);
  });

  it("apply the operator to each element", () => {
    const to = ["a@corp.example", "b@gmail.com"];
    expect(cmp("endsWith", to, "@corp.example", "any")).toBe(true);
    expect(cmp("endsWith", to, "@corp.example", "all")).toBe(false);
    expect(cmp("in", to, ["a@corp.example", "b@gmail.com", "c"], "all")).toBe(true);
  });

  it("combine element errors three-valuedly: a deciding element absorbs an error anywhere", () => {
    const mixed = ["x", 5];
    expect(cmp("contains", mixed, "x", "any")).toBe(true);
    expect(cmp("contains", [5, "x"], "x", "any")).toBe(true);
    expect(cmp("contains", [5, "y"], "x", "all")).toBe(false);
    expect(cmp("contains", ["x", 5], "x", "all")).toEqual(
      new EvalError("'contains' needs strings, got number and string", AT),
    );
    expect(cmp("contains", [5], "x", "any")).toEqual(
      new EvalError("'contains' needs strings, got number and string", AT),
    );
  });

  it("need a list", () => {
    expect(cmp("==", "abc", "a", "any")).toEqual(new EvalError("'any' needs a list, got string", AT));
  });
});

describe("mentions", () => {
  it("is a case-insensitive whole-word phrase search", () => {
    expect(mentions("Please delete the test data now", "Test data")).toBe(true);
    expect(mentions("attest database", "test data")).toBe(false);
    expect(mentions("test data, please", "test data")).toBe(true);
    expect(mentions("(test data)", "test data")).toBe(true);
    expect(mentions("test_data", "test")).toBe(false);
    expect(mentions("retest test", "test")).toBe(true);
    expect(mentions("test\n\t data", "test  data")).toBe(true);
    expect(mentions("über", "ber")).toBe(false);
    expect(mentions("50 EUR", "50")).toBe(true);
    expect(mentions("150 EUR", "50")).toBe(false);
    expect(mentions("anything", "  ")).toBe(false);
  });
});

describe("is known / unknown / present / absent", () => {
  it("known and unknown are never unknown", () => {
    expect(isTest("known", U)).toBe(false);
    expect(isTest("unknown", U)).toBe(true);
    expect(isTest("known", "x")).toBe(true);
    expect(isTest("unknown", null)).toBe(false);
  });
  it("present and absent test for null; unknown stays unknown", () => {
    expect(isTest("present", null)).toBe(false);
    expect(isTest("absent", null)).toBe(true);
    expect(isTest("present", "")).toBe(true);
    expect(isTest("absent", U)).toBe(U);
  });
  it("an error stays an error (the rule fails closed)", () => {
    for (const t of ["known", "unknown", "present", "absent"]) expect(isTest(t, E1)).toBe(E1);
  });
});

describe("builtins", () => {
  it("domain(): e-mail domain or URL host, lower-cased", () => {
    expect(call("domain", "Ann@Corp.Example")).toBe("corp.example");
    expect(call("domain", "https://API.corp.example:8443/v1")).toBe("api.corp.example");
    expect(call("domain", "corp.example")).toBe("corp.example");
    expect(call("domain", "mailto:ann@corp.example")).toBe("corp.example");
    expect(call("domain", ["a@x.example", "https://y.example/"])).toEqual(["x.example", "y.example"]);
    expect(call("domain", null)).toBe(null);
  });

  it("domain(): an @ in a URL's userinfo, path or query does not name the domain", () => {
    expect(call("domain", "https://evil.example/upload?to=a@corp.example")).toBe("evil.example");
    expect(call("domain", "https://corp.example@evil.example/")).toBe("evil.example");
    expect(call("domain", "user@evil.example/path")).toBe("evil.example");
    expect(call("domain", "//evil.example/?x=@corp.example")).toBe("evil.example");
  });

  it("host(): URLs, host:port, IPv4 and IPv6 (without brackets)", () => {
    expect(call("host", "https://api.corp.example:8443/v1")).toBe("api.corp.example");
    expect(call("host", "api.corp.example/v1")).toBe("api.corp.example");
    expect(call("host", "10.0.0.7:22")).toBe("10.0.0.7");
    expect(call("host", "https://[2001:DB8:0::1]:8443/x")).toBe("2001:db8::1");
    expect(call("host", "[::ffff:203.0.113.9]:443")).toBe("::ffff:cb00:7109");
    expect(call("host", "not a url")).toBe("not a url");
  });

  it("lower, upper and len (in code points)", () => {
    expect(call("lower", "ÄB")).toBe("äb");
    expect(call("upper", ["a", "b"])).toEqual(["A", "B"]);
    expect(call("len", "😀ü")).toBe(2);
    expect(call("len", ["a", "b", "c"])).toBe(3);
    expect(call("len", new Set(["PII"]))).toBe(1);
    expect(call("len", null)).toBe(null);
  });

  it("propagate unknown and errors, and reject wrong types", () => {
    expect(call("lower", U)).toBe(U);
    expect(call("len", E1)).toBe(E1);
    expect(call("lower", 5)).toEqual(new EvalError("lower() needs a string, got number", AT));
    expect(call("domain", ["a", 5])).toEqual(
      new EvalError("domain() needs strings, got a list of number", AT),
    );
    expect(call("len", 5)).toEqual(new EvalError("len() needs a string or list, got number", AT));
    expect(call("nope", "x")).toEqual(new EvalError("unknown builtin nope", AT));
    expect(callBuiltin("len", [], AT)).toEqual(new EvalError("len() needs an argument", AT));
  });
});

describe("paths and lists", () => {
  it("getPath follows own fields and list indexes; a missing step is null", () => {
    const v = { a: { b: [10, { c: "x" }] } };
    expect(getPath(v, ["a", "b", 1, "c"])).toBe("x");
    expect(getPath(v, ["a", "b", 5])).toBe(null);
    expect(getPath(v, ["a", "zz", "c"])).toBe(null);
    expect(getPath(v, ["a", "b", "length"])).toBe(null);
    expect(getPath({}, ["constructor"])).toBe(null);
    expect(getPath({}, ["__proto__"])).toBe(null);
    expect(getPath({ a: [1] }, ["a", 0])).toBe(1);
    expect(getPath({ "0": "x" }, [0])).toBe(null);
  });

  it("listOf returns the first unknown or error item", () => {
    expect(listOf([1, 2])).toEqual([1, 2]);
    expect(listOf([1, U, E1])).toBe(U);
    expect(listOf([E1, U])).toBe(E1);
  });
});
