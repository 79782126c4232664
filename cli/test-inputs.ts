/**
 * The test operands of `aarm test` and `aarm explain`: test files (`*.json`, docs/testing.md) and recorded
 * sessions (`*.jsonl`, `*.jsonl.gz`, docs/recorded-sessions.md); a folder means every such file under it.
 */
import { readdirSync, statSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import type { FormatIssue } from "../sessions/parse.js";
import { parseSessions } from "../sessions/parse.js";
import { readText } from "../sessions/node.js";
import type { TestSource } from "../sessions/run-tests.js";
import { parseTestFile } from "../sessions/testfile.js";

const KINDS = /\.(json|jsonl|jsonl\.gz)$/;

/** A file that could not be read or is not in its format. */
export interface InputProblem {
  readonly file: string;
  readonly issues: readonly FormatIssue[] | string;
}

function filesUnder(dir: string, shown: string): string[][] {
  const out: string[][] = [];
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith(".") || name === "node_modules") continue;
    const path = join(dir, name);
    const show = join(shown, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path, show));
    else if (KINDS.test(name)) out.push([path, show]);
  }
  return out;
}

/** The sessions of one file (format chosen by its name). */
export function readTestSource(path: string, shown: string): TestSource | InputProblem {
  let text: string;
  try {
    text = readText(path);
  } catch (e) {
    return { file: shown, issues: e instanceof Error ? e.message.replace(path, shown) : String(e) };
  }
  const r = /\.json$/.test(path) ? parseTestFile(text) : parseSessions(text);
  return r.ok ? { file: shown, sessions: r.sessions } : { file: shown, issues: r.errors };
}

/** Every operand read; the problems of the ones that could not be. */
export function readTestSources(
  operands: readonly string[],
  cwd: string,
): { sources: TestSource[]; problems: InputProblem[] } {
  const sources: TestSource[] = [];
  const problems: InputProblem[] = [];
  for (const op of operands) {
    const abs = isAbsolute(op) ? op : join(cwd, op);
    let files: string[][];
    try {
      files = statSync(abs).isDirectory() ? filesUnder(abs, op) : [[abs, op]];
    } catch (e) {
      problems.push({ file: op, issues: `cannot read (${(e as { code?: string }).code ?? String(e)})` });
      continue;
    }
    if (files.length === 0)
      problems.push({ file: op, issues: "no test files (*.json, *.jsonl, *.jsonl.gz) in the folder" });
    for (const [path, shown] of files) {
      if (!KINDS.test(path!)) {
        problems.push({
          file: shown!,
          issues: "not a test file: expected *.json (tests) or *.jsonl[.gz] (recorded sessions)",
        });
        continue;
      }
      const r = readTestSource(path!, shown!);
      if ("sessions" in r) sources.push(r);
      else problems.push(r);
    }
  }
  return { sources, problems };
}

/** The problems as `file:line: message` lines. */
export function problemText(problems: readonly InputProblem[]): string {
  return problems
    .flatMap((p) =>
      typeof p.issues === "string"
        ? [`${p.file}: ${p.issues}`]
        : p.issues.map((i) => `${p.file}:${i.line}: ${i.message}`),
    )
    .map((l) => `${l}\n`)
    .join("");
}
