import { describe, expect, it } from "vitest";
import { optionSyntax, parseArgs, suggest, type OptionSpec } from "./args.js";

const specs: readonly OptionSpec[] = [
  { name: "format", kind: "string", choices: ["text", "json"], description: "" },
  { name: "quiet", short: "q", kind: "boolean", description: "" },
  { name: "out", short: "o", kind: "string", valueName: "DIR", description: "" },
];

const ok = (argv: string[]) => {
  const r = parseArgs(argv, specs);
  if ("error" in r) throw new Error(r.error);
  return { options: Object.fromEntries(r.options), positionals: r.positionals };
};
const fail = (argv: string[]) => {
  const r = parseArgs(argv, specs);
  return "error" in r ? r.error : undefined;
};

describe("parseArgs", () => {
  it("reads long, short, inline and separate values", () => {
    expect(ok(["a", "--format", "json", "-q", "b", "-o", "out"])).toEqual({
      options: { format: "json", quiet: true, out: "out" },
      positionals: ["a", "b"],
    });
    expect(ok(["--format=text", "-oDIR"]).options).toEqual({ format: "text", out: "DIR" });
    expect(ok(["-o=x"]).options).toEqual({ out: "x" });
  });

  it("treats everything after -- and a lone - as operands", () => {
    expect(ok(["--", "--quiet", "-x"]).positionals).toEqual(["--quiet", "-x"]);
    expect(ok(["-"]).positionals).toEqual(["-"]);
  });

  it.each([
    [["--bogus"], "unknown option '--bogus'"],
    [["--formt", "json"], "unknown option '--formt' (did you mean '--format'?)"],
    [["-x"], "unknown option '-x'"],
    [["--format", "xml"], "invalid value 'xml' for --format (expected 'text' or 'json')"],
    [["--format"], "option --format text|json needs a value"],
    [["-o", "--quiet"], "option --out DIR needs a value"],
    [["--quiet=yes"], "option --quiet does not take a value"],
    [["-q", "--quiet"], "option --quiet given more than once"],
  ])("%j → %s", (argv, message) => {
    expect(fail(argv)).toBe(message);
  });
});

describe("helpers", () => {
  it("shows option syntax", () => {
    expect(specs.map((s) => optionSyntax(s, true))).toEqual([
      "--format text|json",
      "-q, --quiet",
      "-o, --out DIR",
    ]);
  });

  it("suggests only close matches", () => {
    expect(suggest("chek", ["check", "fmt"])).toBe("check");
    expect(suggest("compiel", ["compile"])).toBe("compile");
    expect(suggest("zzz", ["check", "fmt"])).toBeUndefined();
  });
});
