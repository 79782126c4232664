/**
 * `aarm fmt [--check|--write] FILE|DIR...`: print policies in canonical form, check that they are, or rewrite
 * them in place. A file with syntax errors is never rewritten; its diagnostics are reported instead.
 */
import { writeFileSync } from "node:fs";
import { nodeHost, readSource } from "../compiler/index.js";
import { hasErrors, type Diagnostic, type Source } from "../language/index.js";
import { renderDiagnostics, renderSummary } from "../language/diagnostics/render.js";
import type { ParsedArgs, UsageError } from "./args.js";
import { policyFiles } from "./check.js";
import { EXIT_FAILURE, EXIT_OK, type Command } from "./command.js";
import { displayPath, useColor, type Io } from "./io.js";

/** The outcome of formatting one file. */
type Formatted =
  | { readonly kind: "ok"; readonly source: Source; readonly text: string }
  | {
      readonly kind: "failed";
      readonly source: Source | undefined;
      readonly diagnostics: readonly Diagnostic[];
    };

/** The formatter, loaded on first use: it pulls in Prettier's document printer, which `check` does not need. */
async function formatter(): Promise<typeof import("../language/print/index.js").formatText> {
  return (await import("../language/print/index.js")).formatText;
}

async function formatFile(path: string): Promise<Formatted> {
  const formatText = await formatter();
  const read = readSource(nodeHost, path);
  if ("diagnostic" in read) return { kind: "failed", source: undefined, diagnostics: [read.diagnostic] };
  const result = formatText(read.source.text, path);
  if ("diagnostics" in result)
    return { kind: "failed", source: read.source, diagnostics: result.diagnostics };
  return { kind: "ok", source: read.source, text: result.formatted };
}

async function run(args: ParsedArgs, io: Io): Promise<number | UsageError> {
  const check = args.options.has("check");
  const write = args.options.has("write");
  if (check && write) return { error: "--check and --write cannot be used together" };
  const expanded = policyFiles(args.positionals);
  if ("error" in expanded) return expanded;
  const displayName = displayPath(io.cwd);
  const failures: Diagnostic[] = [];
  const sources = new Map<string, Source>();
  const changed: string[] = [];
  for (const file of expanded.files) {
    const f = await formatFile(file);
    if (f.source) sources.set(f.source.id, f.source);
    if (f.kind === "failed") {
      failures.push(...f.diagnostics);
      continue;
    }
    if (!check && !write) io.out(f.text);
    if (f.text === f.source.text) continue;
    changed.push(file);
    if (write) writeFileSync(file, f.text);
  }
  if (failures.length > 0) {
    io.err(renderDiagnostics(failures, sources, { color: useColor(io, "stderr"), displayName }));
    io.err(`\n${renderSummary(failures)}\n`);
  }
  if (check || write) for (const file of changed) io.out(`${displayName(file)}\n`);
  if (check && changed.length > 0) {
    const n = changed.length;
    io.err(`${n} file${n === 1 ? "" : "s"} would be reformatted; run 'aarm fmt --write' to fix.\n`);
  }
  return hasErrors(failures) || (check && changed.length > 0) ? EXIT_FAILURE : EXIT_OK;
}

/** The `fmt` command. */
export const fmtCommand: Command = {
  name: "fmt",
  summary: "format policies in canonical style",
  operands: "FILE|DIR...",
  description:
    "Format policies. Without options, print the formatted text; with --check, list the files that are not\n" +
    "formatted; with --write, rewrite them in place and list them. Files with syntax errors are reported and\n" +
    "left alone.",
  options: [
    {
      name: "check",
      kind: "boolean",
      description: "list files that are not formatted; fail if there are any",
    },
    { name: "write", short: "w", kind: "boolean", description: "rewrite files in place" },
  ],
  exitStatus: "0 done, 1 syntax errors (or, with --check, files to reformat), 2 usage error.",
  run,
};
