/**
 * In-process tests of the CLI pieces that spawning cannot reach: the internal-error handler, color decisions,
 * display paths, and the policy summary.
 */
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { memoryHost } from "../compiler/index.js";
import { makeSource, parse } from "../language/index.js";
import { loadCommand, type Program } from "./command.js";
import { displayPath, memoryIo, useColor, type Io } from "./io.js";
import { aarmcProgram, aarmProgram, guarded } from "./main.js";
import { summarize, summaryText } from "./summary.js";

const crashing: Program = {
  name: "aarm",
  version: "0.0.0",
  tagline: "test",
  commands: [
    {
      name: "boom",
      summary: "",
      operands: "",
      description: "",
      options: [],
      exitStatus: "",
      run: () => {
        throw new Error("kaboom");
      },
    },
  ],
};

describe("internal errors", () => {
  it("print one line, no stack, and exit 2", async () => {
    const io = memoryIo("/");
    expect(await guarded(crashing, ["boom"], io)).toBe(2);
    expect(io.stderr()).toBe(
      "aarm: internal error: kaboom\nSet AARM_DEBUG=1 to see where it happened, and please report it.\n",
    );
    expect(io.stdout()).toBe("");
  });

  it("show the stack with AARM_DEBUG=1", async () => {
    const io = memoryIo("/", { AARM_DEBUG: "1" });
    expect(await guarded(crashing, ["boom"], io)).toBe(2);
    expect(io.stderr()).toMatch(/^aarm: internal error: kaboom\nError: kaboom\n\s+at /);
  });
});

describe("lazily loaded commands", () => {
  it("each entry loads the command it is named after", async () => {
    for (const program of [aarmProgram(), aarmcProgram()]) {
      for (const entry of program.commands) expect((await loadCommand(entry)).name).toBe(entry.name);
    }
  });

  it("help lists every command with its summary", async () => {
    const io = memoryIo("/");
    expect(await guarded(aarmProgram(), ["--help"], io)).toBe(0);
    for (const entry of aarmProgram().commands) {
      const c = await loadCommand(entry);
      expect(io.stdout()).toContain(`  ${c.name.padEnd(13)}${c.summary}\n`);
    }
  });
});

describe("useColor", () => {
  const io = (tty: boolean, env: Record<string, string> = {}): Io => ({
    ...memoryIo("/", env),
    stdoutIsTTY: tty,
    stderrIsTTY: false,
  });
  it("colors a terminal unless NO_COLOR is set", () => {
    expect(useColor(io(true))).toBe(true);
    expect(useColor(io(false))).toBe(false);
    expect(useColor(io(true, { NO_COLOR: "1" }))).toBe(false);
    expect(useColor(io(true, { NO_COLOR: "" }))).toBe(true);
    expect(useColor(io(true), "stderr")).toBe(false);
  });
});

describe("displayPath", () => {
  const cwd = resolve("/work-root/project");
  const show = displayPath(cwd);
  it("shows paths under the working directory relative to it, others as given", () => {
    expect(show(join(cwd, "policies", "a.aarm"))).toBe(join("policies", "a.aarm"));
    expect(show("policies/a.aarm")).toBe("policies/a.aarm");
    expect(show(resolve("/elsewhere/b.aarm"))).toBe(resolve("/elsewhere/b.aarm"));
    expect(show(cwd)).toBe(cwd);
  });
});

describe("summarize", () => {
  const text = [
    'policy "full" version "1.0.0"',
    "default deny",
    'tools from "./no-such-tools.json" as db',
    "levels LOW < HIGH",
    "labels PII",
    "const limit = 100",
    "context on_call: bool",
    "bind read_file(path) to file.open",
    "on result db.query { label PII }",
    "validate db.query { args.n > 0 }",
    "@priority(5) deny db.query when args.n > 1",
    '@id("ok") allow db.*',
    "modify db.query when args.n > 5 { set args.n = 5 }",
    "",
  ].join("\n");
  const source = makeSource("full.aarm", text);
  const { ast, diagnostics } = parse(source);

  it("lists what the policy declares", () => {
    expect(diagnostics).toEqual([]);
    const s = summarize(ast, source);
    expect(s).toEqual({
      name: "full",
      version: "1.0.0",
      default: "deny",
      tools: [{ from: "./no-such-tools.json", as: "db", count: null }],
      levels: ["LOW", "HIGH"],
      levelsDeclared: true,
      labels: ["PII"],
      constants: [{ name: "limit", value: "100" }],
      context: [{ name: "on_call", type: "bool" }],
      bindings: [{ tool: "read_file", arg: "path", action: "file.open" }],
      validateBlocks: 1,
      tagRules: 1,
      rules: { forbid: [], deny: ["deny-11"], defer: [], step_up: [], modify: ["modify-13"], allow: ["ok"] },
      kernel: [],
    });
    expect(summaryText(s)).toContain("tools: 1\n  ./no-such-tools.json as db (tools not loaded)\n");
    expect(summaryText(s)).toContain(
      "rules: 3\n  deny      1  deny-11\n  modify    1  modify-13\n  allow     1  ok\n",
    );
  });

  it("counts the tools an import brings in", () => {
    const tool = (name: string) => ({
      name,
      inputSchema: { type: "object", properties: { n: { type: "number" } } },
    });
    const host = memoryHost({
      "no-such-tools.json": JSON.stringify({ tools: [tool("query"), tool("insert")] }),
    });
    expect(summarize(ast, source, host).tools).toEqual([
      { from: "./no-such-tools.json", as: "db", count: 2 },
    ]);
  });
});
