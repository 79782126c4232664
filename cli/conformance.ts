/**
 * `aarm conformance`: run the project's test suite (or read its results with --from) and report, per AARM
 * requirement in both numberings, how many tests prove it and whether they pass; write conformance/REPORT.md.
 * Exit 1 when a MUST requirement, table row or catalogue item is missing or failing.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import type { ParsedArgs, UsageError } from "./args.js";
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type Command } from "./command.js";
import { conformanceReport, parseVitestJson } from "./conformance/collect.js";
import { renderJson, renderMarkdown, renderText } from "./conformance/render.js";
import type { Io } from "./io.js";

/** Run vitest over the project at `root`, writing its JSON report; returns the report's text. */
function runSuite(root: string, io: Io): string | { error: string } {
  let bin: string;
  try {
    bin = join(dirname(createRequire(join(root, "package.json")).resolve("vitest/package.json")), "vitest.mjs");
  } catch {
    return { error: "the conformance suite needs the project's development dependencies (run 'npm ci' in the project)" };
  }
  const dir = mkdtempSync(join(tmpdir(), "aarm-conformance-"));
  try {
    const out = join(dir, "results.json");
    io.err("running the test suite...\n");
    const r = spawnSync(process.execPath, [bin, "run", "--reporter=dot", "--reporter=json", `--outputFile.json=${out}`], {
      cwd: root,
      stdio: ["ignore", "ignore", "inherit"],
      env: { ...process.env, ...io.env },
    });
    if (r.error) return { error: `could not run the test suite: ${r.error.message}` };
    try {
      return readFileSync(out, "utf8");
    } catch {
      return { error: `the test suite produced no results (vitest exited with ${r.status ?? r.signal})` };
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function run(args: ParsedArgs, io: Io): Promise<number | UsageError> {
  if (args.positionals.length > 0) return { error: `unexpected operand '${args.positionals[0]}'` };
  const from = args.options.get("from");
  const root = resolve(io.cwd, typeof args.options.get("root") === "string" ? (args.options.get("root") as string) : ".");
  let text: string;
  if (typeof from === "string") {
    try {
      text = readFileSync(resolve(io.cwd, from), "utf8");
    } catch (e) {
      io.err(`aarm conformance: cannot read ${from} (${(e as { code?: string }).code ?? String(e)})\n`);
      return EXIT_USAGE;
    }
  } else {
    const r = runSuite(root, io);
    if (typeof r !== "string") {
      io.err(`aarm conformance: ${r.error}\n`);
      return EXIT_USAGE;
    }
    text = r;
  }
  let report;
  try {
    report = conformanceReport(parseVitestJson(text));
  } catch (e) {
    io.err(`aarm conformance: ${e instanceof Error ? e.message : String(e)}\n`);
    return EXIT_USAGE;
  }
  const reportPath = args.options.get("report");
  const target = typeof reportPath === "string" ? resolve(io.cwd, reportPath) : join(root, "conformance", "REPORT.md");
  if (args.options.get("report") !== "-") {
    try {
      writeFileSync(target, renderMarkdown(report));
    } catch (e) {
      io.err(`aarm conformance: cannot write ${target} (${(e as { code?: string }).code ?? String(e)})\n`);
      return EXIT_USAGE;
    }
  }
  io.out(args.options.get("format") === "json" ? renderJson(report) : renderText(report));
  return report.ok ? EXIT_OK : EXIT_FAILURE;
}

/** The `conformance` command. */
export const conformanceCommand: Command = {
  name: "conformance",
  summary: "run the AARM conformance suite and report per requirement",
  operands: "",
  description:
    "Run the project's test suite (or read vitest JSON results with --from) and report, for each AARM\n" +
    "requirement R1-R9 in the current and the seed numbering, the tests that prove it and whether they pass,\n" +
    "plus the spec's conformance table rows and derived catalogue. Writes conformance/REPORT.md (or --report\n" +
    "FILE; '-' writes nothing).",
  options: [
    { name: "from", kind: "string", valueName: "RESULTS.json", description: "read vitest JSON results instead of running the suite" },
    { name: "root", kind: "string", valueName: "DIR", description: "the project to test (default: the working directory)" },
    { name: "report", kind: "string", valueName: "FILE", description: "where to write the markdown report ('-': nowhere)" },
    { name: "format", kind: "string", choices: ["text", "json"], description: "output format (default text)" },
  ],
  exitStatus: "0 every MUST requirement passes, 1 a MUST requirement is missing or failing, 2 usage or input error.",
  run,
};
