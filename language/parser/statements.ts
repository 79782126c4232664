/**
 * Statement-at-a-time parsing support. `parse` cuts the token stream into top-level statements and parses each
 * on its own, which gives two properties the whole-file parse lacked:
 *
 * - No cascades across statements: a mistake in one rule cannot make the parser re-synchronise in the middle of
 *   the next one, so N mistakes in N rules give N errors.
 * - Bounded memory: the CST of one statement is garbage once it has become AST, so a large policy holds its
 *   tokens and its AST but never the CST of the whole file (the CST is about twice the size of the AST).
 *
 * A statement starts at a declaration or rule keyword (or `@`) that is the first token on its line. Two
 * exceptions keep valid layouts in one piece: `allow`/`deny` right after `default`, and a rule after lines that
 * hold only its annotations. `policy` never starts a statement: a second header is reported where it stands.
 * Statements that share a line stay in one piece and are split by the grammar as before.
 */
import type { IToken, TokenType } from "chevrotain";
import * as T from "../lexer/tokens.js";

const keywordTypes: ReadonlySet<TokenType> = new Set(T.allKeywords);

/** Tokens that begin a top-level declaration or rule. */
const statementStartTypes: ReadonlySet<TokenType> = new Set([
  T.Default,
  T.Tools,
  T.Levels,
  T.Labels,
  T.Const,
  T.Context,
  T.Bind,
  T.Validate,
  T.On,
  T.At,
  T.Forbid,
  T.Deny,
  T.Defer,
  T.StepUp,
  T.Modify,
  T.Allow,
]);

/** Tokens that may appear inside an annotation: `@id("x")`, `@priority(10)`. */
const annotationTypes: ReadonlySet<TokenType> = new Set([
  T.At,
  T.LParen,
  T.RParen,
  T.StringLiteral,
  T.NumberLiteral,
]);

/**
 * Whether a line ends between two tokens: some line terminator (`\n` or `\r`, the lexer's) lies in the text
 * after `prev` and before `t` (the lexer records offsets only; this is the only place where lines matter).
 */
export function lineBreakBetween(text: string, prev: IToken, t: IToken): boolean {
  for (let i = prev.startOffset + prev.image.length; i < t.startOffset; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) return true;
  }
  return false;
}

function asIdentifier(t: IToken): IToken {
  return { ...t, tokenType: T.Identifier, tokenTypeIdx: T.Identifier.tokenTypeIdx ?? t.tokenTypeIdx };
}

/**
 * A keyword right after `.` (`session.labels`, `db.default`) is a name, and so is `context` right before `.`
 * (`context.env`, the root of a reference, never a declaration): re-type them as Identifiers. The grammar accepts any word in those places, so valid policies parse
 * to the same AST; the point is that such a word is never taken for the start of a statement, neither by
 * `splitStatements` nor by Chevrotain's re-synchronisation inside a statement. Returns a new array.
 */
export function fieldNameKeywords(tokens: readonly IToken[], text: string): IToken[] {
  const out = tokens.slice();
  for (let i = 0; i < out.length; i++) {
    const t = out[i]!;
    if (!keywordTypes.has(t.tokenType)) continue;
    const prev = tokens[i - 1];
    // A statement keyword that begins a line stays a keyword even after a dangling `.` (`allow db.` ⏎ `on ...`).
    const startsLine =
      prev !== undefined && lineBreakBetween(text, prev, t) && statementStartTypes.has(t.tokenType);
    const field = prev?.tokenType === T.Dot && !startsLine;
    const contextRoot = t.tokenType === T.Context && tokens[i + 1]?.tokenType === T.Dot;
    if (field || contextRoot) out[i] = asIdentifier(t);
  }
  return out;
}

/** Part of `@name(value)`: the annotation's name may be any word, nothing else may be a keyword. */
function isAnnotationToken(t: IToken, prev: IToken | undefined): boolean {
  return annotationTypes.has(t.tokenType) || t.tokenType === T.Identifier || prev?.tokenType === T.At;
}

/** Cut tokens into top-level statements (see the file comment). Every token is in exactly one statement. */
export function splitStatements(tokens: readonly IToken[], text: string): IToken[][] {
  const statements: IToken[][] = [];
  let current: IToken[] = [];
  let annotationsOnly = false;
  let prev: IToken | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const firstOnLine = prev === undefined || lineBreakBetween(text, prev, t);
    const starts =
      current.length > 0 &&
      firstOnLine &&
      statementStartTypes.has(t.tokenType) &&
      !(prev?.tokenType === T.Default && (t.tokenType === T.Allow || t.tokenType === T.Deny)) &&
      !annotationsOnly;
    if (starts) {
      statements.push(current);
      current = [];
    }
    if (current.length === 0) annotationsOnly = t.tokenType === T.At;
    else if (annotationsOnly && !isAnnotationToken(t, prev)) annotationsOnly = false;
    current.push(t);
    prev = t;
  }
  if (current.length > 0) statements.push(current);
  return statements;
}
