import { describe, expect, it } from "vitest";
import type { CompilerHost } from "../host.js";
import { loadTools } from "./index.js";
import {
  at,
  brief,
  load,
  loadText,
  POLICY_PATH,
  policyText,
  TOOLS_PATH,
  toolsDecl,
} from "./test-support/harness.js";

describe("file-level diagnostics", () => {
  it("AARM3001: missing file, at the path string in the policy", () => {
    const r = load({});
    expect(brief(r)).toEqual([
      {
        code: "AARM3001",
        sourceId: POLICY_PATH,
        span: at(r.policy, '"./tools.json"'),
        message: 'cannot read tools file "./tools.json": no such file',
      },
    ]);
    expect(r.tools).toEqual([]);
    expect(r.sources).toEqual([]);
  });
  it("AARM3001: invalid UTF-8", () => {
    const r = load({ [TOOLS_PATH]: new Uint8Array([0x5b, 0x22, 0xff, 0x22, 0x5d]) });
    expect(brief(r)).toEqual([
      {
        code: "AARM3001",
        sourceId: POLICY_PATH,
        span: at(r.policy, '"./tools.json"'),
        message: 'cannot read tools file "./tools.json": not valid UTF-8 (first bad byte at offset 2)',
      },
    ]);
  });
  it("AARM3001: never throws, even when the host does", () => {
    const host: CompilerHost = {
      readFile: () => new Uint8Array(),
      resolve: () => {
        throw new Error("bad path");
      },
    };
    const policy = policyText();
    const r = loadTools(host, POLICY_PATH, toolsDecl(policy));
    expect(brief(r)).toEqual([
      {
        code: "AARM3001",
        sourceId: POLICY_PATH,
        span: at(policy, '"./tools.json"'),
        message: 'cannot read tools file "./tools.json": bad path',
      },
    ]);
  });
  it("AARM3002: comments, trailing commas, empty files and truncation", () => {
    const cases: [string, string, number, number][] = [
      ['{"tools": [] // none\n}', "comments are not allowed", 13, 20],
      ['{"tools": [1, 2,]}', "trailing comma", 16, 17],
      ["", "the file is empty", 0, 0],
      ["  \n", "the file is empty", 3, 3],
      ['{"tools": [', "unexpected end of file (expected ']')", 11, 11],
      ["{'tools': []}", "strings and keys need double quotes, not single quotes", 1, 8],
      ['{"tools": [{name: "x"}]}', "unexpected word name; strings and keys need double quotes", 12, 16],
      ['{"tools" []}', "expected ':'", 9, 10],
    ];
    for (const [text, reason, start, end] of cases) {
      expect(brief(loadText(text))).toEqual([
        {
          code: "AARM3002",
          sourceId: TOOLS_PATH,
          span: { start, end },
          message: `the tools file is not valid JSON: ${reason}`,
        },
      ]);
    }
  });
  it("AARM3016: nesting deeper than 128 levels, at the offending bracket", () => {
    const text = `{"tools": ${"[".repeat(130)}${"]".repeat(130)}}`;
    const d = brief(loadText(text));
    expect(d).toEqual([
      {
        code: "AARM3016",
        sourceId: TOOLS_PATH,
        span: { start: 10 + 127, end: 10 + 128 },
        message: "the tools file nests arrays and objects more than 128 levels deep",
      },
    ]);
  });
  it("AARM3018: duplicate keys, with the first occurrence related", () => {
    const text = '{"tools": [{"name": "a", "name": "b", "inputSchema": {"type": "object"}}]}';
    const r = loadText(text);
    expect(brief(r)).toEqual([
      {
        code: "AARM3018",
        sourceId: TOOLS_PATH,
        span: at(text, '"name"', 1),
        message: 'duplicate key "name" in a JSON object',
      },
    ]);
    expect(r.diagnostics[0]?.related).toEqual([
      { sourceId: TOOLS_PATH, span: at(text, '"name"'), message: "first occurrence" },
    ]);
    expect(r.tools.map((t) => t.name)).toEqual(["b"]);
  });
});

describe("AARM3003: unrecognized shapes", () => {
  const cases: [string, string, string][] = [
    ['"tools"', '"tools"', "a string"],
    ['{"server": "x"}', "{", "an object with no tools and no JSON Schema keywords"],
    ['{"tools": {"a": 1}}', '"tools"', '"tools" holding an object'],
    [
      '{"jsonrpc": "2.0", "id": 1, "error": {"code": -32601, "message": "no"}}',
      '"error"',
      "a JSON-RPC error response",
    ],
    [
      '{"jsonrpc": "2.0", "id": 1, "result": {"content": []}}',
      '"result"',
      'a JSON-RPC response whose result is an object without "tools"',
    ],
    ['{"jsonrpc": "2.0", "id": 1, "result": null}', "null", "a JSON-RPC response whose result is null"],
    ['{"jsonrpc": "2.0", "method": "tools/list"}', "{", "a JSON-RPC message without a result"],
  ];
  for (const [text, where, found] of cases) {
    it(`rejects ${text}`, () => {
      const r = loadText(text);
      expect(brief(r)).toEqual([
        {
          code: "AARM3003",
          sourceId: TOOLS_PATH,
          span: at(text, where),
          message: `expected an MCP tools/list result (an object with a "tools" array), a JSON-RPC response whose result is one, an array of tools, or a JSON Schema for one tool; found ${found}`,
        },
      ]);
      expect(r.tools).toEqual([]);
    });
  }
});

describe("tool entry diagnostics", () => {
  it("AARM3004: an entry that is not an object", () => {
    const text = '[{"name": "a", "inputSchema": {"type": "object"}}, "b"]';
    const r = loadText(text);
    expect(brief(r)).toEqual([
      {
        code: "AARM3004",
        sourceId: TOOLS_PATH,
        span: at(text, '"b"'),
        message: "each tool must be an object with a name and an inputSchema; found a string",
      },
    ]);
    expect(r.tools.map((t) => t.name)).toEqual(["a"]);
  });
  it("AARM3005: missing and non-string names", () => {
    const text = '[{"inputSchema": {"type": "object"}}, {"name": 42, "inputSchema": {"type": "object"}}]';
    const r = loadText(text);
    expect(brief(r)).toEqual([
      { code: "AARM3005", sourceId: TOOLS_PATH, span: { start: 1, end: 2 }, message: "tool name is missing" },
      {
        code: "AARM3005",
        sourceId: TOOLS_PATH,
        span: at(text, "42"),
        message: "tool name must be a string, found a number",
      },
    ]);
    expect(r.tools).toEqual([]);
  });
  it("AARM3006: names outside MCP's alphabet (still loaded)", () => {
    const text =
      '[{"name": "read file", "inputSchema": {"type": "object"}}, {"name": "a/b.c-d_E9", "inputSchema": {"type": "object"}}]';
    const r = loadText(text);
    expect(brief(r)).toEqual([
      {
        code: "AARM3006",
        sourceId: TOOLS_PATH,
        span: at(text, '"read file"'),
        message: 'invalid tool name "read file": only letters, digits and _ . - / are allowed',
      },
    ]);
    expect(r.tools.map((t) => t.name)).toEqual(["read file", "a/b.c-d_E9"]);
  });
  it("AARM3006: a schema file whose title or file name is not a tool name", () => {
    const text = '{"title": "Read File Args", "type": "object"}';
    expect(brief(loadText(text))[0]).toEqual({
      code: "AARM3006",
      sourceId: TOOLS_PATH,
      span: at(text, '"Read File Args"'),
      message: 'invalid tool name "Read File Args": only letters, digits and _ . - / are allowed',
    });
    const r = load({ "/p/my tool.json": '{"type": "object"}' }, { path: "./my tool.json" });
    expect(brief(r)).toEqual([
      {
        code: "AARM3006",
        sourceId: POLICY_PATH,
        span: at(r.policy, '"./my tool.json"'),
        message: 'invalid tool name "my tool": only letters, digits and _ . - / are allowed',
      },
    ]);
  });
  it("AARM3007: duplicate names keep the first, with a related span", () => {
    const text =
      '[{"name": "a", "inputSchema": {"type": "object"}}, {"name": "a", "inputSchema": {"type": "string"}}]';
    const r = loadText(text, "db");
    expect(brief(r).map((d) => [d.code, d.span])).toEqual([
      ["AARM3012", at(text, '"string"')],
      ["AARM3007", at(text, '"a"', 1)],
    ]);
    expect(r.diagnostics[1]?.message).toBe('duplicate tool name "a"');
    expect(r.diagnostics[1]?.related).toEqual([
      { sourceId: TOOLS_PATH, span: at(text, '"a"'), message: "first defined here" },
    ]);
    expect(r.tools.map((t) => [t.name, t.input.additional])).toEqual([["db.a", true]]);
  });
  it("AARM3008: a tool without inputSchema, at its name (still loaded)", () => {
    const text = '{"tools": [{"name": "x"}]}';
    const r = loadText(text);
    expect(brief(r)).toEqual([
      {
        code: "AARM3008",
        sourceId: TOOLS_PATH,
        span: at(text, '"x"'),
        message: 'tool "x" has no inputSchema',
      },
    ]);
    expect(r.tools.map((t) => t.name)).toEqual(["x"]);
  });
  it("AARM3009: fields of the wrong JSON type", () => {
    const text =
      '[{"name": "x", "description": 3, "annotations": [], "outputSchema": 1, "inputSchema": "object"}]';
    expect(brief(loadText(text))).toEqual([
      {
        code: "AARM3009",
        sourceId: TOOLS_PATH,
        span: at(text, "3"),
        message: '"description" must be a string; found a number',
      },
      {
        code: "AARM3009",
        sourceId: TOOLS_PATH,
        span: at(text, "[]"),
        message: '"annotations" must be an object; found an array',
      },
      {
        code: "AARM3009",
        sourceId: TOOLS_PATH,
        span: at(text, "1"),
        message: '"outputSchema" must be a JSON Schema object; found a number',
      },
      {
        code: "AARM3009",
        sourceId: TOOLS_PATH,
        span: at(text, '"object"'),
        message: '"inputSchema" must be a JSON Schema object; found a string',
      },
    ]);
  });
  it("AARM3017: an empty tools list is a warning", () => {
    const text = '{"tools": []}';
    const r = loadText(text);
    expect(brief(r)).toEqual([
      {
        code: "AARM3017",
        sourceId: TOOLS_PATH,
        span: at(text, "["),
        message: "the tools file declares no tools",
      },
    ]);
    expect(r.diagnostics[0]?.severity).toBe("warning");
  });
});
