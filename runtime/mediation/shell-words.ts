/**
 * POSIX shell word splitting without expansion: whitespace separates words; single quotes keep everything
 * literally; double quotes keep everything but `\` before `$`, `` ` ``, `"`, `\` or a newline; a backslash outside
 * quotes escapes the next character; backslash-newline continues the line.
 *
 * The words are an argv for execve, not a shell script. Anything a shell would expand or chain — an unquoted
 * operator (`| & ; < > ( )`, a newline), a parameter or command substitution (`$`, `` ` ``, also inside double
 * quotes), a glob (`* ? [`), a tilde or `#` at the start of a word, a brace expansion (`{a,b}`, `{1..3}`), or a
 * leading `NAME=value` assignment — is rejected, because a decision about the literal words would not describe
 * what a shell runs.
 */

/** The words of a command line, or where and why it cannot be split. */
export type ShellSplit =
  | { readonly ok: true; readonly words: readonly string[] }
  | { readonly ok: false; readonly offset: number; readonly message: string };

const OPERATORS = new Set(["|", "&", ";", "<", ">", "(", ")"]);
const GLOBS = new Set(["*", "?", "["]);
const DQ_ESCAPES = new Set(["$", "`", '"', "\\", "\n"]);
/** Stands for a quoted or escaped character in a word's shape (the shape keeps only unquoted characters). */
const QUOTED = "\u0000";

interface Word {
  text: string;
  shape: string;
  start: number;
}

function err(offset: number, message: string): ShellSplit {
  return { ok: false, offset, message };
}

/** Split a command line into words (see the module comment for what is rejected). */
export function splitShellWords(line: string): ShellSplit {
  const words: Word[] = [];
  let cur: Word | null = null;
  const start = (i: number): Word => (cur ??= { text: "", shape: "", start: i });
  let i = 0;
  while (i < line.length) {
    const c = line[i]!;
    if (c === "\u0000") return err(i, "contains a NUL character, which no argument can hold");
    if (c === " " || c === "\t") {
      if (cur) words.push(cur);
      cur = null;
      i++;
    } else if (c === "\\") {
      const next = line[i + 1];
      if (next === undefined) return err(i, "ends with a backslash that escapes nothing");
      if (next !== "\n") {
        const w = start(i);
        w.text += next;
        w.shape += QUOTED;
      }
      i += 2;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) return err(i, "has an unterminated single quote");
      const w = start(i);
      w.text += line.slice(i + 1, end);
      w.shape += QUOTED.repeat(end - i - 1);
      i = end + 1;
    } else if (c === '"') {
      const end = readDoubleQuoted(line, i, start(i));
      if (typeof end !== "number") return end;
      i = end;
    } else {
      const problem = unquoted(c, cur === null);
      if (problem) return err(i, problem);
      const w = start(i);
      w.text += c;
      w.shape += c;
      i++;
    }
  }
  if (cur) words.push(cur);
  if (words.length === 0) return err(0, "is empty");
  for (const w of words) {
    const brace = /\{[^{}]*(,|\.\.)[^{}]*\}/.exec(w.shape);
    if (brace) return err(w.start + brace.index, "has a brace expansion; quote the braces for literal text");
  }
  const assign = /^[A-Za-z_][A-Za-z0-9_]*=/.exec(words[0]!.shape);
  if (assign)
    return err(
      words[0]!.start,
      "starts with an environment assignment (NAME=value), which a shell would not run as a command",
    );
  return { ok: true, words: words.map((w) => w.text) };
}

/** Read a double-quoted string starting at `i` into `w`; the index after the closing quote, or an error. */
function readDoubleQuoted(line: string, i: number, w: Word): number | ShellSplit {
  let j = i + 1;
  for (;;) {
    const d = line[j];
    if (d === undefined) return err(i, "has an unterminated double quote");
    if (d === '"') return j + 1;
    if (d === "$" || d === "`") {
      return err(j, `'${d}' inside double quotes is an expansion; use single quotes for a literal '${d}'`);
    }
    if (d === "\\" && DQ_ESCAPES.has(line[j + 1] ?? "")) {
      if (line[j + 1] !== "\n") {
        w.text += line[j + 1];
        w.shape += QUOTED;
      }
      j += 2;
      continue;
    }
    w.text += d;
    w.shape += QUOTED;
    j++;
  }
}

/** Why an unquoted character cannot be taken literally, or null. */
function unquoted(c: string, wordStart: boolean): string | null {
  if (c === "\n" || c === "\r")
    return "has a line break, which separates commands; one line must be one process";
  if (OPERATORS.has(c))
    return `has an unquoted '${c}', a shell operator; one line must be one process (quote it for literal text)`;
  if (c === "$" || c === "`")
    return `has an unquoted '${c}', an expansion; quote it with single quotes for literal text`;
  if (GLOBS.has(c)) return `has an unquoted '${c}', a glob; quote it for literal text`;
  if (wordStart && c === "~")
    return "has a '~' at the start of a word, a home-directory expansion; quote it for literal text";
  if (wordStart && c === "#")
    return "has a '#' at the start of a word, which starts a comment; quote it for literal text";
  return null;
}
