import { describe, expect, it } from "vitest";
import { checkText, diagnose, str, tool } from "./test-support/harness.js";

describe("AARM2101 tool patterns", () => {
  it("suggests the closest tool name", () => {
    expect(diagnose("allow email.sned")).toEqual([
      { code: "AARM2101", message: "no tool matches 'email.sned'; did you mean 'email.send'?", at: "1:7" },
    ]);
  });
  it("suggests nothing when nothing is close", () => {
    expect(diagnose("allow payroll.run")).toEqual([
      { code: "AARM2101", message: "no tool matches 'payroll.run'", at: "1:7" },
    ]);
  });
  it("suggests a close namespace glob", () => {
    expect(diagnose("allow calender.*")).toEqual([
      { code: "AARM2101", message: "no tool matches 'calender.*'; did you mean 'calendar.*'?", at: "1:7" },
    ]);
  });
  it("suggests the prefixed name of a tool imported with `as`", () => {
    const src = 'policy "p" version "1"\ndefault deny\ntools from "a.json" as db\nallow query';
    expect(diagnose(src, { "a.json": [tool("db.query", {})] })).toEqual([
      { code: "AARM2101", message: "no tool matches 'query'; did you mean 'db.query'?", at: "4:7" },
    ]);
  });
  it("matches globs over full names, dots included", () => {
    const m = checkText("allow calendar.*\n@priority(5) allow *").model!;
    expect(m.rules[0]!.tools).toEqual(["calendar.create_event", "calendar.list_events"]);
    expect(m.rules[1]!.tools).toContain("email.send");
    expect(m.rules[1]!.tools).toContain("run-shell");
  });
  it("never matches kernel actions with a glob", () => {
    const m = checkText("allow *").model!;
    expect(m.rules[0]!.tools).not.toContain("file.open");
    expect(diagnose("allow file.*")).toEqual([
      { code: "AARM2101", message: "no tool matches 'file.*'", at: "1:7" },
    ]);
  });
  it("matches a quoted name literally", () => {
    expect(diagnose('allow "run-shell"')).toEqual([]);
    expect(diagnose('allow "run-*"').map((d) => d.code)).toEqual(["AARM2101"]);
  });
  it("checks patterns in history, result(), tag rules, validate and bind", () => {
    const d = diagnose(
      "deny db.query when seen(emial.send) or count(slak.*) > 1 or sequence(db.query, http.pst)\n" +
        "deny http.post when provenance(args.url) has result(get_webpag)\n" +
        "on result db.qury { label PUBLIC }\nvalidate send_mony { args.amount > 0 }\nbind read_fil(path) to file.open",
    );
    expect(d.map((x) => [x.code, x.at])).toEqual([
      ["AARM2101", "1:25"],
      ["AARM2101", "1:46"],
      ["AARM2101", "1:80"],
      ["AARM2101", "2:53"],
      ["AARM2101", "3:11"],
      ["AARM2101", "4:10"],
      ["AARM2101", "5:6"],
    ]);
  });
  it("does not report patterns when a tool file failed to load", () => {
    const c = checkText("allow nothing.here", []);
    expect(c.diagnostics.map((d) => d.code)).toEqual(["AARM2101"]);
  });
});

describe("AARM2008 duplicate tools", () => {
  it("reports a tool defined by two files, with the first as related", () => {
    const src = 'policy "p" version "1"\ndefault deny\ntools from "a.json"\ntools from "b.json"\nallow x';
    const c = checkText(src, { "a.json": [tool("x", {})], "b.json": [tool("x", {})] });
    expect(c.diagnostics).toMatchObject([
      {
        code: "AARM2008",
        span: { start: 67, end: 75 },
        message: "tool 'x' is defined by both a.json and b.json",
        related: [{ message: "'x' is first defined here" }],
      },
    ]);
  });
  it("reports a file that defines a kernel action", () => {
    const src = 'policy "p" version "1"\ndefault deny\ntools from "a.json"\nallow x';
    const d = diagnose(src, { "a.json": [tool("x", {}), tool("file.open", {})] });
    expect(d.map((x) => x.message)).toEqual([
      "tool 'file.open' is defined by both the built-in kernel actions and a.json",
    ]);
  });
});

describe("AARM2102/2103/2104 argument references", () => {
  it("reports an unknown argument with a suggestion and the known arguments", () => {
    const c = checkText('deny send_money when args.recipent == "x"');
    expect(c.diagnostics).toMatchObject([
      {
        code: "AARM2102",
        message: "unknown argument 'recipent' of tool 'send_money'; did you mean 'recipient'?",
        help: "the arguments of 'send_money' are: amount, currency, memo, recipient",
      },
    ]);
  });
  it("resolves nested objects, maps, list indexes and quoted keys", () => {
    const d = diagnose(
      'deny db.query when args.options.timeout > 5 or args.params["x-id"] == "1" or args.params.any == "2"\n' +
        'deny db.query when args.filters[0].column == "name" or args.options.label is absent\n' +
        'deny http.post when args.headers["Authorization"] startsWith "Bearer "',
    );
    expect(d).toEqual([]);
  });
  it("reports an unknown nested field at its segment", () => {
    expect(diagnose("deny db.query when args.options.timout > 5")).toEqual([
      {
        code: "AARM2102",
        message: "unknown argument 'options.timout' of tool 'db.query'; did you mean 'timeout'?",
        at: "1:33",
      },
    ]);
  });
  it("reports a field of a scalar and an index into an object", () => {
    expect(diagnose('deny db.query when args.sql.text == "x" or args.options[0] == 1')).toEqual([
      { code: "AARM2104", message: "cannot take field 'text' of args.sql: it is a string", at: "1:29" },
      {
        code: "AARM2104",
        message: "cannot take index [0] of args.options: it is an object {timeout, label}",
        at: "1:57",
      },
    ]);
  });
  it("reports a field of a list", () => {
    expect(diagnose('deny email.send when args.to.address == "x"')).toEqual([
      {
        code: "AARM2104",
        message: "cannot take field 'address' of args.to: it is a list<string>",
        at: "1:30",
      },
    ]);
  });
  it("requires an argument in every tool of the rule", () => {
    expect(diagnose('deny email.send, slack.post_message when args.body contains "password"')).toEqual([
      {
        code: "AARM2103",
        message: "argument 'body' does not exist in tool 'slack.post_message', which this rule also covers",
        at: "1:47",
      },
    ]);
  });
  it("accepts an argument present in every tool, typed as the union", () => {
    const c = checkText('deny get_webpage, http.post when host(args.url) == "evil.example"');
    expect(c.diagnostics).toEqual([]);
  });
  it("steps through a nullable union", () => {
    expect(diagnose('deny db.query when args.mode == "rw"')).toEqual([]);
    expect(diagnose('deny db.query when args.mode == "rx"').map((d) => d.code)).toEqual(["AARM2209"]);
  });
  it("types args as any when a pattern did not resolve", () => {
    expect(diagnose("deny nope when args.whatever > 1").map((d) => d.code)).toEqual(["AARM2101"]);
  });
  it("uses the tool's schema for a kernel action", () => {
    expect(diagnose('deny file.open when args.path startsWith "/home"\nallow db.query')).toEqual([]);
    expect(diagnose("deny net.connect when args.port > 70000", []).map((d) => d.code)).toEqual(["AARM2209"]);
  });
  it("checks .name on open objects but lets the bracket form read undeclared keys", () => {
    const open = tool("t", {});
    const t = {
      ...open,
      input: {
        ...open.input,
        properties: new Map([["a", { type: str(), required: true }]]),
        additional: true,
      },
    };
    expect(diagnose('deny t when args.b == "x"', [t]).map((d) => d.code)).toEqual(["AARM2102"]);
    expect(diagnose('deny t when args["b"] == "x" and args.a == "y"', [t])).toEqual([]);
    const bare = { ...open, input: { ...open.input, additional: true } };
    expect(diagnose('deny t when args.anything == "x"', [bare])).toEqual([]);
  });
  it("reports fields of a union member that lacks them", () => {
    const t = tool("u", {
      v: {
        kind: "union",
        members: [
          {
            kind: "object",
            properties: new Map([["a", { type: str(), required: true }]]),
            additional: false,
          },
          { kind: "object", properties: new Map(), additional: false },
        ],
      },
    });
    expect(diagnose('deny u when args.v.a == "x"', [t]).map((d) => d.code)).toEqual(["AARM2102"]);
  });
});
