import { describe, expect, it } from "vitest";
import { diagnose } from "./test-support/harness.js";

describe("AARM2105 unknown names", () => {
  it("suggests a root for a misspelt root", () => {
    expect(diagnose("deny email.send when sesion.labels has PUBLIC")).toEqual([
      { code: "AARM2105", message: "unknown name 'sesion'; did you mean 'session'?", at: "1:22" },
    ]);
  });
  it("says label when a label is expected", () => {
    expect(
      diagnose("labels PII\non result db.query { label PII }\ndeny email.send when session.labels has PIII"),
    ).toEqual([{ code: "AARM2105", message: "unknown label 'PIII'; did you mean 'PII'?", at: "3:41" }]);
  });
  it("says level when a level is expected", () => {
    expect(diagnose("deny email.send when session.level >= CONFIDENTAL")).toEqual([
      { code: "AARM2105", message: "unknown level 'CONFIDENTAL'; did you mean 'CONFIDENTIAL'?", at: "1:39" },
    ]);
  });
  it("reports undeclared labels in tag rules", () => {
    expect(
      diagnose("labels PII\non result db.query { label PII, FINANCIAL, RESTRICTD }\nallow db.query"),
    ).toEqual([
      { code: "AARM2105", message: "unknown label or level 'FINANCIAL'", at: "2:33" },
      {
        code: "AARM2105",
        message: "unknown label or level 'RESTRICTD'; did you mean 'RESTRICTED'?",
        at: "2:44",
      },
    ]);
  });
  it("reports a constant named in a tag rule", () => {
    expect(
      diagnose("const PII = 1\non result db.query { label PII }\nallow db.query").map((d) => d.code),
    ).toEqual(["AARM2505", "AARM2105"]);
  });
});

describe("AARM2106 unknown fields", () => {
  it("suggests a session field", () => {
    expect(diagnose("deny email.send when session.lables has PUBLIC")).toEqual([
      { code: "AARM2106", message: "session has no field 'lables'; did you mean 'labels'?", at: "1:30" },
    ]);
  });
  it("reports identity fields", () => {
    expect(diagnose('deny email.send when identity.roles == "x"')).toEqual([
      { code: "AARM2106", message: "identity has no field 'roles'; did you mean 'role'?", at: "1:31" },
    ]);
  });
  it("reports an undeclared context field and says how to declare it", () => {
    const d = diagnose("context maintenance_window: bool\ndeny db.query when context.maintenance_windw");
    expect(d).toEqual(
      [
        {
          code: "AARM2106",
          message: "context has no field 'maintenance_windw'; did you mean 'maintenance_window'?",
          at: "2:28",
        },
        { code: "AARM2505", message: "context field 'maintenance_window' is never used", at: "1:9" },
      ].sort((a, b) => a.at.localeCompare(b.at)),
    );
  });
  it("reports a root used without a field (AARM2114)", () => {
    expect(diagnose("deny db.query when session >= CONFIDENTIAL")).toEqual([
      { code: "AARM2114", message: "`session` is not a value by itself; name one of its fields", at: "1:20" },
    ]);
    expect(
      diagnose('context env: string\ndeny db.query when context["env"] == "x"').map((d) => d.code),
    ).toEqual(["AARM2505", "AARM2114"]);
  });
  it("reports fields of scalar roots", () => {
    expect(diagnose('deny db.query when request.text == "x" or tool.name == "y"').map((d) => d.code)).toEqual(
      ["AARM2104", "AARM2104"],
    );
  });
});

describe("AARM2107 result outside tag rules", () => {
  it("rejects result in a decision rule", () => {
    expect(diagnose("deny http.post when result.status == 200")).toEqual([
      { code: "AARM2107", message: "`result` is available only in `on result` rules", at: "1:21" },
    ]);
  });
  it("types result by the output schema in a tag rule", () => {
    expect(
      diagnose(
        'on result get_webpage when result.status == 200 and result.body contains "x" { label PUBLIC }\nallow get_webpage',
      ),
    ).toEqual([]);
    expect(
      diagnose("on result get_webpage when result.code == 200 { label PUBLIC }\nallow get_webpage").map(
        (d) => d.code,
      ),
    ).toEqual(["AARM2104"]);
  });
  it("types result as any without an output schema", () => {
    expect(diagnose("on result read_file when result.x.y == 1 { label PUBLIC }\nallow read_file")).toEqual(
      [],
    );
  });
});

describe("AARM2108-2111 builtins", () => {
  it("suggests a builtin for an unknown function", () => {
    expect(diagnose('deny email.send when domian(args.body) == "x"')).toEqual([
      { code: "AARM2108", message: "unknown function 'domian'; did you mean 'domain'?", at: "1:22" },
    ]);
  });
  it("checks arity", () => {
    expect(diagnose('deny email.send when lower(args.body, args.subject) == "x"')).toEqual([
      { code: "AARM2109", message: "lower() takes one argument; found 2 arguments", at: "1:22" },
    ]);
  });
  it("checks argument types", () => {
    expect(diagnose('deny db.query when len(args.limit) > 3 or lower(args.limit) == "x"')).toEqual([
      { code: "AARM2110", message: "len() needs a string or a list; found an integer", at: "1:24" },
      {
        code: "AARM2110",
        message: "lower() needs a string or a list of strings; found an integer",
        at: "1:49",
      },
    ]);
  });
  it("lifts string builtins over lists", () => {
    expect(
      diagnose('deny email.send when any domain(args.to) not in ["corp.example"] or lower(args.to) has "x"'),
    ).toEqual([]);
  });
  it("requires an argument reference in provenance()", () => {
    expect(diagnose("deny email.send when provenance(domain(args.to)) excludes request")).toEqual([
      {
        code: "AARM2111",
        message: "provenance() takes an argument reference such as args.recipient; found 'domain(args.to)'",
        at: "1:33",
      },
    ]);
  });
  it("reports sequence() with one step", () => {
    expect(diagnose("deny db.query when sequence(get_webpage within 5m)")).toEqual([
      { code: "AARM2112", message: "sequence() needs at least two steps", at: "1:20" },
    ]);
  });
});

describe("AARM2113 bind", () => {
  it("accepts string and list-of-string arguments", () => {
    expect(
      diagnose(
        'bind read_file(path) to file.open\nbind "run-shell"(argv) to process.exec\nallow read_file, "run-shell"',
      ),
    ).toEqual([]);
  });
  it("rejects a number argument", () => {
    expect(diagnose("bind db.query(limit) to file.open\nallow db.query")).toEqual([
      {
        code: "AARM2113",
        message:
          "argument 'limit' of tool 'db.query' is an integer; a bound argument must be a string or a list of strings",
        at: "1:15",
      },
    ]);
  });
  it("reports an unknown bound argument", () => {
    expect(diagnose("bind read_file(pth) to file.open\nallow read_file").map((d) => d.message)).toEqual([
      "unknown argument 'pth' of tool 'read_file'; did you mean 'path'?",
    ]);
  });
});
