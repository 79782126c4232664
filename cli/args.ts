/**
 * A small command-line parser with precise usage errors: `--name value`, `--name=value`, `-o value`, `-oVALUE`,
 * boolean flags, choices, and `--` to end the options. No dependency; the rules are those of most Unix tools.
 */

/** One option a command accepts. */
export interface OptionSpec {
  /** Long name without dashes: `format`. */
  readonly name: string;
  /** One-letter alias without the dash: `o`. */
  readonly short?: string;
  /** A boolean flag, or an option that takes a value. */
  readonly kind: "boolean" | "string";
  /** For string options, the allowed values. */
  readonly choices?: readonly string[];
  /** Shown in usage for string options without choices: `DIR`. */
  readonly valueName?: string;
  /** One line for the help text. */
  readonly description: string;
  /** A string option that may be given several times (`--scope a --scope b`); all values are in `lists`. */
  readonly repeatable?: boolean;
}

/** Parsed options (by long name) and positional arguments. */
export interface ParsedArgs {
  readonly options: ReadonlyMap<string, string | true>;
  readonly positionals: readonly string[];
  /** Every value of each repeatable option, in order (`options` holds the last). */
  readonly lists?: ReadonlyMap<string, readonly string[]>;
}

/** A usage error: the message says exactly what was wrong. */
export interface UsageError {
  readonly error: string;
}

/** How an option is written in usage and help: `--format text|json`, `-o, --out DIR`. */
export function optionSyntax(o: OptionSpec, withShort = false): string {
  const value = o.kind === "string" ? ` ${o.choices ? o.choices.join("|") : (o.valueName ?? "VALUE")}` : "";
  return `${withShort && o.short ? `-${o.short}, ` : ""}--${o.name}${value}`;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j] ?? 0;
      row[j] = Math.min(up + 1, (row[j - 1] ?? 0) + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return row[b.length] ?? 0;
}

/** The closest of `candidates` to `word`, if it is close enough to be a likely typo. */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(word.length / 3)) + 1;
  for (const c of candidates) {
    const d = distance(word, c);
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best;
}

function unknownOption(arg: string, specs: readonly OptionSpec[]): UsageError {
  const close = arg.startsWith("--")
    ? suggest(
        arg.slice(2).split("=")[0] ?? "",
        specs.map((s) => s.name),
      )
    : undefined;
  return { error: `unknown option '${arg}'${close === undefined ? "" : ` (did you mean '--${close}'?)`}` };
}

function checkValue(spec: OptionSpec, value: string): UsageError | undefined {
  if (spec.choices && !spec.choices.includes(value)) {
    const expected = spec.choices.map((c) => `'${c}'`).join(" or ");
    return { error: `invalid value '${value}' for --${spec.name} (expected ${expected})` };
  }
  return undefined;
}

/** Parse `argv` (the arguments after the command name) against the options a command accepts. */
export function parseArgs(argv: readonly string[], specs: readonly OptionSpec[]): ParsedArgs | UsageError {
  const options = new Map<string, string | true>();
  const positionals: string[] = [];
  const lists = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith("-") || arg === "-") {
      positionals.push(arg);
      continue;
    }
    const long = arg.startsWith("--");
    const eq = long ? arg.indexOf("=") : -1;
    const key = long ? arg.slice(2, eq < 0 ? undefined : eq) : arg.slice(1, 2);
    const spec = specs.find((s) => (long ? s.name === key : s.short === key));
    if (!spec) return unknownOption(arg, specs);
    if (options.has(spec.name) && !spec.repeatable)
      return { error: `option --${spec.name} given more than once` };
    let inline: string | undefined;
    if (long && eq >= 0) inline = arg.slice(eq + 1);
    else if (!long && arg.length > 2) inline = arg.slice(2).replace(/^=/, "");
    if (spec.kind === "boolean") {
      if (inline !== undefined) return { error: `option --${spec.name} does not take a value` };
      options.set(spec.name, true);
      continue;
    }
    let value = inline;
    if (value === undefined) {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith("-") && next !== "-")) {
        return { error: `option ${optionSyntax(spec)} needs a value` };
      }
      value = next;
      i++;
    }
    const bad = checkValue(spec, value);
    if (bad) return bad;
    options.set(spec.name, value);
    if (spec.repeatable) lists.set(spec.name, [...(lists.get(spec.name) ?? []), value]);
  }
  return { options, positionals, lists };
}

/** Narrow a parse result. */
export function isUsageError(r: ParsedArgs | UsageError): r is UsageError {
  return "error" in r;
}
