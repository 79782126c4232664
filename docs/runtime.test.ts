/**
 * Keeps docs/runtime.md true: its ```ts run blocks form one program, in page order, which is type-checked with the
 * project's compiler options and then run. Imports are hoisted and merged (blocks may import the same names), and
 * `./x` specifiers are resolved against the package root. The page must also describe every Decision field,
 * every `decidedBy` value, every load option and every session method, and show every adapter in running code;
 * and no runtime source file may import a Node module (the "what runs where" promise).
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { blocks, program, ROOT, typeErrors } from "./test-support/doc-program.js";
const DOC = readFileSync(join(ROOT, "docs", "runtime.md"), "utf8");

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
    expect(typeErrors(file, built.lineMap, "runtime.md")).toEqual([]);
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
