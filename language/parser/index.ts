/**
 * parse(source) → { ast, diagnostics }. Never throws: lexer errors, parser errors (after recovery) and literal
 * problems are all diagnostics, and the AST is returned even after recovery so that the checker can report more.
 */
import type { IRecognitionException, IToken } from "chevrotain";
import type { Decl, Header, Policy } from "../ast.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { syntax } from "../diagnostics/catalog-syntax.js";
import { lex } from "../lexer/lexer.js";
import { LBrace, LBracket, LParen, Not, RBrace, RBracket, RParen } from "../lexer/tokens.js";
import type { Source } from "../source.js";
import type { PolicyFileCstNode } from "./cst.generated.js";
import { describeToken, policyParser } from "./parser.js";
import { fieldNameKeywords, splitStatements } from "./statements.js";
import { ToAst } from "./to-ast.js";

/** Nesting limit for ( [ { and `not`: keeps the recursive-descent parser's stack bounded on hostile input. */
export const MAX_NESTING = 64;
/**
 * Largest accepted source, in UTF-16 code units. Parsing holds the tokens and the AST, roughly 100 bytes per
 * source character at the peak (a 40 MB policy peaked at 3.3 GB RSS); a 64 MiB policy exhausted Node's default
 * 4 GB heap and crashed the process instead of reporting AARM1010.
 */
export const MAX_SOURCE_LENGTH = 16 * 1024 * 1024;

export interface ParseResult {
  readonly ast: Policy;
  readonly diagnostics: readonly Diagnostic[];
}

function emptyPolicy(source: Source): Policy {
  return { kind: "Policy", span: { start: 0, end: source.text.length }, header: undefined, decls: [], comments: [] };
}

/**
 * The first token at which nesting exceeds the limit, if any. Brackets nest, and so does a run of `not`s
 * (`not not not x` recurses once per `not`, so 10,000 of them would overflow the stack).
 */
function tooDeep(tokens: readonly IToken[]): IToken | undefined {
  let depth = 0;
  let nots = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const tt = t.tokenType;
    if (tt === Not) {
      nots++;
      if (depth + nots > MAX_NESTING) return t;
      continue;
    }
    nots = 0;
    if (tt === LParen || tt === LBracket || tt === LBrace) {
      depth++;
      if (depth > MAX_NESTING) return t;
    } else if (tt === RParen || tt === RBracket || tt === RBrace) {
      depth = Math.max(0, depth - 1);
    }
  }
  return undefined;
}

type Span = { start: number; end: number };

function tokenSpan(t: IToken): Span {
  return { start: t.startOffset, end: t.startOffset + Math.max(1, t.image.length) };
}

function errorSpan(e: IRecognitionException, textLength: number): Span {
  const t = e.token;
  if (t.tokenType.name === "EOF" || Number.isNaN(t.startOffset)) {
    const prev = (e as IRecognitionException & { previousToken?: IToken }).previousToken;
    if (prev && !Number.isNaN(prev.startOffset)) {
      const end = prev.startOffset + prev.image.length;
      return { start: end, end };
    }
    return { start: textLength, end: textLength };
  }
  return tokenSpan(t);
}

/**
 * The parser's errors for one statement as AARM1004 diagnostics. The statement is parsed alone, so "end of
 * file" there means the next statement's first token (`next`), and the error is reported at that token.
 */
function statementErrors(source: Source, errors: readonly IRecognitionException[], next: IToken | undefined): Diagnostic[] {
  const out: Diagnostic[] = [];
  // One report per error position: recovery can report the same spot twice.
  let lastErrorEnd = -1;
  for (const e of errors) {
    const atEnd = e.token.tokenType.name === "EOF" || Number.isNaN(e.token.startOffset);
    const sp = atEnd && next ? tokenSpan(next) : errorSpan(e, source.text.length);
    if (sp.start < lastErrorEnd) continue;
    lastErrorEnd = sp.end;
    const m = /^expected (.*), found (.*)$/s.exec(e.message);
    const found = atEnd && next ? describeToken(next) : (m?.[2] ?? "");
    const params = m ? { expected: m[1] ?? "", found } : { expected: "something else", found: e.message };
    out.push(syntax.unexpectedToken(source.id, sp, params));
  }
  return out;
}

/** Diagnostics to-ast derives from the statement's structure, which after a syntax error is a guess. */
const STRUCTURAL = new Set(["AARM1004", "AARM1011", "AARM1012"]);

/**
 * Without cascades: a statement reports at most one AARM1004 (the leftmost). When the parser itself found an
 * error, to-ast's structural diagnostics (reserved word, annotation) are dropped too, as they describe the
 * recovered tree rather than what was written; literal problems (escapes, numbers, ports) are kept. After a
 * lexical error in the statement, the lexer's diagnostic is the only structural one.
 */
function withoutCascades(
  parserErrors: readonly Diagnostic[],
  astDiagnostics: readonly Diagnostic[],
  lexError: boolean,
): Diagnostic[] {
  // A token the lexer dropped (an invalid character, an unterminated string) leaves a hole the parser trips over.
  if (lexError) return astDiagnostics.filter((d) => !STRUCTURAL.has(d.code));
  const fromAst = parserErrors.length > 0 ? astDiagnostics.filter((d) => !STRUCTURAL.has(d.code)) : astDiagnostics;
  const all = [...parserErrors, ...fromAst];
  let first: Diagnostic | undefined;
  for (const d of all) {
    if (d.code !== "AARM1004") continue;
    if (!first || (d.span?.start ?? 0) < (first.span?.start ?? 0)) first = d;
  }
  return all.filter((d) => d.code !== "AARM1004" || d === first);
}

/** Indexes of the statements that contain a lexical error (one that precedes every statement counts for the first). */
function statementsWithLexError(statements: readonly IToken[][], lexDiagnostics: readonly Diagnostic[]): Set<number> {
  const out = new Set<number>();
  for (const d of lexDiagnostics) {
    const at = d.span?.start ?? 0;
    let lo = 0;
    let hi = statements.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((statements[mid]?.[0]?.startOffset ?? 0) <= at) lo = mid;
      else hi = mid - 1;
    }
    out.add(lo);
  }
  return out;
}

/**
 * A rule whose condition stops right at a syntax error (`when args.table = "payroll"` parses as `when
 * args.table`) gets an ErrorExpr instead, so that the checker does not report what is left (a string where a
 * boolean is needed) as a second error.
 */
function truncatedCondition(d: Decl, tokens: readonly IToken[], errorAt: number): Decl {
  if ((d.kind !== "Rule" && d.kind !== "TagRule") || !d.condition || d.condition.kind === "ErrorExpr") return d;
  const c = d.condition.span;
  if (c.start >= errorAt || tokens.some((t) => t.startOffset >= c.end && t.startOffset < errorAt)) return d;
  return { ...d, condition: { kind: "ErrorExpr", span: { start: c.start, end: Math.max(c.start, errorAt) } } };
}

/** Parse one policy file. */
export function parse(source: Source): ParseResult {
  if (source.text.length > MAX_SOURCE_LENGTH) {
    return {
      ast: emptyPolicy(source),
      diagnostics: [
        syntax.sourceTooLarge(source.id, { start: 0, end: 0 }, { size: source.text.length, limit: MAX_SOURCE_LENGTH }),
      ],
    };
  }
  const lexed = lex(source);
  const diagnostics: Diagnostic[] = [...lexed.diagnostics];
  const deep = tooDeep(lexed.tokens);
  if (deep) {
    const start = deep.startOffset;
    diagnostics.push(syntax.tooDeeplyNested(source.id, { start, end: start + 1 }, { limit: MAX_NESTING }));
    return { ast: emptyPolicy(source), diagnostics };
  }
  const statements = splitStatements(fieldNameKeywords(lexed.tokens, source.text), source.text);
  const withLexError = statementsWithLexError(statements, lexed.diagnostics);
  const toAst = new ToAst(source);
  let header: Header | undefined;
  const decls: Decl[] = [];
  let parseErrors = 0;
  for (let i = 0; i < statements.length; i++) {
    policyParser.input = statements[i]!;
    const cst = policyParser.policyFile() as PolicyFileCstNode;
    const parserErrors = policyParser.errors; // a copy each time it is read
    parseErrors += parserErrors.length;
    const errors = statementErrors(source, parserErrors, statements[i + 1]?.[0]);
    const seen = toAst.diagnostics.length;
    const part = toAst.policyFile(cst, []);
    if (i === 0) header = part.header;
    const errorAt = Math.min(...errors.map((e) => e.span?.start ?? Infinity));
    decls.push(...(errors.length > 0 ? part.decls.map((d) => truncatedCondition(d, statements[i]!, errorAt)) : part.decls));
    diagnostics.push(...withoutCascades(errors, toAst.diagnostics.slice(seen), withLexError.has(i)));
  }
  policyParser.input = []; // do not keep the last statement's tokens alive
  const ast: Policy = { ...toAst.policyFile({ name: "policyFile", children: {} }, lexed.comments), header, decls };
  if (!header && parseErrors === 0 && lexed.diagnostics.length === 0) {
    const first = lexed.tokens[0];
    const sp = first ? { start: first.startOffset, end: first.startOffset + first.image.length } : { start: 0, end: 0 };
    diagnostics.push(syntax.missingHeader(source.id, sp, {}));
  }
  return { ast, diagnostics };
}
