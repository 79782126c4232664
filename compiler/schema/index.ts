/**
 * Tool schema loading: MCP `tools/list` results and JSON Schema files → ToolSchema (compiler/types.ts).
 * (Contract; implementation in progress.)
 */
import type { Diagnostic, Source, ToolsDecl } from "../../language/index.js";
import type { CompilerHost } from "../host.js";
import type { ToolSchema } from "../types.js";

export interface LoadedTools {
  /** The tools, names already prefixed with the `as` alias (`db.query`). */
  readonly tools: readonly ToolSchema[];
  /** Problems, with sourceId = the schema file (span inside it) or the policy (span of the `tools from` string). */
  readonly diagnostics: readonly Diagnostic[];
  /** The schema files read, by id, for code frames. */
  readonly sources: readonly Source[];
}

/** Load the tools one `tools from "..."` declaration names. Never throws. */
export function loadTools(host: CompilerHost, policyPath: string, decl: ToolsDecl): LoadedTools {
  void host;
  void policyPath;
  void decl;
  throw new Error("loadTools: not implemented yet");
}
