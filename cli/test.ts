/**
 * `aarm test POLICY|BUNDLE [TESTS...] [--coverage] [--threshold N] [--format text|json] [--keys DIR] [--dev]`:
 * replay test files and recorded sessions through a policy and check the decisions they expect (docs/testing.md).
 */
import { existsSync } from "node:fs";
import { dirname, isAbsolute, join } from "node:path";
import { policyText } from "../sessions/conditions.js";
import { runTests } from "../sessions/run-tests.js";
import type { ParsedArgs, UsageError } from "./args.js";
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type Command } from "./command.js";
import type { Io } from "./io.js";
import { loadPolicyInput, POLICY_OPTIONS } from "./policy-input.js";
import { problemText, readTestSources } from "./test-inputs.js";
import { coverageText, testJson, testText, totalsLine } from "./test-report.js";

function threshold(args: ParsedArgs): number | undefined | UsageError {
  const t = args.options.get("threshold");
  if (typeof t !== "string") return undefined;
  const n = Number(t);
  if (t.trim() === "" || !Number.isFinite(n) || n < 0 || n > 100) {
    return { error: `invalid --threshold '${t}' (expected a percentage from 0 to 100)` };
  }
  return n;
}

/** Without test operands, a policy source is tested against the `tests` folder beside it. */
function defaultTests(policy: string, cwd: string): string | undefined {
  if (!policy.endsWith(".aarm")) return undefined;
  const dir = join(dirname(policy), "tests");
  return existsSync(isAbsolute(dir) ? dir : join(cwd, dir)) ? dir : undefined;
}

async function run(args: ParsedArgs, io: Io): Promise<number | UsageError> {
  const [policyArg, ...testArgs] = args.positionals;
  if (policyArg === undefined) return { error: "no policy given" };
  const min = threshold(args);
  if (typeof min === "object") return min;
  const tests =
    testArgs.length > 0 ? testArgs : [defaultTests(policyArg, io.cwd)].filter((t) => t !== undefined);
  if (tests.length === 0) return { error: "no test files given (and no tests/ folder beside the policy)" };
  const json = args.options.get("format") === "json";
  const wantCoverage = json || args.options.has("coverage") || min !== undefined;

  const { sources, problems } = readTestSources(tests, io.cwd);
  if (problems.length > 0) {
    io.err(problemText(problems));
    io.err("aarm test: the test files have errors; nothing was run\n");
    return EXIT_USAGE;
  }
  const input = await loadPolicyInput(policyArg, args.options, io, "aarm test");
  if (!input) return EXIT_USAGE;
  const { policy } = input;
  const result = runTests(policy, sources, { coverage: wantCoverage });
  const coverage = result.coverage?.report(policyText(input.source));
  const belowThreshold = min !== undefined && coverage !== undefined && coverage.rules.percent < min;
  if (json) {
    io.out(`${JSON.stringify(testJson(policy, result, coverage), null, 2)}\n`);
  } else {
    io.out(`${policy.ir.name}${policy.ir.version ? ` ${policy.ir.version}` : ""}\n`);
    io.out(testText(policy, result));
    if (coverage && args.options.has("coverage")) io.out(coverageText(coverage));
    else if (coverage)
      io.out(
        `rule coverage ${coverage.rules.percent}% (${coverage.rules.covered} of ${coverage.rules.total})\n`,
      );
    if (belowThreshold)
      io.out(`rule coverage ${coverage.rules.percent}% is below the threshold of ${min}%\n`);
    io.out(totalsLine(result));
  }
  return result.failed > 0 || belowThreshold ? EXIT_FAILURE : EXIT_OK;
}

/** The `test` command. */
export const testCommand: Command = {
  name: "test",
  summary: "check a policy's decisions against test files and recorded sessions",
  operands: "POLICY|BUNDLE [TESTS...]",
  description:
    "Replay each test (a test file's entries, *.json; or recorded sessions, *.jsonl[.gz]; a folder means the\n" +
    "files under it) through the policy and check the decisions it expects. POLICY is a source (.aarm, compiled\n" +
    "in memory; without TESTS, its tests/ folder is used) or a bundle folder verified against --keys (or, with\n" +
    "--dev, loaded unsigned). A failure shows the action, the expected and the actual decision, and the rules\n" +
    "that decided. --coverage lists the rules no test exercised and the conditions that never took an outcome.\n" +
    "See docs/testing.md.",
  options: [
    { name: "coverage", kind: "boolean", description: "report rule and condition coverage" },
    { name: "threshold", kind: "string", valueName: "N", description: "fail below N% rule coverage" },
    {
      name: "format",
      kind: "string",
      choices: ["text", "json"],
      description: "output format (default text)",
    },
    ...POLICY_OPTIONS,
  ],
  exitStatus:
    "0 every test passed, 1 a test failed or coverage is below the threshold, 2 usage or input error.",
  run,
};
