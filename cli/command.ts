/**
 * What a command is (options, operands, help) and how programs (`aarm`, `aarmc`) dispatch to them. Usage errors
 * print the message, the usage line and a pointer to the help, and exit 2.
 */
import {
  isUsageError,
  optionSyntax,
  parseArgs,
  suggest,
  type OptionSpec,
  type ParsedArgs,
  type UsageError,
} from "./args.js";
import type { Io } from "./io.js";

/** Exit statuses shared by every command. */
export const EXIT_OK = 0;
/** Problems found (errors in a policy, files that need formatting). */
export const EXIT_FAILURE = 1;
/** The command line itself was wrong, or the tool failed internally. */
export const EXIT_USAGE = 2;

/** One subcommand. */
export interface Command {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** The operands in the usage line: `FILE|DIR...`. */
  readonly operands: string;
  /** A paragraph for `help <command>`. */
  readonly description: string;
  readonly options: readonly OptionSpec[];
  /** What the exit statuses mean, for the help text. */
  readonly exitStatus: string;
  /** Run with parsed arguments; return the exit status, or a usage error. */
  run(args: ParsedArgs, io: Io): Promise<number | UsageError> | number | UsageError;
}

/**
 * A command loaded only when it is run (or its help is shown): `aarm check` then loads the compiler but not the
 * gateway, and `aarm --version` loads neither. `load` must give the command named `name`.
 */
export interface LazyCommand {
  readonly name: string;
  load(): Promise<Command>;
}

/** A program: a name, a version, and its commands. */
export interface Program {
  readonly name: string;
  readonly version: string;
  readonly tagline: string;
  readonly commands: readonly (Command | LazyCommand)[];
}

/** The command behind an entry of a program, loading it if needed. */
export async function loadCommand(entry: Command | LazyCommand): Promise<Command> {
  return "load" in entry ? entry.load() : entry;
}

const HELP_OPTION: OptionSpec = { name: "help", short: "h", kind: "boolean", description: "show this help" };

function usageLine(program: Program, c: Command): string {
  const opts = c.options.map((o) => `[${optionSyntax(o)}]${o.repeatable ? "..." : ""}`).join(" ");
  return `usage: ${program.name} ${c.name}${opts ? ` ${opts}` : ""}${c.operands ? ` ${c.operands}` : ""}`;
}

/** The help text of one command. */
export function commandHelp(program: Program, c: Command): string {
  const options = [...c.options, HELP_OPTION];
  const left = options.map((o) => `  ${optionSyntax(o, true)}`);
  const width = Math.max(...left.map((l) => l.length)) + 2;
  const rows = options.map((o, i) => `${(left[i] ?? "").padEnd(width)}${o.description}`);
  return [
    usageLine(program, c),
    "",
    c.description,
    "",
    "options:",
    ...rows,
    "",
    `exit status: ${c.exitStatus}`,
    "",
  ].join("\n");
}

/** The help text of a program: its commands (all of them are loaded, for their summaries). */
export async function programHelp(program: Program): Promise<string> {
  const commands = await Promise.all(program.commands.map(loadCommand));
  const width = Math.max(...commands.map((c) => c.name.length)) + 2;
  return [
    `${program.name} ${program.version}: ${program.tagline}`,
    "",
    `usage: ${program.name} <command> [options]`,
    "",
    "commands:",
    ...commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    `  ${"help".padEnd(width)}show help for a command`,
    "",
    "options:",
    "  -h, --help     show this help",
    "  -V, --version  print the version",
    "",
    `Run '${program.name} help <command>' for a command's options.`,
    "",
  ].join("\n");
}

function usageError(io: Io, program: Program, c: Command | undefined, message: string): number {
  if (c) {
    io.err(`${program.name} ${c.name}: ${message}\n${usageLine(program, c)}\n`);
    io.err(`Run '${program.name} help ${c.name}' for more.\n`);
  } else {
    io.err(`${program.name}: ${message}\nusage: ${program.name} <command> [options]\n`);
    io.err(`Run '${program.name} --help' for the list of commands.\n`);
  }
  return EXIT_USAGE;
}

async function findCommand(io: Io, program: Program, name: string): Promise<Command | number> {
  const c = program.commands.find((x) => x.name === name);
  if (c) return loadCommand(c);
  const close = suggest(name, [...program.commands.map((x) => x.name), "help"]);
  return usageError(
    io,
    program,
    undefined,
    `unknown command '${name}'${close ? ` (did you mean '${close}'?)` : ""}`,
  );
}

async function runHelp(io: Io, program: Program, rest: readonly string[]): Promise<number> {
  if (rest.length === 0) {
    io.out(await programHelp(program));
    return EXIT_OK;
  }
  if (rest.length > 1) return usageError(io, program, undefined, "help takes at most one command name");
  const c = await findCommand(io, program, rest[0] ?? "");
  if (typeof c === "number") return c;
  io.out(commandHelp(program, c));
  return EXIT_OK;
}

/** Run a program on its arguments (without the program name); returns the exit status. */
export async function runProgram(program: Program, argv: readonly string[], io: Io): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) return usageError(io, program, undefined, "no command given");
  if (first === "--help" || first === "-h" || first === "help")
    return runHelp(io, program, first === "help" ? rest : []);
  if (first === "--version" || first === "-V") {
    io.out(`${program.version}\n`);
    return EXIT_OK;
  }
  if (first.startsWith("-")) return usageError(io, program, undefined, `unknown option '${first}'`);
  const c = await findCommand(io, program, first);
  if (typeof c === "number") return c;
  const parsed = parseArgs(rest, [...c.options, HELP_OPTION]);
  if (isUsageError(parsed)) return usageError(io, program, c, parsed.error);
  if (parsed.options.has("help")) {
    io.out(commandHelp(program, c));
    return EXIT_OK;
  }
  const status = await c.run(parsed, io);
  return typeof status === "number" ? status : usageError(io, program, c, status.error);
}
