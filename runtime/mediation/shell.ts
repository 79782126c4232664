/**
 * Adapter: a shell command line → the built-in kernel action `process.exec` with arguments `{path, argv}`, the
 * same shape the kernel target enforces (`forbid process.exec path "/usr/bin/nc"`).
 *
 * `argv` is the line split into words (shell-words.ts: quotes and escapes, no expansion). `path` is the program:
 * `argv[0]` as given when it contains a `/`; otherwise, when a PATH list is supplied, the first
 * `<dir>/<argv[0]>` that `exists` accepts — the binary the system would actually run, so path rules see it. Without
 * a PATH list a bare name stays bare, and `path` rules (which name absolute paths) cannot match it: hosts that run
 * programs by name should supply PATH.
 */
import { z } from "zod";
import { type AdapterResult, failure, fromZod } from "./action.js";
import { splitShellWords } from "./shell-words.js";

const Options = z
  .object({
    /** The directories searched for a bare command name: a list, or a `:`-separated string as in $PATH. */
    PATH: z.union([z.string(), z.array(z.string())]).optional(),
    /** Is there an executable at this path? Required with PATH (the host's file system decides, not the adapter). */
    exists: z
      .custom<(path: string) => boolean>(
        (v) => typeof v === "function",
        "must be a function (path) => boolean",
      )
      .optional(),
  })
  .strict()
  .refine((o) => o.PATH === undefined || o.exists !== undefined, {
    message: "is required when PATH is supplied",
    path: ["exists"],
  });

/** Options of fromShell. */
export type ShellOptions = z.input<typeof Options>;

/** Convert a command line into a `process.exec` action. */
export function fromShell(line: unknown, options: ShellOptions = {}): AdapterResult {
  const o = Options.safeParse(options);
  if (!o.success) return fromZod(o.error, "options");
  if (typeof line !== "string")
    return failure(
      "invalid_request",
      "command",
      `must be a string, got ${line === null ? "null" : typeof line}`,
    );
  const split = splitShellWords(line);
  if (!split.ok) return failure("shell_syntax", "command", `${split.message} (at offset ${split.offset})`);
  const argv = split.words;
  const program = argv[0]!;
  if (program === "") return failure("shell_syntax", "command", "names an empty program");
  let path = program;
  const { PATH, exists } = o.data;
  if (!program.includes("/") && PATH !== undefined && exists) {
    const dirs = typeof PATH === "string" ? PATH.split(":") : PATH;
    // An empty PATH entry means the current directory (POSIX).
    const found = dirs
      .map((d) => (d === "" ? `./${program}` : `${d.replace(/\/+$/, "")}/${program}`))
      .find((p) => safeExists(exists, p));
    if (found === undefined)
      return failure("command_not_found", "command", `'${program}' is not found in PATH (${dirs.join(":")})`);
    path = found;
  }
  return {
    ok: true,
    request: {
      tool: "process.exec",
      operation: "exec",
      args: { path, argv: [...argv] },
      source: { kind: "shell", line },
    },
  };
}

function safeExists(exists: (p: string) => boolean, p: string): boolean {
  try {
    return exists(p) === true;
  } catch {
    return false;
  }
}
