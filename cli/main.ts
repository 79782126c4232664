/**
 * Process entry points for `aarm` and `aarmc`: real streams, quiet EPIPE, and a last-resort handler so that a
 * bug prints one line (`aarm: internal error: ...`, the stack only with AARM_DEBUG=1) and exits 2 instead of
 * dumping a stack trace.
 */
import { EXIT_USAGE, runProgram, type Command, type LazyCommand, type Program } from "./command.js";
import type { Io } from "./io.js";
import { tierForCommand } from "./tiering.js";
import { packageVersion } from "./version.js";

export { packageVersion };

/** For the commands that hash receipts and logs in volume: the runtime's SHA-256 on node:crypto first (the same
 * digests as the portable implementation, several times faster). */
const hashing = (load: () => Promise<Command>) => async () => {
  (await import("../host/node-crypto.js")).installNodeCrypto();
  return load();
};

// Each command's module (and what it imports: the compiler, the gateway, the receipt tooling) is loaded only when
// that command runs, so start-up costs what the command needs and `aarm --version` costs next to nothing.
const AARM_COMMANDS: readonly LazyCommand[] = [
  { name: "check", load: async () => (await import("./check.js")).checkCommand },
  { name: "fmt", load: async () => (await import("./fmt.js")).fmtCommand },
  { name: "test", load: async () => (await import("./test.js")).testCommand },
  { name: "explain", load: async () => (await import("./explain.js")).explainCommand },
  { name: "conformance", load: async () => (await import("./conformance.js")).conformanceCommand },
  { name: "keygen", load: async () => (await import("./keygen.js")).keygenCommand },
  { name: "verify", load: hashing(async () => (await import("./verify.js")).verifyCommand) },
  { name: "identity", load: async () => (await import("./identity.js")).identityCommand },
  { name: "gateway", load: hashing(async () => (await import("./gateway.js")).gatewayCommand) },
  { name: "approvals", load: async () => (await import("./approvals.js")).approvalsCommand },
  { name: "export", load: hashing(async () => (await import("./export.js")).exportCommand) },
  { name: "bpf", load: hashing(async () => (await import("./bpf.js")).bpfCommand) },
];

const AARMC_COMMANDS: readonly LazyCommand[] = [
  // hashing: the IR's hash in the bundle manifest is the SHA-256 of megabytes of canonical JSON for a large policy.
  { name: "compile", load: hashing(async () => (await import("./compile.js")).compileCommand) },
];

/** The `aarm` program. */
export function aarmProgram(): Program {
  return {
    name: "aarm",
    version: packageVersion(),
    tagline: "decide what AI agents may do (AARM)",
    commands: AARM_COMMANDS,
  };
}

/** The `aarmc` program. */
export function aarmcProgram(): Program {
  return {
    name: "aarmc",
    version: packageVersion(),
    tagline: "compile AARM policies",
    commands: AARMC_COMMANDS,
  };
}

function isEpipe(e: unknown): boolean {
  return (e as { code?: unknown } | null)?.code === "EPIPE";
}

/** An Io over the real process. A closed stdout (`aarm check x | head`) ends the process quietly. */
export function processIo(): Io {
  const write = (stream: NodeJS.WriteStream) => (text: string) => {
    try {
      stream.write(text);
    } catch (e) {
      if (!isEpipe(e)) throw e;
    }
  };
  return {
    cwd: process.cwd(),
    env: process.env,
    stdoutIsTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    out: write(process.stdout),
    err: write(process.stderr),
  };
}

/** Print an internal error the way the CLI does: one line, plus the stack with AARM_DEBUG=1. */
export function reportInternalError(name: string, e: unknown, io: Pick<Io, "env" | "err">): number {
  const message = e instanceof Error ? e.message : String(e);
  io.err(`${name}: internal error: ${message}\n`);
  if (io.env["AARM_DEBUG"] === "1" && e instanceof Error && e.stack) io.err(`${e.stack}\n`);
  else io.err("Set AARM_DEBUG=1 to see where it happened, and please report it.\n");
  return EXIT_USAGE;
}

/** Run a program and never throw: any exception becomes an internal-error report and exit status 2. */
export async function guarded(program: Program, argv: readonly string[], io: Io): Promise<number> {
  try {
    return await runProgram(program, argv, io);
  } catch (e) {
    return reportInternalError(program.name, e, io);
  }
}

/** The bin scripts' entry: run `aarm` or `aarmc` with the process's arguments and set its exit status. */
export async function main(
  name: "aarm" | "aarmc",
  argv: readonly string[] = process.argv.slice(2),
): Promise<void> {
  const io = processIo();
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (e) => {
      if (isEpipe(e)) process.exit(process.exitCode ?? 0);
      process.exit(reportInternalError(name, e, io));
    });
  }
  process.on("uncaughtException", (e) => process.exit(reportInternalError(name, e, io)));
  process.on("unhandledRejection", (e) => process.exit(reportInternalError(name, e, io)));
  let program: Program;
  try {
    program = name === "aarm" ? aarmProgram() : aarmcProgram();
  } catch (e) {
    process.exitCode = reportInternalError(name, e, io);
    return;
  }
  tierForCommand(argv[0]);
  process.exitCode = await guarded(program, argv, io);
}
