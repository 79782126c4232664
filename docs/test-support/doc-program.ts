/**
 * Executable documentation: a page's ```ts run blocks form one program, in page order, which is type-checked with
 * the project's compiler options and then run (docs/runtime.test.ts, docs/enforcement.test.ts). Imports are hoisted
 * and merged (blocks may import the same names), and `./x` specifiers are resolved against the package root.
 */
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

export interface Block {
  readonly info: string;
  /** 1-based line of the first code line. */
  readonly line: number;
  readonly code: string;
}

export function blocks(text: string): { blocks: Block[]; problems: string[] } {
  const out: Block[] = [];
  const problems: string[] = [];
  let open: { info: string; line: number; body: string[] } | undefined;
  text.split("\n").forEach((line, i) => {
    const fence = /^```(.*)$/.exec(line);
    if (!open && fence) open = { info: (fence[1] ?? "").trim(), line: i + 2, body: [] };
    else if (open && line === "```") {
      out.push({ info: open.info, line: open.line, code: open.body.join("\n") });
      open = undefined;
    } else if (open) open.body.push(line);
  });
  if (open) problems.push(`line ${open.line - 1}: code block is never closed`);
  return { blocks: out, problems };
}

const IMPORT = /^import\s+(type\s+)?(?:(\{[^}]*\})|(\w+)|(\*\s+as\s+\w+))\s+from\s+"([^"]+)";[ \t]*$/gm;

/** One program from the run blocks: merged imports on top, then each block's body with a line marker. */
export function program(runBlocks: readonly Block[]): { text: string; lineMap: number[] } {
  const named = new Map<string, Set<string>>();
  const others = new Set<string>();
  const spec = (s: string) => (s.startsWith("./") ? join(ROOT, s.slice(2)) : s);
  const bodies: { line: number; code: string }[] = [];
  for (const b of runBlocks) {
    const code = b.code.replace(
      IMPORT,
      (
        _m,
        type: string | undefined,
        braces: string | undefined,
        def: string | undefined,
        ns: string | undefined,
        from: string,
      ) => {
        if (braces) {
          const set = named.get(spec(from)) ?? new Set<string>();
          for (const n of braces
            .slice(1, -1)
            .split(",")
            .map((x) => x.trim())
            .filter(Boolean))
            set.add(type ? `type ${n}` : n);
          named.set(spec(from), set);
        } else {
          others.add(`import ${type ?? ""}${def ?? ns} from "${spec(from)}";`);
        }
        return "";
      },
    );
    bodies.push({ line: b.line, code });
  }
  const head = [
    ...others,
    ...[...named].map(([from, names]) => `import { ${[...names].join(", ")} } from "${from}";`),
  ];
  const lines: string[] = [...head];
  const lineMap: number[] = head.map(() => 0);
  for (const b of bodies) {
    b.code.split("\n").forEach((l, i) => {
      lines.push(l);
      lineMap.push(b.line + i);
    });
  }
  lines.push("export {};");
  return { text: lines.join("\n"), lineMap };
}

export function typeErrors(file: string, lineMap: readonly number[], page: string): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(ROOT, "tsconfig.json"),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
  );
  if (!config) throw new Error("cannot read tsconfig.json");
  // The extracted file lives outside rootDir, so rootDir is dropped.
  const { rootDir: _rootDir, ...options } = config.options;
  const prog = ts.createProgram([file], { ...options, noEmit: true, noUnusedLocals: false });
  const source = prog.getSourceFile(file);
  if (!source) throw new Error("the extracted program was not loaded");
  // Only the page's own code is checked (the project's files are checked by tsc itself).
  return [...prog.getSyntacticDiagnostics(source), ...prog.getSemanticDiagnostics(source)]
    .filter((d) => d.category === ts.DiagnosticCategory.Error)
    .map((d) => {
      const msg = ts.flattenDiagnosticMessageText(d.messageText, "\n");
      if (!d.file || d.start === undefined) return msg;
      const { line } = d.file.getLineAndCharacterOfPosition(d.start);
      const where =
        d.file.fileName === file ? `${page}:${lineMap[line] ?? "?"}` : relative(ROOT, d.file.fileName);
      return `${where}: ${msg}`;
    });
}
