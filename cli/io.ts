/**
 * The CLI's view of the process: output streams, environment, working directory. Commands take an `Io` so
 * tests can run them in-process and capture what they print.
 */
import { isAbsolute, relative, sep } from "node:path";

/** Where a command writes, and what it may know about its environment. */
export interface Io {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Whether standard output / standard error is a terminal (decides about color). */
  readonly stdoutIsTTY: boolean;
  readonly stderrIsTTY: boolean;
  out(text: string): void;
  err(text: string): void;
}

/** Color only on a terminal, and never when NO_COLOR is set to a non-empty value (https://no-color.org). */
export function useColor(io: Io, stream: "stdout" | "stderr" = "stdout"): boolean {
  const tty = stream === "stdout" ? io.stdoutIsTTY : io.stderrIsTTY;
  const noColor = io.env["NO_COLOR"];
  return tty && (noColor === undefined || noColor === "");
}

/**
 * How a path is shown: an absolute path inside the working directory becomes relative to it; anything else is
 * shown as given (so a path the user typed comes back as typed).
 */
export function displayPath(cwd: string): (path: string) => string {
  return (path) => {
    if (!isAbsolute(path)) return path;
    const rel = relative(cwd, path);
    if (rel === "" || rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return path;
    return rel;
  };
}

/** An Io that collects output in memory, for tests. */
export function memoryIo(
  cwd: string,
  env: Readonly<Record<string, string | undefined>> = {},
): Io & {
  readonly stdout: () => string;
  readonly stderr: () => string;
} {
  let out = "";
  let err = "";
  return {
    cwd,
    env,
    stdoutIsTTY: false,
    stderrIsTTY: false,
    out: (t) => void (out += t),
    err: (t) => void (err += t),
    stdout: () => out,
    stderr: () => err,
  };
}
