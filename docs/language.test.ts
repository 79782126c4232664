/**
 * Keeps docs/language.md true: every ```aarm example in it is parsed and checked.
 *
 * - An example that starts with `policy "..."` is a complete file; any other example is a fragment and is checked
 *   after PRELUDE (header, `default deny`, the fixture tool schemas).
 * - ```aarm expect=AARM1011 (or several codes, comma-separated) must report exactly those codes at error or
 *   warning severity. `expect=TODO-<what>` stands for a checker code that does not exist yet: such an example must
 *   report at least one error (and every real code listed with it).
 * - Every other example must report no error and no warning.
 *
 * Examples are checked as if they were files in docs/, so `fixtures/tools.json` resolves to docs/fixtures/.
 * The doc must also mention every keyword, builtin, operator, effect and kernel action in code.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { checkSource, nodeHost } from "../compiler/index.js";
import { COMPARE_OPS, EFFECTS, KERNEL_ACTIONS, allEntries, lineCol, makeSource } from "../language/index.js";
import type { Diagnostic, Source } from "../language/index.js";
import { allKeywords } from "../language/lexer/tokens.js";

const DOCS_DIR = dirname(fileURLToPath(import.meta.url));
const DOC_PATH = join(DOCS_DIR, "language.md");

/** What a fragment is checked after. */
const PRELUDE = 'policy "docs-example" version "1.0.0"\ndefault deny\ntools from "fixtures/tools.json"\n';
const PRELUDE_LINES = PRELUDE.split("\n").length - 1;

/** The builtin functions (there are no user functions). */
const BUILTINS = ["domain", "host", "lower", "upper", "len", "provenance"] as const;

/** Expression roots the doc must describe. */
const ROOTS = [
  "args",
  "tool",
  "request",
  "session.labels",
  "session.level",
  "session.drift",
  "session.actions",
  "identity.human",
  "identity.service",
  "identity.agent",
  "identity.session",
  "identity.role",
  "identity.scopes",
  "identity.delegation",
  "context.",
  "drift",
  "result",
] as const;

interface Example {
  /** 1-based line of the opening fence in the markdown. */
  readonly fenceLine: number;
  readonly code: string;
  /** Codes from `expect=`; empty for an example that must be clean. */
  readonly expect: readonly string[];
  readonly complete: boolean;
}

interface Markdown {
  readonly examples: readonly Example[];
  /** The text of every fenced block and inline code span, for the "mentions" checks. */
  readonly codeText: string;
  /** Problems with the markdown itself (bad info strings, unclosed fences). */
  readonly problems: readonly string[];
}

/** Split the markdown into fenced blocks (any language) and collect inline code. */
function readMarkdown(text: string): Markdown {
  const lines = text.split(/\r?\n/);
  const examples: Example[] = [];
  const problems: string[] = [];
  const code: string[] = [];
  let open: { fence: string; info: string; line: number; body: string[] } | undefined;
  lines.forEach((line, i) => {
    if (open) {
      const t = line.trim();
      if (t.startsWith(open.fence) && new RegExp(`^\\${open.fence[0]}+$`).test(t)) {
        const body = open.body.join("\n");
        code.push(body);
        const [lang, ...attrs] = open.info.split(/\s+/).filter((w) => w !== "");
        if (lang === "aarm") {
          const ex = toExample(open.line, body, attrs, problems);
          if (ex) examples.push(ex);
        }
        open = undefined;
      } else {
        open.body.push(line);
      }
      return;
    }
    const m = /^(`{3,}|~{3,})(.*)$/.exec(line);
    if (m) {
      open = { fence: m[1] ?? "```", info: (m[2] ?? "").trim(), line: i + 1, body: [] };
      return;
    }
    if (/^\s+(`{3,}|~{3,})\s*aarm/.test(line))
      problems.push(`line ${i + 1}: indented aarm fences are not extracted`);
    for (const span of line.matchAll(/(`+)([^`]|[^`].*?[^`])\1(?!`)/g)) code.push(span[2] ?? "");
  });
  if (open) problems.push(`line ${open.line}: code block is never closed`);
  return { examples, codeText: code.join("\n"), problems };
}

function toExample(
  fenceLine: number,
  code: string,
  attrs: readonly string[],
  problems: string[],
): Example | undefined {
  let expectCodes: string[] = [];
  for (const a of attrs) {
    const m = /^expect=(.+)$/.exec(a);
    if (!m) {
      problems.push(`line ${fenceLine}: unknown attribute '${a}' on an aarm block`);
      return undefined;
    }
    expectCodes = (m[1] ?? "").split(",").map((c) => c.trim());
    for (const c of expectCodes) {
      if (!/^AARM\d{4}$/.test(c) && !/^TODO-[a-z0-9-]+$/.test(c)) {
        problems.push(`line ${fenceLine}: '${c}' is neither a code (AARM1234) nor TODO-<description>`);
      }
    }
  }
  const firstLine = code
    .split("\n")
    .map((l) => l.trim())
    .find((l) => l !== "" && !l.startsWith("//") && !l.startsWith("/*"));
  return { fenceLine, code, expect: expectCodes, complete: /^policy\s+"/.test(firstLine ?? "") };
}

/** The source an example is checked as: a file in docs/, so relative schema paths resolve to docs/fixtures/. */
function exampleSource(ex: Example, n: number): Source {
  const text = ex.complete ? ex.code : PRELUDE + ex.code;
  return makeSource(join(DOCS_DIR, `language.md#example-${n}`), text);
}

/** A diagnostic located at its line in the markdown (or in the schema file it points into). */
function describeDiagnostic(d: Diagnostic, ex: Example, source: Source): string {
  if (d.sourceId !== source.id || !d.span) return `${d.severity} ${d.code} (${d.sourceId}): ${d.message}`;
  const { line, column } = lineCol(source, d.span.start);
  const offset = ex.complete ? 0 : PRELUDE_LINES;
  const where =
    line > offset ? `language.md:${ex.fenceLine + line - offset}:${column}` : `prelude line ${line}`;
  return `${where}: ${d.severity} ${d.code}: ${d.message}`;
}

/** True if `word` occurs in `text` and is not part of a longer name (`tool` is not found in `tools`). */
function mentionsWord(text: string, word: string): boolean {
  const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const head = /^\w/.test(word) ? "(?<![\\w.])" : "";
  const tail = /\w$/.test(word) ? "(?!\\w)" : "";
  return new RegExp(`${head}${escaped}${tail}`).test(text);
}

const docText = readFileSync(DOC_PATH, "utf8");
const markdown = readMarkdown(docText);
const knownCodes = new Set(allEntries.map((e) => e.code));

describe("docs/language.md", () => {
  it("has well-formed aarm blocks", () => {
    expect(markdown.problems).toEqual([]);
    expect(markdown.examples.length).toBeGreaterThan(40);
  });

  it("shows the prelude that fragments are checked with", () => {
    expect(docText).toContain("```text\n" + PRELUDE + "```");
  });

  markdown.examples.forEach((ex, i) => {
    const n = i + 1;
    it(exampleName(ex), () => {
      const source = exampleSource(ex, n);
      const result = checkSource(source, nodeHost);
      const reported = result.diagnostics.filter((d) => d.severity === "error" || d.severity === "warning");
      const shown = reported.map((d) => describeDiagnostic(d, ex, source));
      const codes = [...new Set(reported.map((d) => d.code as string))].sort();
      const real = ex.expect.filter((c) => !c.startsWith("TODO-"));
      for (const c of real) expect(knownCodes, `expect=${c} is not in the diagnostic catalog`).toContain(c);
      if (ex.expect.length === 0) {
        expect(shown, "a clean example reports nothing").toEqual([]);
      } else if (real.length === ex.expect.length) {
        expect(codes, `expected exactly ${real.join(", ")}; got:\n${shown.join("\n")}`).toEqual(
          [...new Set(real)].sort(),
        );
      } else {
        for (const c of real) expect(codes, shown.join("\n")).toContain(c);
        const errors = reported.filter((d) => d.severity === "error");
        expect(errors.length, `expected an error for ${ex.expect.join(", ")}; got none`).toBeGreaterThan(0);
      }
    });
  });

  it("has no broken links to its own sections", () => {
    const slugs = new Set(
      docText
        .split("\n")
        .filter((l) => /^#{1,6} /.test(l))
        .map((l) => githubSlug(l.replace(/^#+ /, ""))),
    );
    const anchors = [...docText.matchAll(/\]\(#([^)]+)\)/g)].map((m) => m[1] ?? "");
    expect(anchors.filter((a) => !slugs.has(a))).toEqual([]);
  });

  it("mentions every keyword in code", () => {
    const words = allKeywords.map((k) => (k.PATTERN as RegExp).source);
    expect(words.filter((w) => !mentionsWord(markdown.codeText, w))).toEqual([]);
  });

  it("mentions every builtin, root, operator, effect and kernel action in code", () => {
    const calls = BUILTINS.map((b) => `${b}(`);
    const names = [...calls, ...ROOTS, ...COMPARE_OPS, ...EFFECTS, ...KERNEL_ACTIONS];
    expect(names.filter((w) => !mentionsWord(markdown.codeText, w))).toEqual([]);
  });
});

/** The anchor GitHub gives a heading. */
function githubSlug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

function exampleName(ex: Example): string {
  const kind = ex.complete ? "file" : "fragment";
  const exp = ex.expect.length > 0 ? ` expect=${ex.expect.join(",")}` : "";
  return `language.md:${ex.fenceLine} (${kind}${exp})`;
}
