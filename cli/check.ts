/**
 * `aarm check [--format text|json] [--quiet] FILE|DIR...`: check policies and report diagnostics.
 */
import { checkFile } from "../compiler/index.js";
import { DiagnosticBag, hasErrors, type Source } from "../language/index.js";
import { renderDiagnostics, renderSummary, toJsonDiagnostic } from "../language/diagnostics/render.js";
import type { ParsedArgs, UsageError } from "./args.js";
import { EXIT_FAILURE, EXIT_OK, type Command } from "./command.js";
import { expandPaths } from "./files.js";
import { displayPath, useColor, type Io } from "./io.js";
import { expectLongRunOn } from "./tiering.js";

/** Expand the operands into policy files, or say why there are none to check. */
export function policyFiles(operands: readonly string[]): { readonly files: readonly string[] } | UsageError {
  if (operands.length === 0) return { error: "no files given" };
  const { files, emptyDirectories } = expandPaths(operands);
  const empty = emptyDirectories[0];
  if (empty !== undefined) return { error: `no .aarm files under '${empty}'` };
  return { files };
}

function run(args: ParsedArgs, io: Io): number | UsageError {
  const expanded = policyFiles(args.positionals);
  if ("error" in expanded) return expanded;
  expectLongRunOn(expanded.files);
  const bag = new DiagnosticBag();
  const sources = new Map<string, Source>();
  for (const file of expanded.files) {
    const result = checkFile(file);
    bag.addAll(result.diagnostics);
    for (const [id, s] of result.sources) sources.set(id, s);
  }
  const all = bag.items;
  const shown = args.options.has("quiet") ? all.filter((d) => d.severity === "error") : all;
  const displayName = displayPath(io.cwd);
  if (args.options.get("format") === "json") {
    io.out(
      `${JSON.stringify(
        shown.map((d) => toJsonDiagnostic(d, sources, { displayName })),
        null,
        2,
      )}\n`,
    );
  } else if (shown.length > 0) {
    io.out(renderDiagnostics(shown, sources, { color: useColor(io), displayName }));
    if (!args.options.has("quiet")) io.out(`\n${renderSummary(shown)}\n`);
  }
  return hasErrors(all) ? EXIT_FAILURE : EXIT_OK;
}

/** The `check` command. */
export const checkCommand: Command = {
  name: "check",
  summary: "check policies against their tool schemas",
  operands: "FILE|DIR...",
  description:
    "Parse and type-check each policy and report diagnostics. A directory means every .aarm file under it\n" +
    "(hidden folders, node_modules and dist are skipped).",
  options: [
    {
      name: "format",
      kind: "string",
      choices: ["text", "json"],
      description: "output format (default text)",
    },
    {
      name: "quiet",
      short: "q",
      kind: "boolean",
      description: "report errors only, without the summary line",
    },
  ],
  exitStatus: "0 no errors (warnings are allowed), 1 errors found, 2 usage error.",
  run,
};
