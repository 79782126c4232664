/**
 * Tokens of the .aarm language.
 *
 * Order of `allTokens` matters (Chevrotain takes the first pattern that matches, not the longest):
 *   1. whitespace and comments (comments are kept in a group for the formatter);
 *   2. the error-catching tokens for unterminated strings and comments right after their good forms;
 *   3. literals whose text starts like a number, longest first (address, duration, number), then the
 *      error-catching token for digits run into letters;
 *   4. multi-character punctuation before its prefixes (`..` before `.`, `==` before `=`);
 *   5. keywords, each with `longer_alt: Identifier` so `policyName` stays an identifier;
 *   6. Identifier last.
 */
import type { TokenType } from "chevrotain";
import { createToken, Lexer } from "../chevrotain.js";

// Categories ------------------------------------------------------------------------------------------------
/** Any word: an identifier or a keyword. Field names after `.` and argument names accept every word. */
export const AnyName = createToken({ name: "AnyName", pattern: Lexer.NA });
/** Keywords, for docs and the formatter. */
export const Keyword = createToken({ name: "Keyword", pattern: Lexer.NA });
/** Comparison operators written with symbols. */
export const CompareSymbol = createToken({ name: "CompareSymbol", pattern: Lexer.NA });

// Trivia -----------------------------------------------------------------------------------------------------
export const WhiteSpace = createToken({ name: "WhiteSpace", pattern: /[ \t\r\n\f\v\u00a0\ufeff]+/, group: Lexer.SKIPPED });
export const LineComment = createToken({ name: "LineComment", pattern: /\/\/[^\n\r]*/, group: "comments" });
export const BlockComment = createToken({ name: "BlockComment", pattern: /\/\*[\s\S]*?\*\//, group: "comments" });
/** Never accepted by the parser: the lexer wrapper reports AARM1003 and drops it. */
export const UnterminatedBlockComment = createToken({ name: "UnterminatedBlockComment", pattern: /\/\*[\s\S]*/ });

// Literals ---------------------------------------------------------------------------------------------------
export const StringLiteral = createToken({ name: "StringLiteral", label: "a string", pattern: /"(?:[^"\\\n\r]|\\[^\n\r])*"/ });
/** Never accepted by the parser: the lexer wrapper reports AARM1002 and drops it. */
export const UnterminatedString = createToken({ name: "UnterminatedString", pattern: /"(?:[^"\\\n\r]|\\[^\n\r])*\\?/ });
export const RegexLiteral = createToken({
  name: "RegexLiteral",
  label: "a regex",
  pattern: /\/(?:[^/\\\n\r[]|\\[^\n\r]|\[(?:[^\]\\\n\r]|\\[^\n\r])*\])+\/[A-Za-z]*/,
});
export const AddressLiteral = createToken({
  name: "AddressLiteral",
  label: "an address",
  // Any digit count: to-ast reports `1.2.3.4567` as an invalid address instead of lexing `1.2.3.456` and `7`.
  pattern: /\d+\.\d+\.\d+\.\d+(?:\/\d+)?/,
});
export const DurationLiteral = createToken({ name: "DurationLiteral", label: "a duration", pattern: /\d+(?:ms|s|m|h|d)(?![A-Za-z0-9_])/ });
export const NumberLiteral = createToken({
  name: "NumberLiteral",
  label: "a number",
  // The lookahead includes digits so that backtracking cannot split `10mins` into `1` and `0mins`.
  pattern: /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?![A-Za-z0-9_])/,
});

/**
 * Never accepted by the parser: digits running into letters (`10mins`, `1hr`, `5sec`). The lexer wrapper
 * reports AARM1007 and drops it; without it each such word was an "invalid character" at its first digit.
 */
export const MalformedNumber = createToken({ name: "MalformedNumber", pattern: /-?\d+(?:\.\d+)?[A-Za-z_][A-Za-z0-9_]*/ });

// Punctuation ------------------------------------------------------------------------------------------------
export const LBrace = createToken({ name: "LBrace", pattern: /\{/, label: "'{'" });
export const RBrace = createToken({ name: "RBrace", pattern: /\}/, label: "'}'" });
export const LParen = createToken({ name: "LParen", pattern: /\(/, label: "'('" });
export const RParen = createToken({ name: "RParen", pattern: /\)/, label: "')'" });
export const LBracket = createToken({ name: "LBracket", pattern: /\[/, label: "'['" });
export const RBracket = createToken({ name: "RBracket", pattern: /\]/, label: "']'" });
export const Comma = createToken({ name: "Comma", pattern: /,/, label: "','" });
export const Semicolon = createToken({ name: "Semicolon", pattern: /;/, label: "';'" });
export const Colon = createToken({ name: "Colon", pattern: /:/, label: "':'" });
export const DotDot = createToken({ name: "DotDot", pattern: /\.\./, label: "'..'" });
export const Dot = createToken({ name: "Dot", pattern: /\./, label: "'.'" });
export const At = createToken({ name: "At", pattern: /@/, label: "'@'" });
export const Star = createToken({ name: "Star", pattern: /\*/, label: "'*'" });
export const Pipe = createToken({ name: "Pipe", pattern: /\|/, label: "'|'" });
export const EqEq = createToken({ name: "EqEq", pattern: /==/, label: "'=='", categories: [CompareSymbol] });
export const NotEq = createToken({ name: "NotEq", pattern: /!=/, label: "'!='", categories: [CompareSymbol] });
export const LtEq = createToken({ name: "LtEq", pattern: /<=/, label: "'<='", categories: [CompareSymbol] });
export const GtEq = createToken({ name: "GtEq", pattern: />=/, label: "'>='", categories: [CompareSymbol] });
export const Lt = createToken({ name: "Lt", pattern: /</, label: "'<'", categories: [CompareSymbol] });
export const Gt = createToken({ name: "Gt", pattern: />/, label: "'>'", categories: [CompareSymbol] });
export const Eq = createToken({ name: "Eq", pattern: /=/, label: "'='" });

// Identifier -------------------------------------------------------------------------------------------------
export const Identifier = createToken({
  name: "Identifier",
  pattern: /[A-Za-z_][A-Za-z0-9_]*/,
  label: "a name",
  categories: [AnyName],
});

const keywords: TokenType[] = [];
function kw(word: string, extraCategories: TokenType[] = []): TokenType {
  const t = createToken({
    name: `Kw_${word}`,
    pattern: new RegExp(word),
    longer_alt: Identifier,
    label: `'${word}'`,
    categories: [Keyword, AnyName, ...extraCategories],
  });
  keywords.push(t);
  return t;
}

// Declarations
export const Policy = kw("policy");
export const Version = kw("version");
export const Default = kw("default");
export const Tools = kw("tools");
export const From = kw("from");
export const As = kw("as");
export const Levels = kw("levels");
export const Labels = kw("labels");
export const Const = kw("const");
export const Context = kw("context");
export const Bind = kw("bind");
export const To = kw("to");
export const Validate = kw("validate");
// Rules
export const On = kw("on");
export const Result = kw("result");
export const When = kw("when");
export const Because = kw("because");
export const Forbid = kw("forbid");
export const Deny = kw("deny");
export const Defer = kw("defer");
export const StepUp = kw("step_up");
export const Modify = kw("modify");
export const Allow = kw("allow");
export const Set = kw("set");
export const Cap = kw("cap");
export const AtKw = kw("at");
export const Redact = kw("redact");
export const Label = kw("label");
export const Approvers = kw("approvers");
export const Any = kw("any");
export const All = kw("all");
export const Of = kw("of");
export const Timeout = kw("timeout");
export const Escalate = kw("escalate");
export const After = kw("after");
export const Path = kw("path");
export const Under = kw("under");
export const Port = kw("port");
// Expressions
export const And = kw("and");
export const Or = kw("or");
export const Not = kw("not");
export const In = kw("in");
export const Matches = kw("matches");
export const Contains = kw("contains");
export const StartsWith = kw("startsWith");
export const EndsWith = kw("endsWith");
export const Mentions = kw("mentions");
export const Has = kw("has");
export const Excludes = kw("excludes");
export const Is = kw("is");
export const Known = kw("known");
export const Unknown = kw("unknown");
export const Present = kw("present");
export const Absent = kw("absent");
export const True = kw("true");
export const False = kw("false");
export const Null = kw("null");
export const Seen = kw("seen");
export const Count = kw("count");
export const Sequence = kw("sequence");
export const Within = kw("within");

/** Every keyword, in declaration order. */
export const allKeywords: readonly TokenType[] = keywords;

/** Keywords sorted longest first so that a keyword that is a prefix of another (`as`, `at`) never wins early. */
const keywordsByLength = [...keywords].sort((a, b) => String(b.PATTERN).length - String(a.PATTERN).length);

/** All tokens in lexing order (see the file comment). */
export const allTokens: readonly TokenType[] = [
  WhiteSpace,
  LineComment,
  BlockComment,
  UnterminatedBlockComment,
  StringLiteral,
  UnterminatedString,
  RegexLiteral,
  AddressLiteral,
  DurationLiteral,
  NumberLiteral,
  MalformedNumber,
  LBrace,
  RBrace,
  LParen,
  RParen,
  LBracket,
  RBracket,
  Comma,
  Semicolon,
  Colon,
  DotDot,
  Dot,
  At,
  Star,
  Pipe,
  EqEq,
  NotEq,
  LtEq,
  GtEq,
  Lt,
  Gt,
  Eq,
  ...keywordsByLength,
  Identifier,
  AnyName,
  Keyword,
  CompareSymbol,
];

/** The words that cannot be used as constant, label or level names. */
export const reservedWords: ReadonlySet<string> = new globalThis.Set(keywords.map((k) => String(k.PATTERN).slice(1, -1)));
