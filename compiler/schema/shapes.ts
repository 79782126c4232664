/**
 * The four shapes a tools file may have, recognised from the root of its JSON tree:
 *
 * 1. an MCP `tools/list` result: `{ "tools": [ { "name", "description"?, "inputSchema", "outputSchema"?,
 *    "annotations"? }, ... ] }` (other members such as `nextCursor` or `_meta` are ignored);
 * 2. the JSON-RPC 2.0 response that carries it: `{ "jsonrpc": "2.0", "id": ..., "result": { "tools": [...] } }`;
 * 3. a bare array of tools: `[ { "name", "inputSchema", ... }, ... ]`;
 * 4. a single JSON Schema describing one tool's arguments: an object with at least one JSON Schema keyword
 *    (`type`, `properties`, `$schema`, `$ref`, ...) and none of `tools`, `jsonrpc`, `result`, `error`. The tool is
 *    named by the schema's `title`, else by the file's base name without its extension.
 *
 * Anything else is AARM3003, which names the accepted shapes.
 */
import { schema as codes } from "../../language/index.js";
import { anchorSpan, describeNode, type JsonNode, member } from "./json.js";
import type { FileCtx } from "./tool.js";

/** What the root of a tools file turned out to be. */
export type Shape =
  | { readonly kind: "list"; readonly array: JsonNode }
  | { readonly kind: "schema"; readonly root: JsonNode }
  | { readonly kind: "unrecognized" };

/** Keywords whose presence makes an object a JSON Schema (shape 4). */
export const SCHEMA_KEYWORDS: readonly string[] = [
  "$schema",
  "$ref",
  "$defs",
  "definitions",
  "type",
  "properties",
  "required",
  "additionalProperties",
  "allOf",
  "anyOf",
  "oneOf",
];

/** Recognise the shape of a tools file; reports AARM3003 when it has none of the four. */
export function recognizeShape(ctx: FileCtx, root: JsonNode): Shape {
  const fail = (at: JsonNode, found: string): Shape => {
    ctx.bag.add(codes.unrecognizedToolsFile(ctx.source.id, anchorSpan(at), { found }));
    return { kind: "unrecognized" };
  };
  if (root.type === "array") return { kind: "list", array: root };
  if (root.type !== "object") return fail(root, describeNode(root));

  const tools = member(root, "tools");
  if (tools !== undefined) return listIn(tools, fail);

  const error = member(root, "error");
  if (error !== undefined && (member(root, "jsonrpc") !== undefined || member(root, "id") !== undefined)) {
    return fail(error, "a JSON-RPC error response");
  }
  const result = member(root, "result");
  if (result !== undefined || member(root, "jsonrpc") !== undefined) {
    if (result === undefined) return fail(root, "a JSON-RPC message without a result");
    const inner = result.type === "object" ? member(result, "tools") : undefined;
    if (inner === undefined) return fail(result, `a JSON-RPC response whose result is ${resultKind(result)}`);
    return listIn(inner, fail);
  }
  if (SCHEMA_KEYWORDS.some((k) => member(root, k) !== undefined)) return { kind: "schema", root };
  return fail(root, "an object with no tools and no JSON Schema keywords");
}

function listIn(tools: JsonNode, fail: (at: JsonNode, found: string) => Shape): Shape {
  if (tools.type === "array") return { kind: "list", array: tools };
  return fail(tools, `"tools" holding ${describeNode(tools)}`);
}

function resultKind(result: JsonNode): string {
  return result.type === "object" ? 'an object without "tools"' : describeNode(result);
}
