/**
 * compiler/: the façade (cel-es style): parse → load schemas → check → (later) lower.
 */
import type { Diagnostic, Policy, Source, ToolsDecl } from "../language/index.js";
import { hasErrors, parse, sortDiagnostics } from "../language/index.js";
import { checkPolicy, type ToolFile } from "./check/index.js";
import { type CompilerHost, nodeHost, readSource } from "./host.js";
import type { CheckedPolicy } from "./model.js";
import { loadTools } from "./schema/index.js";

export { memoryHost, nodeHost, readSource, type CompilerHost } from "./host.js";
export * from "./types.js";
export type * from "./model.js";
export { DEFAULT_PRIORITY, MAX_PRIORITY } from "./model.js";
export { checkPolicy, type CheckInput, type CheckOutput, type ToolFile } from "./check/index.js";

export interface CheckResult {
  /** The policy file (undefined when it could not be read). */
  readonly source: Source | undefined;
  readonly ast: Policy | undefined;
  /** Every diagnostic, sorted; a diagnostic's sourceId may name a schema file. */
  readonly diagnostics: readonly Diagnostic[];
  /** Every source read (the policy and its schema files), by id, for rendering code frames. */
  readonly sources: ReadonlyMap<string, Source>;
  /** The checked policy, present exactly when there is no error. */
  readonly model?: CheckedPolicy;
}

/** Parse and check one policy file. Never throws. */
export function checkFile(path: string, host: CompilerHost = nodeHost): CheckResult {
  const read = readSource(host, path);
  if ("diagnostic" in read) {
    return { source: undefined, ast: undefined, diagnostics: [read.diagnostic], sources: new Map() };
  }
  return checkSource(read.source, host);
}

/** Parse and check a policy whose text is already in memory. Schema paths resolve against `source.id`. */
export function checkSource(source: Source, host: CompilerHost = nodeHost): CheckResult {
  const parsed = parse(source);
  const sources = new Map<string, Source>([[source.id, source]]);
  const diagnostics: Diagnostic[] = [...parsed.diagnostics];
  const toolFiles: ToolFile[] = [];
  for (const decl of parsed.ast.decls) {
    if (decl.kind !== "ToolsDecl") continue;
    const loaded = loadTools(host, source.id, decl as ToolsDecl);
    diagnostics.push(...loaded.diagnostics);
    for (const s of loaded.sources) sources.set(s.id, s);
    toolFiles.push({ decl, tools: loaded.tools, failed: hasErrors(loaded.diagnostics) });
  }
  const checked = checkPolicy({
    source,
    ast: parsed.ast,
    toolFiles,
    syntaxErrors: hasErrors(parsed.diagnostics),
  });
  diagnostics.push(...checked.diagnostics);
  const model = hasErrors(diagnostics) ? undefined : checked.model;
  return {
    source,
    ast: parsed.ast,
    diagnostics: sortDiagnostics(diagnostics),
    sources,
    ...(model ? { model } : {}),
  };
}
