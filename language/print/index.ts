/**
 * The canonical formatter for .aarm files (also shipped as a Prettier plugin, language/prettier/plugin.ts) and the
 * AST debug dump used by golden `ast.txt` files.
 */
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { hasErrors } from "../diagnostics/diagnostic.js";
import { parse } from "../parser/index.js";
import { makeSource } from "../source.js";
import { printPolicy, type PrintPolicyOptions } from "./policy.js";

export { debugAst } from "./debug.js";
export { DEFAULT_PRINT_WIDTH, policyDoc, printPolicy, type PrintPolicyOptions } from "./policy.js";

/** The result of `formatText`: the formatted text, or the syntax errors that prevented formatting. */
export type FormatResult = { readonly formatted: string } | { readonly diagnostics: Diagnostic[] };

/**
 * Format one policy file. A file with syntax errors is not formatted: the parse diagnostics come back instead,
 * so a half-understood file is never rewritten. `id` names the file in those diagnostics.
 */
export function formatText(text: string, id: string, options: PrintPolicyOptions = {}): FormatResult {
  const source = makeSource(id, text);
  const { ast, diagnostics } = parse(source);
  if (hasErrors(diagnostics)) return { diagnostics: [...diagnostics] };
  return { formatted: printPolicy(ast, source, options) };
}
