/**
 * Keeps docs/runtime.md true: its ```ts run blocks form one program, in page order, which is type-checked with the
 * project's compiler options and then run. Imports are hoisted and merged (blocks may import the same names), and
 * `./x` specifiers are resolved against the package root. The page must also describe every Decision field,
 * every `decidedBy` value, every load option and every session method, and show every adapter in running code;
 * and no runtime source file may import a Node module (the "what runs where" promise).
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const DOC = readFileSync(join(ROOT, "docs", "runtime.md"), "utf8");

interface Block {
  readonly info: string;
  /** 1-based line of the first code line. */
  readonly line: number;
  readonly code: string;
}

function blocks(text: string): { blocks: Block[]; problems: string[] } {
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
function program(runBlocks: readonly Block[]): { text: string; lineMap: number[] } {
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

function typeErrors(file: string, lineMap: readonly number[]): string[] {
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
        d.file.fileName === file ? `runtime.md:${lineMap[line] ?? "?"}` : relative(ROOT, d.file.fileName);
      return `${where}: ${msg}`;
    });
}

const parsed = blocks(DOC);
const runBlocks = parsed.blocks.filter((b) => /^ts\s+run$/.test(b.info));
const runCode = runBlocks.map((b) => b.code).join("\n");
const built = program(runBlocks);
const file = join(mkdtempSync(join(tmpdir(), "aarm-runtime-doc-")), "runtime-doc.mts");
writeFileSync(file, built.text);

describe("docs/runtime.md", () => {
  it("has well-formed code blocks, most of them run", () => {
    expect(parsed.problems).toEqual([]);
    expect(runBlocks.length).toBeGreaterThanOrEqual(10);
    const unknown = parsed.blocks.filter((b) => b.info !== "" && !/^(ts run|ts|text|sh|json)$/.test(b.info));
    expect(unknown.map((b) => `line ${b.line}: ${b.info}`)).toEqual([]);
  });

  it("type-checks", () => {
    expect(typeErrors(file, built.lineMap)).toEqual([]);
  });

  it("runs", async () => {
    await import(/* @vite-ignore */ pathToFileURL(file).href);
  });

  it("describes every Decision field, decidedBy value, load option and session method", () => {
    const words = [
      ...[
        "effect",
        "ruleIds",
        "reasons",
        "modifiedArgs",
        "stepUp",
        "defer",
        "errors",
        "decidedBy",
        "action",
        "policy",
        "mediationError",
      ],
      ...["forbid", "validation", "rules", "default", "unknown_tool", "budget", "error"].map(
        (v) => `\`${v}\``,
      ),
      ...["evaluator", "validator", "budget", "cwd", "clock", "mediation"].map((v) => `\`${v}\``),
      ...["decide", "decideRequest", "record", "setContext", "markExecuted", "openSession", "loadPolicy"].map(
        (m) => `${m}(`,
      ),
    ];
    expect(words.filter((w) => !DOC.includes(w.endsWith("(") ? w.slice(0, -1) : w))).toEqual([]);
    const sessionMethods = [
      "decide(",
      "decideRequest(",
      "record(",
      "setContext(",
      "markExecuted(",
      "openSession(",
    ];
    expect(sessionMethods.filter((m) => !runCode.includes(m))).toEqual([]);
  });

  it("shows every adapter, guard and wrapper resolution in running code", () => {
    const shown = [
      "fromMcp(",
      "fromHttp(",
      "fromShell(",
      "fromFunctionCall(",
      "normalizeAction(",
      "toAarmAction(",
      "wrapperArgs(",
      "guard(",
    ];
    expect(shown.filter((s) => !runCode.includes(s))).toEqual([]);
  });

  it("keeps its promise that the runtime imports no Node module", () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith(".ts") && !e.name.endsWith(".test.ts")) {
          const text = readFileSync(p, "utf8");
          if (
            /from\s+"(node:|fs|path|os|crypto|child_process|url)["/]/.test(text) ||
            /\brequire\(/.test(text)
          )
            offenders.push(relative(ROOT, p));
        }
      }
    };
    walk(join(ROOT, "runtime"));
    expect(offenders).toEqual([]);
  });
});
