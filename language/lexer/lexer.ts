/**
 * lex(source) → tokens, comments and AARM1xxx diagnostics. The Chevrotain lexer never throws; its errors and the
 * error-catching tokens (unterminated string or comment, digits run into letters) become diagnostics and are
 * dropped from the stream.
 */
import type { IToken } from "chevrotain";
import { Lexer } from "../chevrotain.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { syntax } from "../diagnostics/catalog-syntax.js";
import type { Source } from "../source.js";
import { allTokens, MalformedNumber, UnterminatedBlockComment, UnterminatedString } from "./tokens.js";

/**
 * A lexer for the token set. Chevrotain's definition checks (unreachable or empty patterns) only find mistakes in
 * tokens.ts, so the shared instance skips them; grammar.test.ts builds one with `validate` set.
 */
export function createPolicyLexer(validate: boolean): InstanceType<typeof Lexer> {
  return new Lexer([...allTokens], {
    // Offsets only (lex adds endOffset): line numbers cost a third of the lexer's time and of each token's memory,
    // and statement splitting finds line breaks in the text instead (parser/statements.ts).
    positionTracking: "onlyOffset",
    ensureOptimizations: false,
    recoveryEnabled: true,
    skipValidations: !validate,
  });
}

/** The one lexer instance (Chevrotain lexers are stateless between calls). */
export const policyLexer = createPolicyLexer(false);

export interface LexResult {
  readonly tokens: IToken[];
  readonly comments: IToken[];
  readonly diagnostics: Diagnostic[];
}

/** Tokenize a source. */
export function lex(source: Source): LexResult {
  const r = policyLexer.tokenize(source.text);
  const diagnostics: Diagnostic[] = [];
  for (const e of r.errors) {
    const start = e.offset;
    const ch = source.text.codePointAt(start) ?? 0;
    const shown = ch < 32 || ch === 127 ? `U+${ch.toString(16).toUpperCase().padStart(4, "0")}` : String.fromCodePoint(ch);
    diagnostics.push(syntax.invalidCharacter(source.id, { start, end: start + Math.max(1, e.length) }, { char: shown }));
  }
  const tokens: IToken[] = [];
  for (let i = 0; i < r.tokens.length; i++) {
    const t = r.tokens[i]!;
    const tt = t.tokenType;
    if (tt !== UnterminatedString && tt !== UnterminatedBlockComment && tt !== MalformedNumber) {
      t.endOffset = t.startOffset + t.image.length - 1; // the parser's node locations read it
      tokens.push(t);
      continue;
    }
    const sp = { start: t.startOffset, end: t.startOffset + t.image.length };
    if (tt === UnterminatedString) diagnostics.push(syntax.unterminatedString(source.id, sp, {}));
    else if (tt === UnterminatedBlockComment) diagnostics.push(syntax.unterminatedComment(source.id, sp, {}));
    else diagnostics.push(syntax.invalidLiteral(source.id, sp, malformed(t.image)));
  }
  const comments = r.groups["comments"] ?? [];
  return { tokens, comments, diagnostics };
}

function malformed(text: string): { what: string; text: string; reason: string } {
  return {
    what: "number or duration",
    text: text.length > 40 ? `${text.slice(0, 37)}...` : text,
    reason: "a duration is a whole number followed by ms, s, m, h or d (10m); a number has no letters",
  };
}
