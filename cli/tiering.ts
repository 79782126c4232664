/**
 * How much of V8's optimising compiler a short command uses.
 *
 * `aarm check` of a 1,000-rule file runs for a fraction of a second, and V8's optimising compiler (TurboFan) spent
 * about 200 ms of CPU on it, compiling functions (the parser's and the checker's) that finish before the optimised
 * code pays back: measured side by side, the same check used 430 ms of CPU with TurboFan and 220 ms with Sparkplug,
 * V8's baseline compiler, alone (100 rules: 128 and 57 ms). On larger inputs optimisation wins (10,000 rules,
 * 0.8 MB: 1.8 s with it, 2.2 s without; the curves cross near 600 KB).
 *
 * So the process entry (`main`, never an in-process caller of a program) caps the tier for `aarm check` and
 * `aarmc compile` (the same work plus generating code), and the command lifts the cap once it knows its input is
 * larger than LARGE_INPUT_BYTES. The cap is a V8 flag
 * (`--max-opt`) set before any command code runs, and raising it back is the flag's default; a V8 without that
 * flag is left alone. Nothing here changes what a command computes, only how V8 compiles it.
 */
import { statSync } from "node:fs";
import { setFlagsFromString } from "node:v8";

/**
 * Commands that usually finish before optimised code pays back: `aarm check`, and `aarmc compile` (a 1,000-rule
 * bundle: 0.85 s of CPU with TurboFan, 0.59 s without, the whole command, medians of 5 side by side).
 */
const SHORT_COMMANDS: ReadonlySet<string> = new Set(["check", "compile"]);

/** Inputs larger than this (policy source bytes) are worth optimising for. */
export const LARGE_INPUT_BYTES = 512 * 1024;

/** `--max-opt` is there from V8 11 (Node 20) on; an unknown flag would print an error. */
function hasMaxOpt(): boolean {
  return Number(process.versions.v8.split(".")[0]) >= 11;
}

let capped = false;

/** Set a V8 flag; a failure only costs speed, so it is ignored. */
function setFlag(flag: string): boolean {
  try {
    setFlagsFromString(flag);
    return true;
  } catch {
    return false;
  }
}

/** At process start, before the command is loaded: cap V8 at its baseline compiler for short commands. */
export function tierForCommand(command: string | undefined): void {
  if (command === undefined || !SHORT_COMMANDS.has(command) || !hasMaxOpt()) return;
  capped = setFlag("--max-opt=1");
}

/** A command whose input turns out large: let V8 optimise again (a no-op unless this process capped it). */
export function expectLongRun(inputBytes: number): void {
  if (!capped || inputBytes <= LARGE_INPUT_BYTES) return;
  setFlag("--max-opt=999");
  capped = false;
}

/** expectLongRun for the total size of policy files; one that cannot be read counts 0 (the command reports it). */
export function expectLongRunOn(files: readonly string[]): void {
  let total = 0;
  for (const f of files) {
    try {
      total += statSync(f).size;
    } catch {
      // reported by the command itself
    }
  }
  expectLongRun(total);
}
