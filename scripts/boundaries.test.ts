/**
 * The import boundaries of eslint.config.js bite: probe modules placed (by file path) in each folder import across
 * a boundary or legally, and ESLint lints them with the project's own config.
 *
 * The probes are linted with `lintText` under their would-be paths instead of being written into the tree: a real
 * file in language/ or runtime/ would race with a concurrent `tsc` or `eslint .` (they would see it appear and
 * vanish, and the build would emit it into dist/). Without a file on disk the type-aware parser cannot run, so
 * the probes are parsed without type information and only the boundary rule is applied.
 */
import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";
import { beforeAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));

/** Probe modules: their path, what they import, and whether the boundary rule must reject each import (in order). */
const probes: readonly { file: string; imports: readonly string[]; rejected: readonly boolean[] }[] = [
  { file: "language/probe.ts", imports: ["../compiler/index.js", "./source.js"], rejected: [true, false] },
  {
    file: "language/parser/probe.ts",
    imports: ["../../cli/index.js", "../index.js"],
    rejected: [true, false],
  },
  {
    file: "runtime/probe.ts",
    imports: ["../language/index.js", "../compiler/types.js"],
    rejected: [true, true],
  },
  {
    file: "compiler/lower/probe.ts",
    imports: [
      "../../language/index.js",
      "../../runtime/ir/index.js",
      "../../runtime/eval/ops.js",
      "../../cli/x.js",
    ],
    rejected: [false, false, true, true],
  },
  {
    file: "compiler/compile.ts",
    imports: ["../targets/js/index.js", "../targets/js/emit.js", "../runtime/ir/index.js", "../cli/index.js"],
    rejected: [false, true, false, true],
  },
  { file: "compiler/check/probe.ts", imports: ["../../targets/js/index.js"], rejected: [true] },
  {
    file: "targets/js/probe.ts",
    imports: [
      "../../compiler/types.js",
      "../../compiler/ir.js",
      "../../runtime/eval/ops.js",
      "../../compiler/index.js",
    ],
    rejected: [false, false, false, true],
  },
  {
    file: "examples/demo/probe.ts",
    imports: ["../../index.js", "../../compiler/index.js"],
    rejected: [false, true],
  },
  {
    file: "conformance/probe.test.ts",
    imports: [
      "../index.js",
      "../runtime/index.js",
      "../host/index.js",
      "../runtime/receipts/index.js",
      "../host/keys.js",
      "../compiler/compile.js",
    ],
    rejected: [false, false, false, true, true, true],
  },
  {
    file: "cli/probe.ts",
    imports: ["../compiler/index.js", "../language/index.js"],
    rejected: [false, false],
  },
  // Tests of the shipped layers may reach across (e.g. a parser test that reads files through the compiler).
  { file: "language/parser/probe.test.ts", imports: ["../../compiler/index.js"], rejected: [false] },
];

const results = new Map<string, ESLint.LintResult>();

beforeAll(async () => {
  const eslint = new ESLint({
    cwd: root,
    overrideConfig: [{ files: ["**/*.ts"], languageOptions: { parserOptions: { projectService: false } } }],
    ruleFilter: ({ ruleId }) => ruleId === "no-restricted-imports",
  });
  for (const p of probes) {
    const lines = p.imports.map((spec, i) => `import * as m${i} from "${spec}";`);
    const text = `${lines.join("\n")}\nexport const all = [${p.imports.map((_, i) => `m${i}`).join(", ")}];\n`;
    const [result] = await eslint.lintText(text, { filePath: `${root}/${p.file}` });
    if (result) results.set(p.file, result);
  }
}, 120_000);

describe("import boundaries (eslint no-restricted-imports)", () => {
  it.each(probes)("$file", (p) => {
    const result = results.get(p.file);
    expect(result, "the probe was linted").toBeDefined();
    expect(result?.messages.filter((m) => m.fatal)).toEqual([]);
    const rejectedLines = new Set(
      (result?.messages ?? []).filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.line),
    );
    expect(p.imports.map((_, i) => rejectedLines.has(i + 1))).toEqual(p.rejected);
  });

  it("explains the rule in the message", () => {
    expect(results.get("language/probe.ts")?.messages[0]?.message).toContain(
      "language/ is surface syntax only",
    );
  });
});
