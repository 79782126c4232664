/**
 * The command line of `npm run efficacy`: `[--json] [--details] [--data FILE] [--suite NAME]...`. Parsed with the
 * CLI's own parser, so a bad argument is a precise one-line error (exit status 2), as in `aarm`.
 */
import { isUsageError, optionSyntax, parseArgs, type OptionSpec } from "../../cli/args.js";

export interface CommandOptions {
  readonly json: boolean;
  readonly details: boolean;
  readonly updateDocs: boolean;
  readonly help: boolean;
  readonly data?: string;
  readonly suites?: readonly string[];
}

export const SPECS: readonly OptionSpec[] = [
  {
    name: "json",
    kind: "boolean",
    description: "print the figures as JSON: {total, suites, stoppedBy, speed, others, bundles}",
  },
  {
    name: "details",
    kind: "boolean",
    description: "also list every attack not stopped and every benign session interrupted, with the reasons",
  },
  {
    name: "update-docs",
    kind: "boolean",
    description: "also write the table, with the date and the machine, into docs/efficacy.md",
  },
  {
    name: "data",
    kind: "string",
    valueName: "FILE",
    description:
      "the AgentDojo sessions (JSONL, gzip-compressed if .gz; default: the data set next to the project)",
  },
  {
    name: "suite",
    kind: "string",
    valueName: "NAME",
    repeatable: true,
    description: "only this suite (banking, slack, travel, workspace); may be repeated",
  },
  { name: "help", short: "h", kind: "boolean", description: "show this help" },
];

export const USAGE = `usage: npm run efficacy -- [options]

Replays every recorded AgentDojo session through the signed bundle of its suite's example policy
(examples/agentdojo-SUITE/policy.aarm) and reports attacks stopped and benign sessions interrupted.

options:
${SPECS.map((s) => `  ${optionSyntax(s, true).padEnd(22)} ${s.description}`).join("\n")}

exit status: 0 report printed, 1 a policy or bundle failed, 2 bad arguments or unreadable data
`;

/** Parse the arguments; a string is the usage error. */
export function parseOptions(argv: readonly string[]): CommandOptions | string {
  const parsed = parseArgs(argv, SPECS);
  if (isUsageError(parsed)) return parsed.error;
  if (parsed.positionals.length > 0) return `unexpected argument '${parsed.positionals[0]}' (options only)`;
  const data = parsed.options.get("data");
  const suites = parsed.lists?.get("suite");
  if (data === "") return "option --data FILE needs a non-empty value";
  if (parsed.options.has("update-docs") && (data !== undefined || suites !== undefined)) {
    return "--update-docs writes the full run's table: use it without --data and --suite";
  }
  const bad = suites?.find((s) => !/^[a-z][a-z0-9_-]*$/.test(s));
  if (bad !== undefined) return `invalid value '${bad}' for --suite (a suite name such as 'banking')`;
  return {
    json: parsed.options.has("json"),
    details: parsed.options.has("details"),
    updateDocs: parsed.options.has("update-docs"),
    help: parsed.options.has("help"),
    ...(typeof data === "string" ? { data } : {}),
    ...(suites ? { suites } : {}),
  };
}
