import { describe, expect, it } from "vitest";
import { diagnose } from "./test-support/harness.js";

const HEADER = 'policy "p" version "1.0.0"\n';

describe("AARM2001 missing default", () => {
  it("reports a policy without `default` even without tools", () => {
    expect(diagnose(`${HEADER}allow *`, []).map((d) => d.code)).toEqual(["AARM2001", "AARM2101"]);
  });
  it("reports a policy without `default` at the header", () => {
    const d = diagnose(`${HEADER}tools from "tools.json"\nallow send_money`);
    expect(d).toEqual([{ code: "AARM2001", message: "the policy has no `default` declaration", at: "1:1" }]);
  });
  it("accepts default allow and default deny", () => {
    expect(diagnose(`${HEADER}default allow\ntools from "tools.json"\nallow send_money`)).toEqual([]);
  });
});

describe("AARM2002 repeated declaration", () => {
  it("reports a second default", () => {
    expect(diagnose("default allow\nallow send_money")).toEqual([
      { code: "AARM2002", message: "`default` may be declared only once", at: "1:1" },
    ]);
  });
  it("reports a second levels declaration", () => {
    expect(diagnose("levels A < B\nlevels C < D\non result db.query { label A }\nallow db.query")).toEqual([
      { code: "AARM2002", message: "`levels` may be declared only once", at: "2:1" },
    ]);
  });
  it("allows labels and context split over several declarations", () => {
    const d = diagnose(
      "labels A\nlabels B\ncontext x: bool\ncontext y: bool\non result db.query { label A, B }\ndeny db.query when context.x and context.y",
    );
    expect(d).toEqual([]);
  });
});

describe("AARM2003/2004/2005 names", () => {
  it("reports a constant declared twice", () => {
    expect(diagnose("const a = 1\nconst a = 2\ndeny db.query when args.limit > a")).toEqual([
      { code: "AARM2003", message: "'a' is already declared as a constant", at: "2:7" },
    ]);
  });
  it("reports a constant that reuses a label name", () => {
    expect(diagnose("labels PII\nconst PII = 1\non result db.query { label PII }\nallow db.query")).toEqual([
      { code: "AARM2003", message: "'PII' is already declared as a label", at: "2:7" },
    ]);
  });
  it("reports a duplicate level", () => {
    expect(diagnose("levels LOW < HIGH < LOW\non result db.query { label HIGH }\nallow db.query")).toEqual([
      { code: "AARM2003", message: "'LOW' is already declared as a level", at: "1:21" },
    ]);
  });
  it("reports a duplicate context field", () => {
    expect(diagnose('context env: string, env: bool\ndeny db.query when context.env == "x"')).toEqual([
      { code: "AARM2003", message: "'env' is already declared as a context field", at: "1:22" },
    ]);
  });
  it("keeps context fields apart from constants", () => {
    expect(
      diagnose('context env: string\nconst env = "prod"\ndeny db.query when context.env == env'),
    ).toEqual([]);
  });
  it("reports a label that is a default level", () => {
    const d = diagnose("labels CONFIDENTIAL\non result db.query { label CONFIDENTIAL }\nallow db.query");
    expect(d).toEqual([
      { code: "AARM2004", message: "'CONFIDENTIAL' is declared both as a label and as a level", at: "1:8" },
    ]);
  });
  it("accepts a label named like a default level when levels are declared", () => {
    expect(
      diagnose(
        "levels LOW < HIGH\nlabels CONFIDENTIAL\non result db.query { label CONFIDENTIAL, HIGH }\nallow db.query",
      ),
    ).toEqual([]);
  });
  it("reports a built-in root redeclared", () => {
    expect(diagnose('const request = "x"\nallow db.query')).toEqual([
      {
        code: "AARM2005",
        message: "'request' is a built-in name and cannot be declared as a constant",
        at: "1:7",
      },
    ]);
  });
});

describe("AARM2006/2007 constants", () => {
  it("accepts literals and lists of one type", () => {
    const d = diagnose(
      'const a = "x"\nconst b = 2\nconst c = 5m\nconst d = /x/i\nconst e = true\nconst f = [1, 2]\n' +
        "deny db.query when args.sql == a and args.limit > b and args.sql matches d and e and args.limit in f\n" +
        "deny db.query when count(db.query within 1h) > 1 and c > 1m",
    );
    expect(d).toEqual([]);
  });
  it("reports a reference", () => {
    expect(diagnose("const a = args.limit\nallow db.query").map((x) => [x.code, x.message])).toEqual([
      ["AARM2505", "constant 'a' is never used"],
      [
        "AARM2006",
        "a constant must be a literal or a list of literals; 'args.limit' is a reference, not a literal",
      ],
    ]);
  });
  it("reports null, nested lists and calls", () => {
    const d = diagnose('const a = null\nconst b = [[1]]\nconst c = lower("X")\nallow db.query');
    expect(d.filter((x) => x.code === "AARM2006").map((x) => x.at)).toEqual(["1:11", "2:12", "3:11"]);
  });
  it("reports a list mixing strings and regexes at the odd element", () => {
    expect(
      diagnose('const blocked = [/evil/, "attacker.test"]\ndeny http.post when args.url in blocked'),
    ).toEqual([
      {
        code: "AARM2007",
        message: "list elements must all have one type: this element is string, the first is regex",
        at: "1:26",
      },
    ]);
  });
  it("reports mixed list literals in conditions too", () => {
    expect(diagnose('deny db.query when args.table in ["customers", 3]')).toEqual([
      {
        code: "AARM2007",
        message: "list elements must all have one type: this element is integer, the first is string",
        at: "1:48",
      },
    ]);
  });
});
