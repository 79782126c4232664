/**
 * Tool schema loading: MCP `tools/list` results and JSON Schema files → ToolSchema (compiler/types.ts).
 *
 * Pipeline for one `tools from "..."` declaration: resolve the path against the policy file and read it (strict
 * UTF-8) → parse strict JSON with positions (json.ts) → recognise one of the accepted shapes (shapes.ts) → per
 * tool, check its fields, validate its schemas with ajv and convert them to Types (tool.ts, validate.ts,
 * to-type.ts) → check names (alphabet, duplicates) and apply the `as` prefix. Diagnostics point into the tools
 * file, except those about the file as a whole, which point at the path string in the policy.
 */
import type { Diagnostic, Source, ToolsDecl } from "../../language/index.js";
import { DiagnosticBag, schema as codes, syntax } from "../../language/index.js";
import { type CompilerHost, readSource } from "../host.js";
import type { ToolSchema } from "../types.js";
import { parseJson } from "./json.js";
import { recognizeShape } from "./shapes.js";
import { type FileCtx, readSchemaFileTool, readToolEntry, TOOL_NAME, type ToolCandidate } from "./tool.js";

export { SCHEMA_KEYWORDS, type Shape } from "./shapes.js";
export { asInputObject, schemaToType, type ToTypeIssue, type ToTypeOptions } from "./to-type.js";
export { createAjv, type Dialect, DIALECT_URI, schemaDialect } from "./validate.js";
export { TOOL_NAME } from "./tool.js";

/** What loading one `tools from` declaration yields. */
export interface LoadedTools {
  /** The tools, names already prefixed with the `as` alias (`db.query`). */
  readonly tools: readonly ToolSchema[];
  /** Problems, with sourceId = the schema file (span inside it) or the policy (span of the `tools from` string). */
  readonly diagnostics: readonly Diagnostic[];
  /** The schema files read, by id, for code frames. */
  readonly sources: readonly Source[];
}

/**
 * Load the tools one `tools from "..."` declaration names. Never throws.
 *
 * The file may be an MCP `tools/list` result (`{"tools": [...]}`), the JSON-RPC response carrying one, a bare
 * array of tools, or one JSON Schema for a single tool (named by its `title`, else by the file name); see
 * shapes.ts. Tools that cannot be named are skipped; tools with unusable schemas are kept with untyped arguments
 * so that rules naming them do not cascade into further errors.
 */
export function loadTools(host: CompilerHost, policyPath: string, decl: ToolsDecl): LoadedTools {
  const bag = new DiagnosticBag();
  const sources: Source[] = [];
  try {
    const tools = load(host, policyPath, decl, bag, sources);
    return { tools, diagnostics: bag.items, sources };
  } catch (e) {
    // Not expected (every stage reports instead of throwing); kept so that a bug cannot crash `aarm check`.
    const reason = `internal error while loading: ${e instanceof Error ? e.message : String(e)}`;
    bag.add(
      codes.unreadableToolsFile(policyPath, decl.path.span, {
        path: JSON.stringify(decl.path.value),
        reason,
      }),
    );
    return { tools: [], diagnostics: bag.items, sources };
  }
}

function load(
  host: CompilerHost,
  policyPath: string,
  decl: ToolsDecl,
  bag: DiagnosticBag,
  sources: Source[],
): ToolSchema[] {
  const source = read(host, policyPath, decl, bag);
  if (source === undefined) return [];
  sources.push(source);
  const parsed = parseJson(source);
  bag.addAll(parsed.diagnostics);
  if (parsed.root === undefined) return [];

  const ctx: FileCtx = { source, policyPath, decl, bag };
  const shape = recognizeShape(ctx, parsed.root);
  const candidates: ToolCandidate[] = [];
  if (shape.kind === "schema") candidates.push(readSchemaFileTool(ctx, shape.root));
  else if (shape.kind === "list") {
    const entries = shape.array.children ?? [];
    if (entries.length === 0) {
      bag.add(codes.noTools(source.id, { start: shape.array.offset, end: shape.array.offset + 1 }, {}));
    }
    for (const entry of entries) {
      const c = readToolEntry(ctx, entry);
      if (c !== undefined) candidates.push(c);
    }
  }
  return finishNames(candidates, decl, bag);
}

/** Read the file; AARM3001 at the path string when it cannot be read or is not UTF-8. */
function read(
  host: CompilerHost,
  policyPath: string,
  decl: ToolsDecl,
  bag: DiagnosticBag,
): Source | undefined {
  const path = JSON.stringify(decl.path.value);
  let resolved: string;
  try {
    resolved = host.resolve(policyPath, decl.path.value);
  } catch (e) {
    bag.add(
      codes.unreadableToolsFile(policyPath, decl.path.span, {
        path,
        reason: e instanceof Error ? e.message : String(e),
      }),
    );
    return undefined;
  }
  const result = readSource(host, resolved);
  if ("source" in result) return result.source;
  const d = result.diagnostic;
  const reason =
    d.code === syntax.invalidUtf8.code
      ? `not valid UTF-8 (first bad byte at offset ${String(d.data?.["offset"])})`
      : String(d.data?.["reason"] ?? d.message);
  bag.add(codes.unreadableToolsFile(policyPath, decl.path.span, { path, reason }));
  return undefined;
}

/** Check names (alphabet, duplicates: the first wins) and apply the `as` prefix. */
function finishNames(
  candidates: readonly ToolCandidate[],
  decl: ToolsDecl,
  bag: DiagnosticBag,
): ToolSchema[] {
  const first = new Map<string, ToolCandidate>();
  const tools: ToolSchema[] = [];
  const prefix = decl.alias === undefined ? "" : `${decl.alias.name}.`;
  for (const c of candidates) {
    const shown = JSON.stringify(c.name);
    if (!TOOL_NAME.test(c.name))
      bag.add(codes.invalidToolName(c.nameAt.sourceId, c.nameAt.span, { name: shown }));
    const prev = first.get(c.name);
    if (prev !== undefined) {
      const related = [
        { sourceId: prev.nameAt.sourceId, span: prev.nameAt.span, message: "first defined here" },
      ];
      bag.add(codes.duplicateToolName(c.nameAt.sourceId, c.nameAt.span, { name: shown }, { related }));
      continue;
    }
    first.set(c.name, c);
    tools.push(prefix === "" ? c.tool : { ...c.tool, name: prefix + c.name });
  }
  return tools;
}
