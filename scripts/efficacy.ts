/**
 * `npm run efficacy`: replay all recorded AgentDojo sessions through the four suite policies, each compiled into a
 * bundle signed with a throwaway key and loaded through the verifying loader, and print per suite and in total the
 * successful attacks stopped, the benign sessions interrupted, the benign actions blocked, and decisions per
 * second (docs/efficacy.md). Exit status: 0 report printed, 1 a policy or bundle failed, 2 bad arguments or data.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseOptions, USAGE } from "./efficacy/options.js";
import { thisMachine, updateDocs } from "./efficacy/docs.js";
import { detailsReport, jsonReport, textReport } from "./efficacy/report.js";
import { EfficacyError, EfficacyInputError, runEfficacy } from "./efficacy/run.js";

const root = fileURLToPath(new URL("..", import.meta.url));
/** The data set, next to the project. */
export const DEFAULT_DATA = join(
  root,
  "..",
  "shared",
  "data",
  "agentdojo",
  "gpt-4o-2024-05-13.sessions.jsonl.gz",
);

/** Run the command; returns the exit status. */
export async function efficacyMain(
  argv: readonly string[],
  out: (s: string) => void,
  err: (s: string) => void,
  defaults: { readonly data: string; readonly examples: string; readonly docs: string } = {
    data: DEFAULT_DATA,
    examples: join(root, "examples"),
    docs: join(root, "docs", "efficacy.md"),
  },
): Promise<number> {
  const options = parseOptions(argv);
  if (typeof options === "string") {
    err(`efficacy: ${options}\nRun 'npm run efficacy -- --help' for the options.\n`);
    return 2;
  }
  if (options.help) {
    out(USAGE);
    return 0;
  }
  try {
    const machine = thisMachine();
    const result = await runEfficacy({
      data: options.data ?? defaults.data,
      examples: defaults.examples,
      ...(options.suites ? { suites: options.suites } : {}),
    });
    out(options.json ? jsonReport(result) : textReport(result));
    if (options.details) (options.json ? err : out)(detailsReport(result));
    if (options.updateDocs) {
      updateDocs(defaults.docs, textReport(result, false), machine);
      err(`efficacy: wrote the table into ${defaults.docs}\n`);
    }
    return 0;
  } catch (e) {
    if (e instanceof EfficacyInputError) {
      err(`efficacy: ${e.message}\n`);
      return 2;
    }
    if (e instanceof EfficacyError) {
      err(`efficacy: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  efficacyMain(
    process.argv.slice(2),
    (s) => process.stdout.write(s),
    (s) => process.stderr.write(s),
  ).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`efficacy: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(2);
    },
  );
}
