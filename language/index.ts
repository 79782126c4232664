/**
 * language/: surface syntax only. Knows nothing about schemas or targets.
 */
export * from "./ast.js";
export * from "./source.js";
export * from "./diagnostics/diagnostic.js";
export { allEntries, names, schema, syntax, target } from "./diagnostics/catalog.js";
export { define, renderTemplate, type CatalogEntry, type DiagnosticFactory } from "./diagnostics/define.js";
export { parse, MAX_NESTING, MAX_SOURCE_LENGTH, type ParseResult } from "./parser/index.js";
export { lex } from "./lexer/lexer.js";
export { reservedWords } from "./lexer/tokens.js";
