/**
 * The .aarm grammar as a pure Chevrotain CstParser: no embedded actions, no semantics. The CST is turned into the
 * AST by to-ast.ts. The grammar is documented rule by rule in docs/language.md.
 */
import type { IParserErrorMessageProvider, TokenType } from "chevrotain";
import { CstParser, defaultParserErrorProvider } from "../chevrotain.js";
import * as T from "../lexer/tokens.js";

/** Error messages in the wording of AARM1004 ("expected X, found Y"). */
const errorMessageProvider: IParserErrorMessageProvider = {
  ...defaultParserErrorProvider,
  buildMismatchTokenMessage({ expected, actual }) {
    return `expected ${tokenLabel(expected)}, found ${describe(actual.image, actual.tokenType)}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return `expected a declaration or rule, found ${describe(firstRedundant.image, firstRedundant.tokenType)}`;
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual, ruleName }) {
    const firsts = new Set<string>();
    for (const alt of expectedPathsPerAlt) for (const path of alt) if (path[0]) firsts.add(tokenLabel(path[0]));
    const first = actual[0];
    const found = first ? describe(first.image, first.tokenType) : "end of file";
    return `expected ${listOf([...firsts], ruleLabel(ruleName))}, found ${found}`;
  },
  buildEarlyExitMessage({ expectedIterationPaths, actual, ruleName }) {
    const firsts = new Set<string>();
    for (const path of expectedIterationPaths) if (path[0]) firsts.add(tokenLabel(path[0]));
    const first = actual[0];
    const found = first ? describe(first.image, first.tokenType) : "end of file";
    return `expected ${listOf([...firsts], ruleLabel(ruleName))}, found ${found}`;
  },
};

function tokenLabel(t: TokenType): string {
  // In-repetition recovery of the top-level MANY reports "expected EOF" when a statement ends early.
  if (t.name === "EOF") return "a declaration or rule";
  if (t === T.AnyName) return "a name";
  if (t === T.CompareSymbol) return "a comparison operator";
  return t.LABEL ?? t.name;
}

/** How a token is named in "found ..." messages: `identifier 'x'`, `string "s"`, `'when'`, `end of file`. */
export function describeToken(token: { readonly image: string; readonly tokenType: TokenType }): string {
  return describe(token.image, token.tokenType);
}

function describe(image: string, t: TokenType): string {
  if (image === "" || t.name === "EOF") return "end of file";
  const shown = image.length > 24 ? `${image.slice(0, 21)}...` : image;
  if (t === T.Identifier) return `identifier '${shown}'`;
  if (t === T.StringLiteral) return `string ${shown}`;
  if (t === T.NumberLiteral) return `number ${shown}`;
  return `'${shown}'`;
}

const RULE_LABELS: Record<string, string> = {
  topLevel: "a declaration or rule",
  ruleOrTag: "a rule effect (forbid, deny, defer, step_up, modify, allow) or 'on result'",
  effect: "a rule effect (forbid, deny, defer, step_up, modify, allow)",
  primary: "an expression",
  expression: "an expression",
  andExpr: "an expression",
  notExpr: "an expression",
  predicate: "an expression",
  declName: "a name",
  toolPattern: "a tool name or pattern",
  literal: "a literal",
  typeExpr: "a type",
  modification: "set, cap or redact",
  ruleOption: "a rule option",
  kernelClause: "path, under, to or port",
  address: "an address",
};

function ruleLabel(ruleName: string): string | undefined {
  return RULE_LABELS[ruleName];
}

function listOf(items: string[], fallback: string | undefined): string {
  if (fallback !== undefined && items.length > 4) return fallback;
  if (items.length === 0) return fallback ?? "something else";
  if (items.length === 1) return items[0] ?? "";
  return `${items.slice(0, -1).join(", ")} or ${items[items.length - 1] ?? ""}`;
}

/**
 * The parser. One module-level instance is reused (`parser.input = tokens` resets it). Chevrotain's grammar
 * validations (ambiguities, left recursion) only find mistakes in this file, and cost about a fifth of starting
 * the parser, so the shared instance skips them; grammar.test.ts builds one with `validate: true`.
 */
export class PolicyParser extends CstParser {
  constructor(options: { readonly validate?: boolean } = {}) {
    super([...T.allTokens], {
      recoveryEnabled: true,
      nodeLocationTracking: "onlyOffset",
      maxLookahead: 3,
      errorMessageProvider,
      skipValidations: options.validate !== true,
    });
    this.performSelfAnalysis();
  }

  // File ------------------------------------------------------------------------------------------------------
  public policyFile = this.RULE("policyFile", () => {
    this.OPTION(() => this.SUBRULE(this.header));
    this.MANY(() => this.SUBRULE(this.topLevel));
  });

  public header = this.RULE("header", () => {
    this.CONSUME(T.Policy);
    this.CONSUME(T.StringLiteral, { LABEL: "name" });
    this.OPTION(() => {
      this.CONSUME(T.Version);
      this.CONSUME2(T.StringLiteral, { LABEL: "version" });
    });
  });

  public topLevel = this.RULE("topLevel", () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.defaultDecl) },
      { ALT: () => this.SUBRULE(this.toolsDecl) },
      { ALT: () => this.SUBRULE(this.levelsDecl) },
      { ALT: () => this.SUBRULE(this.labelsDecl) },
      { ALT: () => this.SUBRULE(this.constDecl) },
      { ALT: () => this.SUBRULE(this.contextDecl) },
      { ALT: () => this.SUBRULE(this.bindDecl) },
      { ALT: () => this.SUBRULE(this.validateDecl) },
      { ALT: () => this.SUBRULE(this.ruleOrTag) },
    ]);
  });

  // Declarations ----------------------------------------------------------------------------------------------
  public defaultDecl = this.RULE("defaultDecl", () => {
    this.CONSUME(T.Default);
    this.OR([{ ALT: () => this.CONSUME(T.Allow) }, { ALT: () => this.CONSUME(T.Deny) }]);
  });

  public toolsDecl = this.RULE("toolsDecl", () => {
    this.CONSUME(T.Tools);
    this.CONSUME(T.From);
    this.CONSUME(T.StringLiteral);
    this.OPTION(() => {
      this.CONSUME(T.As);
      this.CONSUME(T.Identifier);
    });
  });

  public levelsDecl = this.RULE("levelsDecl", () => {
    this.CONSUME(T.Levels);
    this.AT_LEAST_ONE_SEP({ SEP: T.Lt, DEF: () => this.SUBRULE(this.declName) });
  });

  public labelsDecl = this.RULE("labelsDecl", () => {
    this.CONSUME(T.Labels);
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.declName) });
  });

  /** A declared name. Keywords are accepted here so that to-ast can report AARM1011 instead of a parse error. */
  public declName = this.RULE("declName", () => {
    this.CONSUME(T.AnyName);
  });

  public constDecl = this.RULE("constDecl", () => {
    this.CONSUME(T.Const);
    this.SUBRULE(this.declName);
    this.CONSUME(T.Eq);
    this.SUBRULE(this.expression);
  });

  public contextDecl = this.RULE("contextDecl", () => {
    this.CONSUME(T.Context);
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.contextField) });
  });

  public contextField = this.RULE("contextField", () => {
    this.SUBRULE(this.declName);
    this.CONSUME(T.Colon);
    this.SUBRULE(this.typeExpr);
  });

  public typeExpr = this.RULE("typeExpr", () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Identifier);
          this.OPTION(() => {
            this.CONSUME(T.Lt);
            this.SUBRULE(this.typeExpr);
            this.CONSUME(T.Gt);
          });
        },
      },
      { ALT: () => this.AT_LEAST_ONE_SEP({ SEP: T.Pipe, DEF: () => this.CONSUME(T.StringLiteral) }) },
    ]);
  });

  public bindDecl = this.RULE("bindDecl", () => {
    this.CONSUME(T.Bind);
    this.SUBRULE(this.toolPattern);
    this.CONSUME(T.LParen);
    this.SUBRULE(this.argPath);
    this.CONSUME(T.RParen);
    this.CONSUME(T.To);
    this.CONSUME(T.AnyName, { LABEL: "actionNamespace" });
    this.CONSUME(T.Dot);
    this.CONSUME2(T.AnyName, { LABEL: "actionName" });
  });

  /** `path`, `user.name`, `items[0]`: an argument path without the `args.` prefix. */
  public argPath = this.RULE("argPath", () => {
    this.CONSUME(T.AnyName);
    this.SUBRULE(this.segments);
  });

  public validateDecl = this.RULE("validateDecl", () => {
    this.CONSUME(T.Validate);
    this.SUBRULE(this.toolList);
    this.CONSUME(T.LBrace);
    this.MANY(() => {
      this.SUBRULE(this.constraint);
      this.OPTION(() => this.SUBRULE(this.separator));
    });
    this.CONSUME(T.RBrace);
  });

  public constraint = this.RULE("constraint", () => {
    this.SUBRULE(this.expression);
    this.OPTION(() => {
      this.CONSUME(T.Because);
      this.CONSUME(T.StringLiteral);
    });
  });

  public separator = this.RULE("separator", () => {
    this.OR([{ ALT: () => this.CONSUME(T.Comma) }, { ALT: () => this.CONSUME(T.Semicolon) }]);
  });

  // Rules -----------------------------------------------------------------------------------------------------
  public ruleOrTag = this.RULE("ruleOrTag", () => {
    this.MANY(() => this.SUBRULE(this.annotation));
    this.OR([{ ALT: () => this.SUBRULE(this.tagRule) }, { ALT: () => this.SUBRULE(this.rule) }]);
  });

  public annotation = this.RULE("annotation", () => {
    this.CONSUME(T.At);
    this.CONSUME(T.AnyName);
    this.OPTION(() => {
      this.CONSUME(T.LParen);
      this.OR([{ ALT: () => this.CONSUME(T.StringLiteral) }, { ALT: () => this.CONSUME(T.NumberLiteral) }]);
      this.CONSUME(T.RParen);
    });
  });

  public tagRule = this.RULE("tagRule", () => {
    this.CONSUME(T.On);
    this.CONSUME(T.Result);
    this.SUBRULE(this.toolList);
    this.OPTION(() => {
      this.CONSUME(T.When);
      this.SUBRULE(this.expression);
    });
    this.CONSUME(T.LBrace);
    this.CONSUME(T.Label);
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.declName) });
    this.CONSUME(T.RBrace);
  });

  public rule = this.RULE("rule", () => {
    this.SUBRULE(this.effect);
    this.SUBRULE(this.toolList);
    this.OPTION(() => this.SUBRULE(this.kernelClause));
    this.OPTION2(() => {
      this.CONSUME(T.When);
      this.SUBRULE(this.expression);
    });
    this.OPTION3(() => this.SUBRULE(this.modBlock));
    this.MANY(() => this.SUBRULE(this.ruleOption));
    this.OPTION4(() => {
      this.CONSUME(T.Because);
      this.CONSUME(T.StringLiteral);
    });
  });

  public effect = this.RULE("effect", () => {
    this.OR([
      { ALT: () => this.CONSUME(T.Forbid) },
      { ALT: () => this.CONSUME(T.Deny) },
      { ALT: () => this.CONSUME(T.Defer) },
      { ALT: () => this.CONSUME(T.StepUp) },
      { ALT: () => this.CONSUME(T.Modify) },
      { ALT: () => this.CONSUME(T.Allow) },
    ]);
  });

  public toolList = this.RULE("toolList", () => {
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.toolPattern) });
  });

  /** `db.query`, `calendar.*`, `*`, `"read-file"`. Segments after the first may be any word. */
  public toolPattern = this.RULE("toolPattern", () => {
    this.OR([
      { ALT: () => this.CONSUME(T.StringLiteral) },
      { ALT: () => this.CONSUME(T.Star) },
      {
        ALT: () => {
          this.CONSUME(T.Identifier);
          this.MANY(() => {
            this.CONSUME(T.Dot);
            this.OR2([{ ALT: () => this.CONSUME(T.AnyName) }, { ALT: () => this.CONSUME2(T.Star) }]);
          });
        },
      },
    ]);
  });

  public kernelClause = this.RULE("kernelClause", () => {
    this.OR([
      {
        ALT: () => {
          this.OR2([{ ALT: () => this.CONSUME(T.Path) }, { ALT: () => this.CONSUME(T.Under) }]);
          this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.CONSUME(T.StringLiteral) });
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.To);
          this.AT_LEAST_ONE_SEP2({ SEP: T.Comma, DEF: () => this.SUBRULE(this.address) });
          this.OPTION(() => this.SUBRULE(this.portClause));
        },
      },
      { ALT: () => this.SUBRULE2(this.portClause) },
    ]);
  });

  public address = this.RULE("address", () => {
    this.OR([{ ALT: () => this.CONSUME(T.AddressLiteral) }, { ALT: () => this.CONSUME(T.StringLiteral) }]);
  });

  public portClause = this.RULE("portClause", () => {
    this.CONSUME(T.Port);
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.portRange) });
  });

  public portRange = this.RULE("portRange", () => {
    this.CONSUME(T.NumberLiteral, { LABEL: "from" });
    this.OPTION(() => {
      this.CONSUME(T.DotDot);
      this.CONSUME2(T.NumberLiteral, { LABEL: "to" });
    });
  });

  public modBlock = this.RULE("modBlock", () => {
    this.CONSUME(T.LBrace);
    this.MANY(() => {
      this.SUBRULE(this.modification);
      this.OPTION(() => this.SUBRULE(this.separator));
    });
    this.CONSUME(T.RBrace);
  });

  public modification = this.RULE("modification", () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Set);
          this.SUBRULE(this.ref);
          this.CONSUME(T.Eq);
          this.SUBRULE(this.expression);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Cap);
          this.SUBRULE2(this.ref);
          this.CONSUME(T.AtKw);
          this.SUBRULE2(this.expression);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Redact);
          this.SUBRULE3(this.ref);
        },
      },
    ]);
  });

  public ruleOption = this.RULE("ruleOption", () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Approvers);
          this.OR2([
            { ALT: () => this.CONSUME(T.Any) },
            { ALT: () => this.CONSUME(T.All) },
            {
              ALT: () => {
                this.CONSUME(T.NumberLiteral);
                this.CONSUME(T.Of);
              },
            },
          ]);
          this.SUBRULE(this.stringList);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Timeout);
          this.CONSUME(T.DurationLiteral);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Escalate);
          this.CONSUME(T.To);
          this.SUBRULE2(this.stringList);
          this.CONSUME(T.After);
          this.CONSUME2(T.DurationLiteral);
        },
      },
    ]);
  });

  public stringList = this.RULE("stringList", () => {
    this.OR([
      { ALT: () => this.CONSUME(T.StringLiteral) },
      {
        ALT: () => {
          this.CONSUME(T.LBracket);
          this.MANY_SEP({ SEP: T.Comma, DEF: () => this.CONSUME2(T.StringLiteral) });
          this.CONSUME(T.RBracket);
        },
      },
    ]);
  });

  // Expressions -----------------------------------------------------------------------------------------------
  public expression = this.RULE("expression", () => {
    this.SUBRULE(this.andExpr);
    this.MANY(() => {
      this.CONSUME(T.Or);
      this.SUBRULE2(this.andExpr);
    });
  });

  public andExpr = this.RULE("andExpr", () => {
    this.SUBRULE(this.notExpr);
    this.MANY(() => {
      this.CONSUME(T.And);
      this.SUBRULE2(this.notExpr);
    });
  });

  public notExpr = this.RULE("notExpr", () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Not);
          this.SUBRULE(this.notExpr);
        },
      },
      { ALT: () => this.SUBRULE(this.predicate) },
    ]);
  });

  public predicate = this.RULE("predicate", () => {
    this.OPTION(() => {
      this.OR([
        { ALT: () => this.CONSUME(T.Any, { LABEL: "quantifier" }) },
        { ALT: () => this.CONSUME(T.All, { LABEL: "quantifier" }) },
      ]);
    });
    this.SUBRULE(this.primary, { LABEL: "left" });
    this.OPTION2(() => this.SUBRULE(this.predicateTail));
  });

  public predicateTail = this.RULE("predicateTail", () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.CompareSymbol);
          this.SUBRULE(this.primary);
        },
      },
      {
        ALT: () => {
          this.OPTION(() => this.CONSUME(T.Not));
          this.CONSUME(T.In);
          this.SUBRULE2(this.primary);
        },
      },
      {
        ALT: () => {
          this.OR2([
            { ALT: () => this.CONSUME(T.Matches) },
            { ALT: () => this.CONSUME(T.Contains) },
            { ALT: () => this.CONSUME(T.StartsWith) },
            { ALT: () => this.CONSUME(T.EndsWith) },
            { ALT: () => this.CONSUME(T.Mentions) },
            { ALT: () => this.CONSUME(T.Excludes) },
          ]);
          this.SUBRULE3(this.primary);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Has);
          this.OPTION2(() => {
            this.OR3([
              { ALT: () => this.CONSUME2(T.Any, { LABEL: "hasQuantifier" }) },
              { ALT: () => this.CONSUME2(T.All, { LABEL: "hasQuantifier" }) },
            ]);
          });
          this.SUBRULE4(this.primary);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Is);
          this.OR4([
            { ALT: () => this.CONSUME(T.Known) },
            { ALT: () => this.CONSUME(T.Unknown) },
            { ALT: () => this.CONSUME(T.Present) },
            { ALT: () => this.CONSUME(T.Absent) },
          ]);
        },
      },
    ]);
  });

  public primary = this.RULE("primary", () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.literal) },
      { ALT: () => this.SUBRULE(this.listLit) },
      { ALT: () => this.SUBRULE(this.parenExpr) },
      { ALT: () => this.SUBRULE(this.historyExpr) },
      { ALT: () => this.SUBRULE(this.resultExpr) },
      { ALT: () => this.SUBRULE(this.refOrCall) },
    ]);
  });

  public literal = this.RULE("literal", () => {
    this.OR([
      { ALT: () => this.CONSUME(T.StringLiteral) },
      { ALT: () => this.CONSUME(T.NumberLiteral) },
      { ALT: () => this.CONSUME(T.DurationLiteral) },
      { ALT: () => this.CONSUME(T.RegexLiteral) },
      { ALT: () => this.CONSUME(T.True) },
      { ALT: () => this.CONSUME(T.False) },
      { ALT: () => this.CONSUME(T.Null) },
    ]);
  });

  public listLit = this.RULE("listLit", () => {
    this.CONSUME(T.LBracket);
    this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.expression) });
    this.CONSUME(T.RBracket);
  });

  public parenExpr = this.RULE("parenExpr", () => {
    this.CONSUME(T.LParen);
    this.SUBRULE(this.expression);
    this.CONSUME(T.RParen);
  });

  /** `seen(...)`, `count(...)`, `sequence(...)`, each with an optional `within D`. */
  public historyExpr = this.RULE("historyExpr", () => {
    this.OR([
      { ALT: () => this.CONSUME(T.Seen) },
      { ALT: () => this.CONSUME(T.Count) },
      { ALT: () => this.CONSUME(T.Sequence) },
    ]);
    this.CONSUME(T.LParen);
    this.SUBRULE(this.toolList);
    this.OPTION(() => {
      this.CONSUME(T.Within);
      this.CONSUME(T.DurationLiteral);
    });
    this.CONSUME(T.RParen);
  });

  /** `result(TOOLS)` (a provenance source) or `result`, `result.field` (the output in a tag rule). */
  public resultExpr = this.RULE("resultExpr", () => {
    this.CONSUME(T.Result);
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          this.SUBRULE(this.toolList);
          this.CONSUME(T.RParen);
        },
      },
      { ALT: () => this.SUBRULE(this.segments) },
    ]);
  });

  /** `name`, `name.field[0]`, `name(args)`, `context.field`. */
  public refOrCall = this.RULE("refOrCall", () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Identifier);
          this.OR2([
            {
              ALT: () => {
                this.CONSUME(T.LParen);
                this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.expression) });
                this.CONSUME(T.RParen);
              },
            },
            { ALT: () => this.SUBRULE(this.segments) },
          ]);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Context);
          this.SUBRULE2(this.segments);
        },
      },
    ]);
  });

  /** A reference used as an assignment target: `args.limit`. */
  public ref = this.RULE("ref", () => {
    this.CONSUME(T.Identifier);
    this.SUBRULE(this.segments);
  });

  public segments = this.RULE("segments", () => {
    this.MANY(() => {
      this.OR([
        {
          ALT: () => {
            this.CONSUME(T.Dot);
            this.CONSUME(T.AnyName);
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.LBracket);
            this.OR2([{ ALT: () => this.CONSUME(T.NumberLiteral) }, { ALT: () => this.CONSUME(T.StringLiteral) }]);
            this.CONSUME(T.RBracket);
          },
        },
      ]);
    });
  });
}

/** The shared parser instance. */
export const policyParser = new PolicyParser();
