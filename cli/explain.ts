/**
 * `aarm explain POLICY|BUNDLE SESSION --action N|ID [--session ID] [--format text|json] [--keys DIR] [--dev]`:
 * why one action of a recorded session (or of a test) got its decision (docs/testing.md).
 */
import { isAbsolute, join } from "node:path";
import { policyText } from "../sessions/conditions.js";
import { explainAction } from "../sessions/explain.js";
import type { ParsedArgs, UsageError } from "./args.js";
import { EXIT_OK, EXIT_USAGE, type Command } from "./command.js";
import type { Io } from "./io.js";
import { loadPolicyInput, POLICY_OPTIONS } from "./policy-input.js";
import { explainText } from "./explain-text.js";
import { problemText, readTestSource } from "./test-inputs.js";

async function run(args: ParsedArgs, io: Io): Promise<number | UsageError> {
  const [policyArg, sessionArg, ...extra] = args.positionals;
  if (policyArg === undefined) return { error: "no policy given" };
  if (sessionArg === undefined) return { error: "no session file given" };
  if (extra.length > 0) return { error: "explain takes one policy and one session file" };
  const actionOption = args.options.get("action");
  if (typeof actionOption !== "string") return { error: "--action N|ID is required" };
  const target = /^[0-9]+$/.test(actionOption) ? Number(actionOption) : actionOption;

  const src = readTestSource(isAbsolute(sessionArg) ? sessionArg : join(io.cwd, sessionArg), sessionArg);
  if (!("sessions" in src)) {
    io.err(problemText([src]));
    return EXIT_USAGE;
  }
  const wanted = args.options.get("session");
  const candidates = typeof wanted === "string" ? src.sessions.filter((s) => s.id === wanted) : src.sessions;
  if (candidates.length !== 1) {
    const ids = src.sessions.map((s) => JSON.stringify(s.id));
    const list = `${ids.slice(0, 10).join(", ")}${ids.length > 10 ? `, … (${ids.length} in all)` : ""}`;
    io.err(
      typeof wanted === "string"
        ? `aarm explain: ${sessionArg}: no session ${JSON.stringify(wanted)}; it has ${list}\n`
        : `aarm explain: ${sessionArg} holds ${ids.length} sessions; choose one with --session ID: ${list}\n`,
    );
    return EXIT_USAGE;
  }
  const input = await loadPolicyInput(policyArg, args.options, io, "aarm explain");
  if (!input) return EXIT_USAGE;
  const x = explainAction(input.policy, candidates[0]!, target, policyText(input.source));
  if (typeof x === "string") {
    io.err(`aarm explain: ${sessionArg}: ${x}\n`);
    return EXIT_USAGE;
  }
  io.out(args.options.get("format") === "json" ? `${JSON.stringify(x, null, 2)}\n` : explainText(x));
  return EXIT_OK;
}

/** The `explain` command. */
export const explainCommand: Command = {
  name: "explain",
  summary: "explain the decision on one action of a recorded session",
  operands: "POLICY|BUNDLE SESSION",
  description:
    "Replay SESSION (recorded sessions, *.jsonl[.gz], or a test file, *.json) up to the action --action names (a\n" +
    "1-based number or an action id) and show the decision, every rule of the tool in the order they are\n" +
    "considered, each condition with the values it saw (redacted where the policy redacts them), and for an\n" +
    "action that was not let through the nearest rule that would have allowed it and what would have had to be\n" +
    "different. POLICY is loaded as by 'aarm test'. See docs/testing.md.",
  options: [
    { name: "action", short: "a", kind: "string", valueName: "N|ID", description: "the action to explain" },
    {
      name: "session",
      short: "s",
      kind: "string",
      valueName: "ID",
      description: "the session, when the file holds several",
    },
    {
      name: "format",
      kind: "string",
      choices: ["text", "json"],
      description: "output format (default text)",
    },
    ...POLICY_OPTIONS,
  ],
  exitStatus: "0 explained, 2 usage or input error (no such session or action, a policy that does not load).",
  run,
};
