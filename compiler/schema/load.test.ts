import { describe, expect, it } from "vitest";
import { type ObjectType, type Property, type Type, T_ANY, T_BOOLEAN, T_NULL } from "../types.js";
import { fixture, inputOf, load, loadText, TOOLS_PATH } from "./test-support/harness.js";

const S: Type = { kind: "string" };
const N: Type = { kind: "number", integer: false };
const prop = (type: Type, required = false, description?: string): Property =>
  description === undefined ? { type, required } : { type, required, description };
const obj = (props: Record<string, Property>, additional: Type | boolean = true): ObjectType => ({
  kind: "object",
  properties: new Map(Object.entries(props)),
  additional,
});

const ONE_TOOL = { name: "ping", inputSchema: { type: "object", properties: { host: { type: "string" } } } };

describe("loadTools: shapes", () => {
  it("reads an MCP tools/list result", () => {
    const r = loadText(JSON.stringify({ tools: [ONE_TOOL], nextCursor: "abc" }));
    expect(r.diagnostics).toEqual([]);
    expect(r.tools.map((t) => t.name)).toEqual(["ping"]);
    expect(inputOf(r, "ping")).toEqual(obj({ host: prop(S) }));
  });
  it("reads a JSON-RPC response carrying a tools/list result", () => {
    const r = loadText(JSON.stringify({ jsonrpc: "2.0", id: 7, result: { tools: [ONE_TOOL] } }));
    expect(r.diagnostics).toEqual([]);
    expect(r.tools.map((t) => t.name)).toEqual(["ping"]);
  });
  it("reads a bare array of tools", () => {
    const r = loadText(JSON.stringify([ONE_TOOL, { ...ONE_TOOL, name: "pong" }]));
    expect(r.diagnostics).toEqual([]);
    expect(r.tools.map((t) => t.name)).toEqual(["ping", "pong"]);
  });
  it("reads a single JSON Schema named by its title", () => {
    const schema = {
      title: "send_email",
      description: "Send mail",
      type: "object",
      properties: { to: { type: "string", format: "email" } },
      required: ["to"],
    };
    const r = loadText(JSON.stringify(schema));
    expect(r.diagnostics).toEqual([]);
    expect(r.tools).toEqual([
      {
        name: "send_email",
        description: "Send mail",
        input: obj({ to: prop({ kind: "string", format: "email" }, true) }),
        rawInputSchema: schema,
        sourceFile: TOOLS_PATH,
      },
    ]);
  });
  it("names an untitled JSON Schema after its file, resolved against the policy's directory", () => {
    const r = load(
      { "/schemas/read_file.schema.json": '{"type": "object"}' },
      { path: "../schemas/read_file.schema.json" },
    );
    expect(r.diagnostics).toEqual([]);
    expect(r.tools.map((t) => [t.name, t.sourceFile])).toEqual([
      ["read_file.schema", "/schemas/read_file.schema.json"],
    ]);
    expect(r.sources.map((s) => s.id)).toEqual(["/schemas/read_file.schema.json"]);
  });
  it("prefixes names with the `as` alias", () => {
    expect(loadText(JSON.stringify({ tools: [ONE_TOOL] }), "net").tools.map((t) => t.name)).toEqual([
      "net.ping",
    ]);
    expect(loadText('{"title": "query", "type": "object"}', "db").tools.map((t) => t.name)).toEqual([
      "db.query",
    ]);
  });
  it("returns the source of the tools file, even when it is not JSON", () => {
    const r = loadText("{nope");
    expect(r.sources).toEqual([{ id: TOOLS_PATH, text: "{nope" }]);
    expect(r.tools).toEqual([]);
  });
  it("keeps the raw inputSchema as JSON.parse would, including a __proto__ key", () => {
    const text =
      '{"tools": [{"name": "x", "inputSchema": {"type": "object", "properties": {"__proto__": {"type": "string"}}}}]}';
    const tool = loadText(text).tools[0];
    expect(tool?.rawInputSchema).toEqual(
      (JSON.parse(text) as { tools: { inputSchema: unknown }[] }).tools[0]?.inputSchema,
    );
    const raw = tool?.rawInputSchema as { properties: object };
    expect(Object.getPrototypeOf(raw.properties)).toBe(Object.prototype);
    expect(Object.keys(raw.properties)).toEqual(["__proto__"]);
    expect(tool?.input.properties.get("__proto__")).toEqual(prop(S));
  });
});

describe("loadTools: @modelcontextprotocol/server-filesystem", () => {
  const text = fixture("filesystem.tools.json");
  const r = loadText(text);

  it("loads every tool without diagnostics", () => {
    expect(r.diagnostics).toEqual([]);
    expect(r.tools.map((t) => t.name)).toEqual([
      "read_text_file",
      "write_file",
      "edit_file",
      "list_directory",
      "move_file",
    ]);
  });
  it("types read_text_file (draft-07, closed object) and its outputSchema", () => {
    expect(inputOf(r, "read_text_file")).toEqual(
      obj(
        {
          path: prop(S, true),
          tail: prop(N, false, "If provided, returns only the last N lines of the file"),
          head: prop(N, false, "If provided, returns only the first N lines of the file"),
        },
        false,
      ),
    );
    const tool = r.tools.find((t) => t.name === "read_text_file");
    expect(tool?.output).toEqual(obj({ content: prop(S, true) }, false));
    expect(tool?.annotations).toEqual({ readOnlyHint: true });
    expect(tool?.description).toMatch(/^Read the complete contents/);
  });
  it("types write_file, list_directory and move_file", () => {
    expect(inputOf(r, "write_file")).toEqual(obj({ path: prop(S, true), content: prop(S, true) }, false));
    expect(inputOf(r, "list_directory")).toEqual(obj({ path: prop(S, true) }, false));
    expect(inputOf(r, "move_file")).toEqual(
      obj({ source: prop(S, true), destination: prop(S, true) }, false),
    );
  });
  it("types edit_file's edits as a list of {oldText, newText}", () => {
    const edit = obj(
      {
        oldText: prop(S, true, "Text to search for - must match exactly"),
        newText: prop(S, true, "Text to replace with"),
      },
      false,
    );
    expect(inputOf(r, "edit_file")).toEqual(
      obj(
        {
          path: prop(S, true),
          edits: prop({ kind: "list", element: edit }, true),
          dryRun: prop(T_BOOLEAN, false, "Preview changes using git-style diff format"),
        },
        false,
      ),
    );
  });
  it("keeps each raw inputSchema for the runtime validator", () => {
    const parsed = JSON.parse(text) as { tools: { inputSchema: unknown }[] };
    expect(r.tools.map((t) => t.rawInputSchema)).toEqual(parsed.tools.map((t) => t.inputSchema));
  });
});

describe("loadTools: GitHub-style server (JSON-RPC response)", () => {
  const r = loadText(fixture("github.tools.json"), "gh");

  it("loads every tool with the alias prefix and no diagnostics", () => {
    expect(r.diagnostics).toEqual([]);
    expect(r.tools.map((t) => t.name)).toEqual([
      "gh.list_issues",
      "gh.update_issue_state",
      "gh.search_code",
      "gh.run_workflow",
    ]);
  });
  it("types enums, formats, arrays and integer bounds", () => {
    const t = inputOf(r, "gh.list_issues");
    expect(t.properties.get("state")).toEqual(
      prop({ kind: "string", enum: ["open", "closed", "all"] }, false, "Filter by state"),
    );
    expect(t.properties.get("labels")).toEqual(prop({ kind: "list", element: S }, false, "Filter by labels"));
    expect(t.properties.get("since")?.type).toEqual({ kind: "string", format: "date-time" });
    expect(t.properties.get("perPage")?.type).toEqual({
      kind: "number",
      integer: true,
      minimum: 1,
      maximum: 100,
    });
    expect(t.properties.get("owner")?.required).toBe(true);
    expect(t.additional).toBe(true);
  });
  it("types a oneOf as a union of object shapes", () => {
    const change = inputOf(r, "gh.update_issue_state").properties.get("change");
    expect(change).toEqual(
      prop(
        {
          kind: "union",
          members: [
            obj({
              state: prop({ kind: "string", enum: ["closed"] }, true),
              state_reason: prop({ kind: "string", enum: ["completed", "not_planned", "duplicate"] }),
            }),
            obj({ state: prop({ kind: "string", enum: ["open"] }, true) }),
          ],
        },
        true,
      ),
    );
    expect(inputOf(r, "gh.update_issue_state").properties.get("issue_number")?.type).toEqual({
      kind: "number",
      integer: true,
      exclusiveMinimum: 0,
    });
  });
  it("unrolls the recursive $defs filter twice and cuts it with any", () => {
    const t = inputOf(r, "gh.search_code");
    const term = prop({ kind: "string", minLength: 1 });
    const inner = obj({ term, all: prop({ kind: "list", element: T_ANY }) });
    expect(t.properties.get("filter")).toEqual(
      prop(obj({ term, all: prop({ kind: "list", element: inner }) }), true),
    );
    expect(t.properties.get("limit")?.type).toEqual({
      kind: "union",
      members: [{ kind: "number", integer: true, maximum: 1000 }, T_NULL],
    });
  });
  it("types additionalProperties as a map", () => {
    expect(inputOf(r, "gh.run_workflow").properties.get("inputs")).toEqual(prop(obj({}, S)));
  });
});
