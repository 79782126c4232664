/**
 * The Prettier 3 plugin for .aarm files: `prettier --plugin aarm/prettier-plugin --write policy.aarm`, or
 * `prettier.format(text, { parser: "aarm", plugins: [plugin] })`. It prints exactly what `formatText` prints
 * (the same Prettier doc, from `policyDoc`), with a default print width of 110.
 *
 * Comments are placed by our own printer. The root node handed to Prettier therefore has no `comments` property,
 * and the printer defines no `printComment`/`canAttachComment`, so Prettier's comment attachment never runs (and
 * never complains about comments it did not print).
 *
 * The module's named exports are the plugin (Prettier loads a plugin module's namespace); `plugin` bundles them
 * for programmatic use.
 */
import type { Parser, ParserOptions, Plugin, Printer, SupportLanguage } from "prettier";
import type { Policy } from "../ast.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { parse } from "../parser/index.js";
import { DEFAULT_PRINT_WIDTH, policyDoc } from "../print/index.js";
import { lineCol, makeSource, type Source } from "../source.js";

/** The AST Prettier sees: the policy and its source, wrapped so that Prettier leaves the comments alone. */
export interface AarmRoot {
  readonly type: "aarm-root";
  readonly policy: Policy;
  readonly source: Source;
}

/** A syntax error in Prettier's shape: `loc` (1-based line and column) makes Prettier print a code frame. */
export interface AarmSyntaxError extends SyntaxError {
  readonly loc: { readonly start: { line: number; column: number }; readonly end: { line: number; column: number } };
  readonly diagnostics: readonly Diagnostic[];
}

function syntaxError(source: Source, errors: readonly Diagnostic[]): AarmSyntaxError {
  const first = errors[0]!;
  const span = first.span ?? { start: 0, end: 0 };
  const more = errors.length > 1 ? ` (and ${String(errors.length - 1)} more)` : "";
  const error = new SyntaxError(`${first.code}: ${first.message}${more}`);
  return Object.assign(error, {
    loc: { start: lineCol(source, span.start), end: lineCol(source, span.end) },
    diagnostics: errors,
  }) as unknown as AarmSyntaxError;
}

/** The `aarm` language: files ending in `.aarm`. */
export const languages: SupportLanguage[] = [{ name: "aarm", parsers: ["aarm"], extensions: [".aarm"], vscodeLanguageIds: ["aarm"] }];

const aarmParser: Parser<AarmRoot> = {
  astFormat: "aarm-ast",
  parse(text: string, options: ParserOptions<AarmRoot>): AarmRoot {
    const source = makeSource(options.filepath ?? "<input>.aarm", text);
    const { ast, diagnostics } = parse(source);
    const errors = diagnostics.filter((d) => d.severity === "error");
    if (errors.length > 0) throw syntaxError(source, errors);
    return { type: "aarm-root", policy: ast, source };
  },
  locStart: (node) => node.policy.span.start,
  locEnd: (node) => node.policy.span.end,
};

/** The `aarm` parser: our parser; files with syntax errors are refused with the first error's location. */
export const parsers: Record<string, Parser<AarmRoot>> = { aarm: aarmParser };

const aarmPrinter: Printer<AarmRoot> = {
  print(path) {
    const root = path.node;
    return policyDoc(root.policy, root.source);
  },
};

/** The `aarm-ast` printer: the canonical formatter's doc for the whole file. */
export const printers: Record<string, Printer<AarmRoot>> = { "aarm-ast": aarmPrinter };

/** Prettier's defaults for .aarm files (a user's configuration still overrides them). */
export const defaultOptions: Plugin["defaultOptions"] = { printWidth: DEFAULT_PRINT_WIDTH, tabWidth: 2 };

/** All of the above as one object, for `prettier.format(text, { parser: "aarm", plugins: [plugin] })`. */
export const plugin: Plugin<AarmRoot> = { languages, parsers, printers, defaultOptions };
