import { describe, expect, it } from "vitest";
import { checkText, diagnose } from "./test-support/harness.js";
import { pathProblem } from "./kernel.js";

const K = (src: string) => diagnose(src, []);

describe("kernel clauses: where they may appear", () => {
  it("accepts forbid rules over kernel actions", () => {
    expect(
      K(
        'forbid file.open path "/etc/shadow", "/etc/gshadow"\nforbid file.open, process.exec under "/etc/ssh"\n' +
          'forbid net.connect to 203.0.113.0/24, "2001:db8::/32" port 22, 8000..8100\nforbid net.connect port 25',
      ),
    ).toEqual([]);
  });
  it("rejects kernel clauses on other effects (AARM2403)", () => {
    expect(K('deny file.open path "/etc/passwd"')).toEqual([
      {
        code: "AARM2403",
        message: "kernel clauses (path) are allowed only on forbid rules, not on deny",
        at: "1:16",
      },
    ]);
  });
  it("rejects the wrong action or a tool (AARM2404)", () => {
    expect(diagnose('forbid net.connect path "/etc/passwd"\nforbid read_file under "/etc"')).toEqual([
      {
        code: "AARM2404",
        message: "'path' applies to file.open and process.exec, not to 'net.connect'",
        at: "1:8",
      },
      {
        code: "AARM2404",
        message: "'under' applies to file.open and process.exec, not to 'read_file'",
        at: "2:8",
      },
    ]);
  });
  it("rejects a condition (AARM2405)", () => {
    expect(K('forbid file.open path "/etc/shadow" when args.path == "/etc/shadow"')).toEqual([
      {
        code: "AARM2405",
        message: "a forbid rule with a kernel clause cannot have a `when` condition",
        at: "1:42",
      },
    ]);
  });
});

describe("kernel paths", () => {
  it("requires absolute normalised paths (AARM2406)", () => {
    expect(pathProblem("etc/shadow")).toBe("it is not absolute (it must start with '/')");
    expect(pathProblem("/etc/../shadow")).toBe(
      "it contains a '..' component (the kernel matches the resolved path)",
    );
    expect(pathProblem("/etc/./x")).toBe(
      "it contains a '.' component (the kernel matches the resolved path)",
    );
    expect(pathProblem("/etc//x")).toBe("it contains '//'");
    expect(pathProblem("/etc/ssh/")).toBe("it ends with '/' (write \"/etc/ssh\")");
    expect(pathProblem("/")).toBeUndefined();
    expect(K('forbid file.open under "/etc/ssh/"')).toEqual([
      {
        code: "AARM2406",
        message: "invalid path '/etc/ssh/': it ends with '/' (write \"/etc/ssh\")",
        at: "1:24",
      },
    ]);
  });
  it("rejects under the root (AARM2407)", () => {
    expect(K('forbid file.open under "/"').map((d) => d.code)).toEqual(["AARM2407"]);
    expect(K('forbid file.open path "/"')).toEqual([]);
  });
  it("warns about wildcards at the character (AARM2408)", () => {
    expect(K('forbid file.open path "/home/*/.ssh/id_rsa"')).toEqual([
      {
        code: "AARM2408",
        message: "'*' in a kernel path is a literal character, not a wildcard",
        at: "1:30",
      },
    ]);
  });
  it("limits path length to 255 bytes (AARM4001)", () => {
    const long = `/${"é".repeat(128)}`;
    expect(K(`forbid file.open path "${long}"`)).toEqual([
      {
        code: "AARM4001",
        message: "the path is 257 bytes long; kernel paths are at most 255 bytes",
        at: "1:23",
      },
    ]);
  });
});

describe("kernel addresses and ports", () => {
  it("rejects well-formed but ambiguous addresses (AARM2409); the parser reports malformed ones", () => {
    expect(K("forbid net.connect to 010.0.0.1")).toEqual([
      {
        code: "AARM2409",
        message: "invalid address '010.0.0.1': '010' has a leading zero (ambiguous: octal or decimal?)",
        at: "1:23",
      },
    ]);
  });
  it("warns about host bits and /0 (AARM2410, AARM2411)", () => {
    expect(K('forbid net.connect to 203.0.113.5/24, "2001:db8::1/32", 0.0.0.0/0')).toEqual([
      {
        code: "AARM2410",
        message: "'203.0.113.5/24' has host bits set; it means 203.0.113.0/24",
        at: "1:23",
      },
      { code: "AARM2410", message: "'2001:db8::1/32' has host bits set; it means 2001:db8::/32", at: "1:39" },
      { code: "AARM2411", message: "'0.0.0.0/0' matches every IPv4 address", at: "1:57" },
    ]);
  });
  it("limits port ranges per rule (AARM4003)", () => {
    const ports = Array.from({ length: 65 }, (_, i) => String(1000 + i)).join(", ");
    expect(K(`forbid net.connect port ${ports}`).map((d) => d.message)).toEqual([
      "65 port ranges in one rule; the limit is 64",
    ]);
  });
  it("limits entries per kernel map (AARM4002)", () => {
    const paths = (p: string) => Array.from({ length: 2049 }, (_, i) => `"/srv/${p}${i}"`).join(", ");
    const d = K(`forbid file.open path ${paths("a")}\nforbid file.open path ${paths("b")}`);
    expect(d).toEqual([
      { code: "AARM4002", message: "more than 4096 kernel entries of kind file.open path", at: "2:18" },
    ]);
  });
  it("normalises the kernel match into the model", () => {
    const m = checkText(
      'forbid net.connect to 203.0.113.0/24, "2001:db8::/32" port 22, 8000..8100',
      [],
    ).model!;
    expect(m.rules[0]!.kernel).toMatchObject({
      kind: "net",
      addresses: [
        { text: "203.0.113.0/24", family: 4, bytes: [203, 0, 113, 0], prefix: 24 },
        { text: "2001:db8::/32", family: 6, prefix: 32 },
      ],
      ports: [
        { from: 22, to: 22 },
        { from: 8000, to: 8100 },
      ],
    });
  });
});
