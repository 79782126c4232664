/**
 * CST → AST. Every method returns a concrete AST node with a span. Literal decoding problems (bad escapes,
 * out-of-range numbers) and misuse of reserved words are reported here because they need no types.
 * The visitor is defensive: after error recovery the CST may lack children, and then an ErrorExpr or a skipped
 * declaration stands in (the parser has already reported the error).
 */
import type { CstNode, IToken } from "chevrotain";
import type * as A from "../ast.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { syntax } from "../diagnostics/catalog-syntax.js";
import { type Source, type Span, span } from "../source.js";
import type * as C from "./cst.generated.js";
import { checkAnnotations } from "./annotations.js";
import { addressProblem, decodeString, parseDuration, parseNumber } from "./literals.js";

/** Most operands one `and` or `or` chain may have (keeps the AST's depth, and so every pass's stack, bounded). */
export const MAX_CHAIN = 256;

const NO_SPAN: Span = { start: 0, end: 0 };

function tokSpan(t: IToken | undefined): Span {
  if (!t || Number.isNaN(t.startOffset)) return NO_SPAN;
  return { start: t.startOffset, end: t.startOffset + t.image.length };
}

function nodeSpan(n: CstNode | undefined): Span {
  const loc = n?.location;
  if (!loc || Number.isNaN(loc.startOffset)) return NO_SPAN;
  const end = loc.endOffset === undefined || Number.isNaN(loc.endOffset) ? loc.startOffset : loc.endOffset + 1;
  return { start: loc.startOffset, end };
}

function real(t: IToken | undefined): t is IToken {
  return t !== undefined && !t.isInsertedInRecovery && !Number.isNaN(t.startOffset);
}

function first<T>(xs: readonly T[] | undefined): T | undefined {
  return xs?.[0];
}

/** The first element of the first non-empty list. */
function firstOf<T>(...lists: (readonly T[] | undefined)[]): T | undefined {
  for (const xs of lists) if (xs !== undefined && xs.length > 0) return xs[0];
  return undefined;
}

/** The first token of a node's first non-empty child list (in CST key order). */
function firstToken(n: CstNode): IToken | undefined {
  for (const key in n.children) {
    const xs = n.children[key];
    if (xs !== undefined && xs.length > 0) return xs[0] as IToken;
  }
  return undefined;
}

/** Converts one file's CST. Create one per parse. */
export class ToAst {
  readonly diagnostics: Diagnostic[] = [];
  constructor(private readonly source: Source) {}

  private report(d: Diagnostic): void {
    this.diagnostics.push(d);
  }

  policyFile(n: C.PolicyFileCstNode, comments: readonly IToken[]): A.Policy {
    const headerNode = first(n.children.header);
    const header = headerNode ? this.header(headerNode) : undefined;
    const decls: A.Decl[] = [];
    for (const t of n.children.topLevel ?? []) {
      const d = this.topLevel(t);
      if (d) decls.push(d);
    }
    return {
      kind: "Policy",
      span: { start: 0, end: this.source.text.length },
      header,
      decls,
      comments: comments.map((c) => ({
        kind: "Comment" as const,
        span: tokSpan(c),
        text: c.image,
        block: c.image.startsWith("/*"),
      })),
    };
  }

  private header(n: C.HeaderCstNode): A.Header | undefined {
    const name = this.str(first(n.children.name));
    if (!name) return undefined;
    const v = first(n.children.version);
    return { kind: "Header", span: nodeSpan(n), name, version: this.str(v) };
  }

  private topLevel(n: C.TopLevelCstNode): A.Decl | undefined {
    const c = n.children;
    if (c.defaultDecl) return this.defaultDecl(c.defaultDecl[0]!);
    if (c.toolsDecl) return this.toolsDecl(c.toolsDecl[0]!);
    if (c.levelsDecl) return this.namesDecl("LevelsDecl", c.levelsDecl[0]!);
    if (c.labelsDecl) return this.namesDecl("LabelsDecl", c.labelsDecl[0]!);
    if (c.constDecl) return this.constDecl(c.constDecl[0]!);
    if (c.contextDecl) return this.contextDecl(c.contextDecl[0]!);
    if (c.bindDecl) return this.bindDecl(c.bindDecl[0]!);
    if (c.validateDecl) return this.validateDecl(c.validateDecl[0]!);
    if (c.ruleOrTag) return this.ruleOrTag(c.ruleOrTag[0]!);
    return undefined;
  }

  // Declarations ----------------------------------------------------------------------------------------------
  private defaultDecl(n: C.DefaultDeclCstNode): A.DefaultDecl | undefined {
    const posture = n.children.Kw_allow ? "allow" : n.children.Kw_deny ? "deny" : undefined;
    if (!posture) return undefined;
    return { kind: "DefaultDecl", span: nodeSpan(n), posture };
  }

  private toolsDecl(n: C.ToolsDeclCstNode): A.ToolsDecl | undefined {
    const path = this.str(first(n.children.StringLiteral));
    if (!path) return undefined;
    const alias = first(n.children.Identifier);
    return {
      kind: "ToolsDecl",
      span: nodeSpan(n),
      path,
      alias: real(alias) ? this.ident(alias) : undefined,
    };
  }

  private namesDecl(kind: "LevelsDecl" | "LabelsDecl", n: C.LevelsDeclCstNode | C.LabelsDeclCstNode): A.Decl {
    const names = (n.children.declName ?? []).map((d) => this.declName(d)).filter((x) => x !== undefined);
    return kind === "LevelsDecl"
      ? { kind, span: nodeSpan(n), levels: names }
      : { kind, span: nodeSpan(n), labels: names };
  }

  /** A declared name; keywords are rejected with AARM1011. */
  private declName(n: C.DeclNameCstNode): A.Identifier | undefined {
    const t = first(n.children.AnyName);
    if (!real(t)) return undefined;
    if (t.tokenType.name.startsWith("Kw_")) {
      this.report(syntax.reservedWord(this.source.id, tokSpan(t), { word: t.image }));
    }
    return this.ident(t);
  }

  private constDecl(n: C.ConstDeclCstNode): A.ConstDecl | undefined {
    const name = n.children.declName ? this.declName(n.children.declName[0]!) : undefined;
    if (!name) return undefined;
    return { kind: "ConstDecl", span: nodeSpan(n), name, value: this.expression(first(n.children.expression)) };
  }

  private contextDecl(n: C.ContextDeclCstNode): A.ContextDecl {
    const fields: A.ContextField[] = [];
    for (const f of n.children.contextField ?? []) {
      const name = f.children.declName ? this.declName(f.children.declName[0]!) : undefined;
      const type = f.children.typeExpr ? this.typeExpr(f.children.typeExpr[0]!) : undefined;
      if (name && type) fields.push({ kind: "ContextField", span: nodeSpan(f), name, type });
    }
    return { kind: "ContextDecl", span: nodeSpan(n), fields };
  }

  private typeExpr(n: C.TypeExprCstNode): A.TypeExpr | undefined {
    const c = n.children;
    if (c.StringLiteral) {
      const values = c.StringLiteral.map((t) => this.str(t)).filter((x) => x !== undefined);
      return { kind: "EnumType", span: nodeSpan(n), values };
    }
    const id = first(c.Identifier);
    if (!real(id)) return undefined;
    const inner = first(c.typeExpr);
    if (id.image === "list") {
      const element = inner ? this.typeExpr(inner) : undefined;
      if (!element) {
        this.report(
          syntax.unexpectedToken(this.source.id, tokSpan(id), {
            expected: "'list<T>'",
            found: "'list' without an element type",
          }),
        );
        return undefined;
      }
      return { kind: "ListType", span: nodeSpan(n), element };
    }
    if (id.image === "bool" || id.image === "number" || id.image === "string" || id.image === "duration") {
      if (inner) {
        this.report(
          syntax.unexpectedToken(this.source.id, nodeSpan(inner), {
            expected: "a type without parameters",
            found: `'${id.image}<...>'`,
          }),
        );
      }
      return { kind: "NamedType", span: nodeSpan(n), name: id.image };
    }
    this.report(
      syntax.unexpectedToken(this.source.id, tokSpan(id), {
        expected: 'a type (bool, number, string, duration, list<T>, or "a" | "b")',
        found: `identifier '${id.image}'`,
      }),
    );
    return undefined;
  }

  private bindDecl(n: C.BindDeclCstNode): A.BindDecl | undefined {
    const c = n.children;
    const tool = c.toolPattern ? this.toolPattern(c.toolPattern[0]!) : undefined;
    const arg = c.argPath ? this.argPath(c.argPath[0]!) : undefined;
    const ns = first(c.actionNamespace);
    const name = first(c.actionName);
    if (!tool || !arg || !real(ns) || !real(name)) return undefined;
    const target = `${ns.image}.${name.image}`;
    const targetSpan = { start: tokSpan(ns).start, end: tokSpan(name).end };
    if (target !== "file.open" && target !== "process.exec" && target !== "net.connect") {
      this.report(
        syntax.unexpectedToken(this.source.id, targetSpan, {
          expected: "file.open, process.exec or net.connect",
          found: `'${target}'`,
        }),
      );
      return undefined;
    }
    return { kind: "BindDecl", span: nodeSpan(n), tool, arg, target, targetSpan };
  }

  /** `path` or `user.name` inside `bind t(...)`: becomes the reference `args.path`. */
  private argPath(n: C.ArgPathCstNode): A.Ref | undefined {
    const t = first(n.children.AnyName);
    if (!real(t)) return undefined;
    const head: A.FieldSegment = { kind: "FieldSegment", span: tokSpan(t), name: t.image };
    const rest = n.children.segments ? this.segments(n.children.segments[0]!) : [];
    const root: A.Identifier = { kind: "Identifier", span: { start: tokSpan(t).start, end: tokSpan(t).start }, name: "args" };
    return { kind: "Ref", span: nodeSpan(n), root, segments: [head, ...rest] };
  }

  private validateDecl(n: C.ValidateDeclCstNode): A.ValidateDecl | undefined {
    const tools = this.toolList(first(n.children.toolList));
    if (tools.length === 0) return undefined;
    const constraints: A.Constraint[] = (n.children.constraint ?? []).map((c) => ({
      kind: "Constraint",
      span: nodeSpan(c),
      expr: this.expression(first(c.children.expression)),
      reason: this.str(first(c.children.StringLiteral)),
    }));
    return { kind: "ValidateDecl", span: nodeSpan(n), tools, constraints };
  }

  // Rules -----------------------------------------------------------------------------------------------------
  private ruleOrTag(n: C.RuleOrTagCstNode): A.Rule | A.TagRule | undefined {
    const annotations = (n.children.annotation ?? []).map((a) => this.annotation(a)).filter((a) => a !== undefined);
    for (const d of checkAnnotations(this.source.id, annotations)) this.report(d);
    const start = nodeSpan(n).start;
    const tag = first(n.children.tagRule);
    if (tag) return this.tagRule(tag, annotations, start);
    const rule = first(n.children.rule);
    if (rule) return this.rule(rule, annotations, start);
    return undefined;
  }

  private annotation(n: C.AnnotationCstNode): A.Annotation | undefined {
    const name = first(n.children.AnyName);
    if (!real(name)) return undefined;
    const s = first(n.children.StringLiteral);
    const num = first(n.children.NumberLiteral);
    const value = s ? this.str(s) : num ? this.num(num) : undefined;
    return { kind: "Annotation", span: nodeSpan(n), name: this.ident(name), value };
  }

  private tagRule(n: C.TagRuleCstNode, annotations: A.Annotation[], start: number): A.TagRule | undefined {
    const tools = this.toolList(first(n.children.toolList));
    if (tools.length === 0) return undefined;
    const cond = first(n.children.expression);
    const labels = (n.children.declName ?? []).map((d) => this.declName(d)).filter((x) => x !== undefined);
    return {
      kind: "TagRule",
      span: span(start, nodeSpan(n).end),
      annotations,
      tools,
      condition: cond ? this.expression(cond) : undefined,
      labels,
    };
  }

  private rule(n: C.RuleCstNode, annotations: A.Annotation[], start: number): A.Rule | undefined {
    const c = n.children;
    const eff = first(c.effect);
    const effTok = eff ? firstToken(eff) : undefined;
    if (!eff || !real(effTok)) return undefined;
    const effect = effTok.image as A.Effect;
    const tools = this.toolList(first(c.toolList));
    if (tools.length === 0) return undefined;
    const cond = first(c.expression);
    const modBlock = first(c.modBlock);
    return {
      kind: "Rule",
      span: span(start, nodeSpan(n).end),
      annotations,
      effect,
      effectSpan: tokSpan(effTok),
      tools,
      kernel: c.kernelClause ? this.kernelClause(c.kernelClause[0]!) : undefined,
      condition: cond ? this.expression(cond) : undefined,
      modifications: modBlock ? (modBlock.children.modification ?? []).map((m) => this.modification(m)).filter((m) => m !== undefined) : [],
      options: (c.ruleOption ?? []).map((o) => this.ruleOption(o)).filter((o) => o !== undefined),
      reason: this.str(first(c.StringLiteral)),
    };
  }

  private toolList(n: C.ToolListCstNode | undefined): A.ToolPattern[] {
    if (!n) return [];
    return (n.children.toolPattern ?? []).map((p) => this.toolPattern(p)).filter((p) => p !== undefined);
  }

  private toolPattern(n: C.ToolPatternCstNode): A.ToolPattern | undefined {
    const c = n.children;
    const s = first(c.StringLiteral);
    if (s) {
      const lit = this.str(s);
      return lit ? { kind: "ToolPattern", span: lit.span, text: lit.value, quoted: true } : undefined;
    }
    const only = c.Identifier?.length === 1 && !c.Dot && !c.AnyName && !c.Star ? c.Identifier[0] : undefined;
    if (real(only)) return { kind: "ToolPattern", span: tokSpan(only), text: only.image, quoted: false }; // `t17`
    const tokens = [...(c.Identifier ?? []), ...(c.Dot ?? []), ...(c.AnyName ?? []), ...(c.Star ?? [])]
      .filter(real)
      .sort((a, b) => a.startOffset - b.startOffset);
    if (tokens.length === 0) return undefined;
    const sp = { start: tokSpan(tokens[0]).start, end: tokSpan(tokens[tokens.length - 1]).end };
    return { kind: "ToolPattern", span: sp, text: tokens.map((t) => t.image).join(""), quoted: false };
  }

  private kernelClause(n: C.KernelClauseCstNode): A.KernelMatch | undefined {
    const c = n.children;
    if (c.Kw_path || c.Kw_under) {
      const values = (c.StringLiteral ?? []).map((t) => this.str(t)).filter((x) => x !== undefined);
      return { kind: "PathMatch", span: nodeSpan(n), mode: c.Kw_path ? "path" : "under", values };
    }
    const addresses: A.AddressLit[] = [];
    for (const a of c.address ?? []) {
      const t = first(a.children.AddressLiteral);
      const s = first(a.children.StringLiteral);
      const lit = s ? this.str(s) : undefined;
      const addr = real(t) ? { span: tokSpan(t), text: t.image } : lit ? { span: lit.span, text: lit.value } : undefined;
      if (!addr) continue;
      const problem = addressProblem(addr.text);
      if (problem === undefined) addresses.push({ kind: "AddressLit", ...addr });
      else this.report(syntax.invalidLiteral(this.source.id, addr.span, { what: "address", text: addr.text, reason: problem }));
    }
    const ports: A.PortRange[] = [];
    for (const pc of c.portClause ?? []) {
      for (const pr of pc.children.portRange ?? []) {
        const p = this.portRange(pr);
        if (p) ports.push(p);
      }
    }
    return { kind: "NetMatch", span: nodeSpan(n), addresses, ports };
  }

  private portRange(n: C.PortRangeCstNode): A.PortRange | undefined {
    const from = first(n.children.from);
    if (!real(from)) return undefined;
    const to = first(n.children.to);
    const f = this.port(from);
    const t = real(to) ? this.port(to) : f;
    if (f === undefined || t === undefined) return undefined;
    if (t < f) {
      this.report(
        syntax.invalidLiteral(this.source.id, nodeSpan(n), {
          what: "port range",
          text: `${from.image}..${to?.image ?? ""}`,
          reason: "the range is empty (its end is below its start)",
        }),
      );
      return undefined;
    }
    return { kind: "PortRange", span: nodeSpan(n), from: f, to: t };
  }

  private port(t: IToken): number | undefined {
    const v = Number(t.image);
    if (!Number.isInteger(v) || v < 0 || v > 65535) {
      this.report(
        syntax.invalidLiteral(this.source.id, tokSpan(t), {
          what: "port",
          text: t.image,
          reason: "a port is an integer from 0 to 65535",
        }),
      );
      return undefined;
    }
    return v;
  }

  private modification(n: C.ModificationCstNode): A.Modification | undefined {
    const c = n.children;
    const target = c.ref ? this.ref(c.ref[0]!) : undefined;
    if (!target) return undefined;
    const value = first(c.expression);
    if (c.Kw_set) return { kind: "SetMod", span: nodeSpan(n), target, value: this.expression(value) };
    if (c.Kw_cap) return { kind: "CapMod", span: nodeSpan(n), target, value: this.expression(value) };
    return { kind: "RedactMod", span: nodeSpan(n), target };
  }

  private ruleOption(n: C.RuleOptionCstNode): A.RuleOption | undefined {
    const c = n.children;
    if (c.Kw_approvers) {
      const groups = this.stringList(first(c.stringList));
      let quorum: A.Quorum;
      if (c.Kw_any) quorum = { kind: "any" };
      else if (c.Kw_all) quorum = { kind: "all" };
      else {
        const kTok = first(c.NumberLiteral);
        if (!real(kTok)) return undefined; // missing after a syntax error, already reported
        const k = Number(kTok.image);
        if (!Number.isInteger(k) || k < 1) {
          this.report(
            syntax.invalidLiteral(this.source.id, tokSpan(kTok), {
              what: "quorum",
              text: kTok?.image ?? "",
              reason: "k in `k of [...]` is a positive integer",
            }),
          );
          return undefined;
        }
        quorum = { kind: "k", k };
      }
      return { kind: "ApproversOption", span: nodeSpan(n), quorum, groups };
    }
    if (c.Kw_timeout) {
      const d = this.duration(first(c.DurationLiteral));
      return d ? { kind: "TimeoutOption", span: nodeSpan(n), duration: d } : undefined;
    }
    const lists = c.stringList ?? [];
    const after = this.duration(first(c.DurationLiteral));
    if (!after) return undefined;
    return { kind: "EscalateOption", span: nodeSpan(n), groups: this.stringList(lists[0]), after };
  }

  private stringList(n: C.StringListCstNode | undefined): A.StringLit[] {
    if (!n) return [];
    return (n.children.StringLiteral ?? []).map((t) => this.str(t)).filter((x) => x !== undefined);
  }

  // Expressions -----------------------------------------------------------------------------------------------
  expression(n: C.ExpressionCstNode | undefined): A.Expr {
    if (!n) return this.errorExpr(undefined);
    const parts = (n.children.andExpr ?? []).map((a) => this.andExpr(a));
    return this.foldLogical("or", parts, n);
  }

  private andExpr(n: C.AndExprCstNode): A.Expr {
    const parts = (n.children.notExpr ?? []).map((x) => this.notExpr(x));
    return this.foldLogical("and", parts, n);
  }

  private foldLogical(op: A.LogicalOp, parts: A.Expr[], n: CstNode): A.Expr {
    let acc = parts[0];
    if (!acc) return this.errorExpr(n);
    if (parts.length > MAX_CHAIN) {
      // A left-deep chain this long would make every later recursive pass as deep; refuse it here.
      this.report(syntax.expressionTooLong(this.source.id, nodeSpan(n), { op, count: parts.length, limit: MAX_CHAIN }));
      return this.errorExpr(n);
    }
    for (let i = 1; i < parts.length; i++) {
      const right = parts[i]!;
      // max: after recovery an operand may be an ErrorExpr with an empty span at offset 0.
      acc = { kind: "LogicalExpr", span: span(acc.span.start, right.span.end), op, left: acc, right };
    }
    return acc;
  }

  private notExpr(n: C.NotExprCstNode): A.Expr {
    const inner = first(n.children.notExpr);
    if (n.children.Kw_not && inner) return { kind: "NotExpr", span: nodeSpan(n), operand: this.notExpr(inner) };
    const p = first(n.children.predicate);
    return p ? this.predicate(p) : this.errorExpr(n);
  }

  private predicate(n: C.PredicateCstNode): A.Expr {
    const c = n.children;
    const leftNode = first(c.left);
    const left = leftNode ? this.primary(leftNode) : this.errorExpr(n);
    const q = first(c.quantifier);
    const quantifier: A.Quantifier | undefined = real(q) ? (q.image as A.Quantifier) : undefined;
    const tail = first(c.predicateTail);
    if (!tail) {
      if (quantifier) {
        this.report(
          syntax.unexpectedToken(this.source.id, span(tokSpan(q).start, left.span.end), {
            expected: "a comparison after the quantified operand",
            found: "end of the expression",
          }),
        );
        return this.errorExpr(n);
      }
      return left;
    }
    const t = tail.children;
    if (t.Kw_is) {
      const test: A.IsTest = t.Kw_known ? "known" : t.Kw_unknown ? "unknown" : t.Kw_present ? "present" : "absent";
      return { kind: "IsExpr", span: nodeSpan(n), operand: left, test };
    }
    const opTok = firstOf(
      t.CompareSymbol,
      t.Kw_in,
      t.Kw_matches,
      t.Kw_contains,
      t.Kw_startsWith,
      t.Kw_endsWith,
      t.Kw_mentions,
      t.Kw_excludes,
      t.Kw_has,
    );
    if (!real(opTok)) return this.errorExpr(n);
    let op = opTok.image as A.CompareOp;
    let opSpan = tokSpan(opTok);
    const notTok = first(t.Kw_not);
    if (real(notTok) && op === "in") {
      op = "not in";
      opSpan = { start: tokSpan(notTok).start, end: opSpan.end };
    }
    const hq = first(t.hasQuantifier);
    if (op === "has" && real(hq)) {
      op = hq.image === "any" ? "has any" : "has all";
      opSpan = { start: opSpan.start, end: tokSpan(hq).end };
    }
    const rightNode = first(t.primary);
    const right = rightNode ? this.primary(rightNode) : this.errorExpr(tail);
    return { kind: "CompareExpr", span: nodeSpan(n), op, opSpan, quantifier, left, right };
  }

  private primary(n: C.PrimaryCstNode): A.Expr {
    const c = n.children;
    if (c.literal) return this.literal(c.literal[0]!);
    if (c.listLit) {
      const l = c.listLit[0]!;
      return { kind: "ListLit", span: nodeSpan(l), elements: (l.children.expression ?? []).map((e) => this.expression(e)) };
    }
    if (c.parenExpr) {
      const p = c.parenExpr[0]!;
      return { kind: "ParenExpr", span: nodeSpan(p), expr: this.expression(first(p.children.expression)) };
    }
    if (c.historyExpr) return this.historyExpr(c.historyExpr[0]!);
    if (c.resultExpr) return this.resultExpr(c.resultExpr[0]!);
    if (c.refOrCall) return this.refOrCall(c.refOrCall[0]!);
    return this.errorExpr(n);
  }

  private literal(n: C.LiteralCstNode): A.Expr {
    const c = n.children;
    const s = first(c.StringLiteral);
    if (s) return this.str(s) ?? this.errorExpr(n);
    const num = first(c.NumberLiteral);
    if (num) return this.num(num) ?? this.errorExpr(n);
    const d = first(c.DurationLiteral);
    if (d) return this.duration(d) ?? this.errorExpr(n);
    const r = first(c.RegexLiteral);
    if (real(r)) {
      const lastSlash = r.image.lastIndexOf("/");
      return { kind: "RegexLit", span: tokSpan(r), pattern: r.image.slice(1, lastSlash), flags: r.image.slice(lastSlash + 1) };
    }
    if (c.Kw_true) return { kind: "BoolLit", span: nodeSpan(n), value: true };
    if (c.Kw_false) return { kind: "BoolLit", span: nodeSpan(n), value: false };
    if (c.Kw_null) return { kind: "NullLit", span: nodeSpan(n) };
    return this.errorExpr(n);
  }

  private historyExpr(n: C.HistoryExprCstNode): A.Expr {
    const c = n.children;
    const tools = this.toolList(first(c.toolList));
    const window = c.DurationLiteral ? this.duration(c.DurationLiteral[0]) : undefined;
    const span = nodeSpan(n);
    if (c.Kw_seen) return { kind: "SeenExpr", span, tools, window };
    if (c.Kw_count) return { kind: "CountExpr", span, tools, window };
    return { kind: "SequenceExpr", span, steps: tools, window };
  }

  private resultExpr(n: C.ResultExprCstNode): A.Expr {
    const c = n.children;
    const kw = first(c.Kw_result);
    if (c.LParen) return { kind: "ResultSourceExpr", span: nodeSpan(n), tools: this.toolList(first(c.toolList)) };
    const segments = c.segments ? this.segments(c.segments[0]!) : [];
    return { kind: "Ref", span: nodeSpan(n), root: this.ident(kw), segments };
  }

  private refOrCall(n: C.RefOrCallCstNode): A.Expr {
    const c = n.children;
    const id = first(c.Identifier) ?? first(c.Kw_context);
    if (!real(id)) return this.errorExpr(n);
    if (c.LParen) {
      return {
        kind: "CallExpr",
        span: nodeSpan(n),
        callee: this.ident(id),
        args: (c.expression ?? []).map((e) => this.expression(e)),
      };
    }
    const segments = c.segments ? this.segments(c.segments[0]!) : [];
    return { kind: "Ref", span: nodeSpan(n), root: this.ident(id), segments };
  }

  private ref(n: C.RefCstNode): A.Ref | undefined {
    const id = first(n.children.Identifier);
    if (!real(id)) return undefined;
    const segments = n.children.segments ? this.segments(n.children.segments[0]!) : [];
    return { kind: "Ref", span: nodeSpan(n), root: this.ident(id), segments };
  }

  private segments(n: C.SegmentsCstNode): A.PathSegment[] {
    const c = n.children;
    const out: A.PathSegment[] = [];
    for (const t of c.AnyName ?? []) {
      if (real(t)) out.push({ kind: "FieldSegment", span: tokSpan(t), name: t.image });
    }
    for (const t of c.NumberLiteral ?? []) {
      if (!real(t)) continue;
      const v = Number(t.image);
      if (!Number.isInteger(v) || v < 0) {
        this.report(
          syntax.invalidLiteral(this.source.id, tokSpan(t), {
            what: "index",
            text: t.image,
            reason: "an index is a non-negative integer",
          }),
        );
        continue;
      }
      out.push({ kind: "IndexSegment", span: tokSpan(t), index: v });
    }
    for (const t of c.StringLiteral ?? []) {
      const s = this.str(t);
      if (s) out.push({ kind: "IndexSegment", span: s.span, index: s.value });
    }
    // Each kind of segment is already in source order: with only one kind there is nothing to interleave.
    if (!c.NumberLiteral && !c.StringLiteral) return out;
    return out.sort((a, b) => a.span.start - b.span.start);
  }

  // Leaves ----------------------------------------------------------------------------------------------------
  private ident(t: IToken | undefined): A.Identifier {
    return { kind: "Identifier", span: tokSpan(t), name: t?.image ?? "" };
  }

  private str(t: IToken | undefined): A.StringLit | undefined {
    if (!real(t)) return undefined;
    const r = decodeString(t.image);
    for (const bad of r.badEscapes) {
      const start = t.startOffset + bad.offset;
      this.report(syntax.invalidEscape(this.source.id, { start, end: start + bad.text.length }, { escape: bad.text }));
    }
    return { kind: "StringLit", span: tokSpan(t), value: r.value };
  }

  private num(t: IToken | undefined): A.NumberLit | undefined {
    if (!real(t)) return undefined;
    const r = parseNumber(t.image);
    if (typeof r === "string") {
      this.report(syntax.invalidLiteral(this.source.id, tokSpan(t), { what: "number", text: t.image, reason: r }));
      return undefined;
    }
    return { kind: "NumberLit", span: tokSpan(t), value: r, raw: t.image };
  }

  private duration(t: IToken | undefined): A.DurationLit | undefined {
    if (!real(t)) return undefined;
    const r = parseDuration(t.image);
    if (typeof r === "string") {
      this.report(syntax.invalidLiteral(this.source.id, tokSpan(t), { what: "duration", text: t.image, reason: r }));
      return undefined;
    }
    return { kind: "DurationLit", span: tokSpan(t), ms: r, raw: t.image };
  }

  private errorExpr(n: CstNode | undefined): A.ErrorExpr {
    return { kind: "ErrorExpr", span: nodeSpan(n) };
  }
}
