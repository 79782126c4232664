/**
 * parse(source) → { ast, diagnostics }. Never throws: lexer errors, parser errors (after recovery) and literal
 * problems are all diagnostics, and the AST is returned even after recovery so that the checker can report more.
 */
import type { IRecognitionException, IToken } from "chevrotain";
import type { Policy } from "../ast.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { syntax } from "../diagnostics/catalog-syntax.js";
import { lex } from "../lexer/lexer.js";
import { LBrace, LBracket, LParen, RBrace, RBracket, RParen } from "../lexer/tokens.js";
import type { Source } from "../source.js";
import type { PolicyFileCstNode } from "./cst.generated.js";
import { policyParser } from "./parser.js";
import { ToAst } from "./to-ast.js";

/** Nesting limit for ( [ {: keeps the recursive-descent parser's stack bounded on hostile input. */
export const MAX_NESTING = 64;
/** Largest accepted source, in UTF-16 code units. */
export const MAX_SOURCE_LENGTH = 64 * 1024 * 1024;

export interface ParseResult {
  readonly ast: Policy;
  readonly diagnostics: readonly Diagnostic[];
}

function emptyPolicy(source: Source): Policy {
  return { kind: "Policy", span: { start: 0, end: source.text.length }, header: undefined, decls: [], comments: [] };
}

/** The first token at which bracket nesting exceeds the limit, if any. */
function tooDeep(tokens: readonly IToken[]): IToken | undefined {
  let depth = 0;
  for (const t of tokens) {
    const tt = t.tokenType;
    if (tt === LParen || tt === LBracket || tt === LBrace) {
      depth++;
      if (depth > MAX_NESTING) return t;
    } else if (tt === RParen || tt === RBracket || tt === RBrace) {
      depth = Math.max(0, depth - 1);
    }
  }
  return undefined;
}

function errorSpan(e: IRecognitionException, textLength: number): { start: number; end: number } {
  const t = e.token;
  if (t.tokenType.name === "EOF" || Number.isNaN(t.startOffset)) {
    const prev = (e as IRecognitionException & { previousToken?: IToken }).previousToken;
    if (prev && !Number.isNaN(prev.startOffset)) {
      const end = prev.startOffset + prev.image.length;
      return { start: end, end };
    }
    return { start: textLength, end: textLength };
  }
  return { start: t.startOffset, end: t.startOffset + Math.max(1, t.image.length) };
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
  policyParser.input = lexed.tokens;
  const cst = policyParser.policyFile() as PolicyFileCstNode;
  // One report per error position: recovery can report the same spot twice.
  let lastErrorEnd = -1;
  for (const e of policyParser.errors) {
    const sp = errorSpan(e, source.text.length);
    if (sp.start < lastErrorEnd) continue;
    lastErrorEnd = sp.end;
    const m = /^expected (.*), found (.*)$/s.exec(e.message);
    const params = m ? { expected: m[1] ?? "", found: m[2] ?? "" } : { expected: "something else", found: e.message };
    diagnostics.push(syntax.unexpectedToken(source.id, sp, params));
  }
  const toAst = new ToAst(source);
  const ast = toAst.policyFile(cst, lexed.comments);
  diagnostics.push(...toAst.diagnostics);
  if (!ast.header && policyParser.errors.length === 0 && lexed.diagnostics.length === 0) {
    const first = lexed.tokens[0];
    const sp = first ? { start: first.startOffset, end: first.startOffset + first.image.length } : { start: 0, end: 0 };
    diagnostics.push(syntax.missingHeader(source.id, sp, {}));
  }
  return { ast, diagnostics };
}
