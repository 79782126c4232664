/**
 * compiler/: the façade (cel-es style): parse → load schemas → check → (later) lower.
 */
import type { Diagnostic, Policy, Source } from "../language/index.js";
import { parse, sortDiagnostics } from "../language/index.js";
import { type CompilerHost, nodeHost, readSource } from "./host.js";

export { memoryHost, nodeHost, readSource, type CompilerHost } from "./host.js";
export * from "./types.js";

export interface CheckResult {
  /** The policy file (undefined when it could not be read). */
  readonly source: Source | undefined;
  readonly ast: Policy | undefined;
  /** Every diagnostic, sorted; a diagnostic's sourceId may name a schema file. */
  readonly diagnostics: readonly Diagnostic[];
  /** Every source read (the policy and its schema files), by id, for rendering code frames. */
  readonly sources: ReadonlyMap<string, Source>;
}

/** Parse and check one policy file. Never throws. */
export function checkFile(path: string, host: CompilerHost = nodeHost): CheckResult {
  const read = readSource(host, path);
  if ("diagnostic" in read) {
    return { source: undefined, ast: undefined, diagnostics: [read.diagnostic], sources: new Map() };
  }
  return checkSource(read.source, host);
}

/** Parse and check a policy whose text is already in memory. */
export function checkSource(source: Source, _host: CompilerHost = nodeHost): CheckResult {
  const parsed = parse(source);
  const sources = new Map<string, Source>([[source.id, source]]);
  return { source, ast: parsed.ast, diagnostics: sortDiagnostics(parsed.diagnostics), sources };
}
