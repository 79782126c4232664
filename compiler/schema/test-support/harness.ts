/**
 * Test support for the schema loader: load a tools file from an in-memory host through a real parsed
 * `tools from` declaration, and find spans by the text they cover.
 */
import { readFileSync } from "node:fs";
import type { Span, ToolsDecl } from "../../../language/index.js";
import { makeSource, parse } from "../../../language/index.js";
import { memoryHost } from "../../host.js";
import type { ObjectType } from "../../types.js";
import { type LoadedTools, loadTools } from "../index.js";

/** Where the test policy lives; tools paths resolve against its directory. */
export const POLICY_PATH = "/p/policy.aarm";
/** Where `tools from "./tools.json"` leads. */
export const TOOLS_PATH = "/p/tools.json";

/** The policy text declaring `tools from "<path>" [as <alias>]`. */
export function policyText(path = "./tools.json", alias?: string): string {
  const as = alias === undefined ? "" : ` as ${alias}`;
  return `policy "t" version "1.0.0"\ndefault deny\ntools from ${JSON.stringify(path)}${as}\nallow *\n`;
}

/** The ToolsDecl of a policy text (parsed, so spans are real). */
export function toolsDecl(text: string): ToolsDecl {
  const { ast, diagnostics } = parse(makeSource(POLICY_PATH, text));
  const decl = ast.decls.find((d): d is ToolsDecl => d.kind === "ToolsDecl");
  if (decl === undefined || diagnostics.length > 0) throw new Error("test policy did not parse");
  return decl;
}

/** The result of loading, plus the texts spans point into. */
export interface Loaded extends LoadedTools {
  readonly policy: string;
}

/** Load `tools from "<path>"` with the given files (paths absolute, under /p/ for the default path). */
export function load(
  files: Readonly<Record<string, string | Uint8Array>>,
  options: { readonly path?: string; readonly alias?: string } = {},
): Loaded {
  const policy = policyText(options.path, options.alias);
  return { ...loadTools(memoryHost(files), POLICY_PATH, toolsDecl(policy)), policy };
}

/** Load one tools file given as text at TOOLS_PATH. */
export function loadText(text: string, alias?: string): Loaded {
  return load({ [TOOLS_PATH]: text }, alias === undefined ? {} : { alias });
}

/** The span of the `occurrence`-th (0-based) appearance of `needle` in `text`; throws if absent. */
export function at(text: string, needle: string, occurrence = 0): Span {
  let from = 0;
  for (let i = 0; ; i++) {
    const start = text.indexOf(needle, from);
    if (start < 0) throw new Error(`${JSON.stringify(needle)} not found (occurrence ${occurrence})`);
    if (i === occurrence) return { start, end: start + needle.length };
    from = start + 1;
  }
}

/** Compact view of diagnostics for exact assertions. */
export function brief(
  r: LoadedTools,
): { code: string; sourceId: string; span: Span | undefined; message: string }[] {
  return r.diagnostics.map((d) => ({ code: d.code, sourceId: d.sourceId, span: d.span, message: d.message }));
}

/** A fixture file's text (compiler/schema/fixtures/). */
export function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/${name}`, import.meta.url), "utf8");
}

/** The input type of a loaded tool; throws when the tool is absent. */
export function inputOf(r: LoadedTools, name: string): ObjectType {
  const tool = r.tools.find((t) => t.name === name);
  if (tool === undefined) throw new Error(`no tool ${name}`);
  return tool.input;
}
