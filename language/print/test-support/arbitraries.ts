/**
 * fast-check arbitraries for whole policy ASTs, in the shape the parser produces: the user's parentheses are
 * ParenExpr nodes, so a generated tree that would need parentheses gets a ParenExpr, and only values the parser
 * accepts are generated (names that are not keywords, valid addresses and durations, at most one @id/@priority).
 * Spans are all empty; tests compare trees without spans.
 */
import fc from "fast-check";
import type * as A from "../../ast.js";
import { COMPARE_OPS, EFFECTS, KERNEL_ACTIONS } from "../../ast.js";
import { reservedWords } from "../../lexer/tokens.js";

const S = { start: 0, end: 0 };

const name = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,6}$/).filter((w) => !reservedWords.has(w));
const word = fc.oneof(name, fc.constantFrom(...reservedWords));
const ident = name.map((n): A.Identifier => ({ kind: "Identifier", span: S, name: n }));
const str = fc.string({ unit: "binary", maxLength: 8 }).map((value): A.StringLit => ({ kind: "StringLit", span: S, value }));

const numberRaw = fc.oneof(
  fc.integer({ min: -1_000_000, max: 1_000_000 }).map(String),
  fc.tuple(fc.nat(999), fc.stringMatching(/^\d{1,3}$/)).map(([i, f]) => `${String(i)}.${f}`),
);
const num = numberRaw.map((raw): A.NumberLit => ({ kind: "NumberLit", span: S, value: Number(raw), raw }));
const UNITS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const duration = fc
  .tuple(fc.integer({ min: 1, max: 300 }), fc.constantFrom(...(Object.keys(UNITS) as (keyof typeof UNITS)[])))
  .map(([n, u]): A.DurationLit => ({ kind: "DurationLit", span: S, ms: n * UNITS[u], raw: `${String(n)}${u}` }));
const regex = fc
  .tuple(fc.stringMatching(/^[a-z0-9^$.+?|]{1,6}$/), fc.subarray(["i", "m", "s"]))
  .map(([pattern, flags]): A.RegexLit => ({ kind: "RegexLit", span: S, pattern, flags: flags.join("") }));
const literal: fc.Arbitrary<A.Expr> = fc.oneof(
  str,
  num,
  duration,
  regex,
  fc.boolean().map((value): A.BoolLit => ({ kind: "BoolLit", span: S, value })),
  fc.constant<A.NullLit>({ kind: "NullLit", span: S }),
);

const segment: fc.Arbitrary<A.PathSegment> = fc.oneof(
  word.map((n): A.FieldSegment => ({ kind: "FieldSegment", span: S, name: n })),
  fc.oneof(fc.nat(99), fc.string({ maxLength: 4 })).map((index): A.IndexSegment => ({ kind: "IndexSegment", span: S, index })),
);
const ref = fc
  .tuple(fc.oneof(fc.constantFrom("args", "session", "identity", "request", "drift"), name), fc.array(segment, { maxLength: 3 }))
  .map(([root, segments]): A.Ref => ({ kind: "Ref", span: S, root: { kind: "Identifier", span: S, name: root }, segments }));
const refTarget = fc
  .tuple(name, fc.array(segment, { minLength: 1, maxLength: 2 }))
  .map(([root, segments]): A.Ref => ({ kind: "Ref", span: S, root: { kind: "Identifier", span: S, name: root }, segments }));

const tool: fc.Arbitrary<A.ToolPattern> = fc.oneof(
  fc.constant("*"),
  fc.tuple(name, fc.array(fc.oneof(word, fc.constant("*")), { maxLength: 2 })).map(([h, rest]) => [h, ...rest].join(".")),
).map((text) => ({ kind: "ToolPattern", span: S, text, quoted: false }));
const toolOrQuoted = fc.oneof(tool, fc.string({ maxLength: 6 }).map((text): A.ToolPattern => ({ kind: "ToolPattern", span: S, text, quoted: true })));
const tools = fc.array(toolOrQuoted, { minLength: 1, maxLength: 3 });

function level(e: A.Expr): number {
  if (e.kind === "LogicalExpr") return e.op === "or" ? 1 : 2;
  if (e.kind === "NotExpr") return 3;
  if (e.kind === "CompareExpr" || e.kind === "IsExpr") return 4;
  return 5;
}

/** `e`, parenthesized when it binds less tightly than `min`. */
function at(e: A.Expr, min: number): A.Expr {
  return level(e) < min ? { kind: "ParenExpr", span: S, expr: e } : e;
}

const { expr } = fc.letrec<{ expr: A.Expr }>((tie) => {
  const sub = tie("expr");
  const history = fc.tuple(fc.constantFrom("SeenExpr", "CountExpr", "SequenceExpr"), tools, fc.option(duration, { nil: undefined }));
  const primary: fc.Arbitrary<A.Expr> = fc.oneof(
    { depthSize: "small" },
    literal,
    ref,
    fc.array(sub, { maxLength: 3 }).map((elements): A.Expr => ({ kind: "ListLit", span: S, elements })),
    fc
      .tuple(fc.constantFrom("domain", "host", "lower", "upper", "len", "provenance"), fc.array(sub, { maxLength: 2 }))
      .map(([callee, args]): A.Expr => ({ kind: "CallExpr", span: S, callee: { kind: "Identifier", span: S, name: callee }, args })),
    history.map(([kind, ts, window]): A.Expr =>
      kind === "SequenceExpr" ? { kind, span: S, steps: ts, window } : { kind, span: S, tools: ts, window },
    ),
    tools.map((ts): A.Expr => ({ kind: "ResultSourceExpr", span: S, tools: ts })),
    sub.map((e): A.Expr => ({ kind: "ParenExpr", span: S, expr: e })),
  );
  const compound: fc.Arbitrary<A.Expr> = fc.oneof(
    fc.tuple(fc.constantFrom<A.LogicalOp>("and", "or"), sub, sub).map(([op, l, r]): A.Expr => {
      const own = op === "or" ? 1 : 2;
      return { kind: "LogicalExpr", span: S, op, left: at(l, own), right: at(r, own + 1) };
    }),
    sub.map((e): A.Expr => ({ kind: "NotExpr", span: S, operand: at(e, 3) })),
    fc
      .tuple(fc.constantFrom(...COMPARE_OPS), fc.constantFrom<A.Quantifier | undefined>(undefined, "any", "all"), sub, sub)
      .map(([op, quantifier, l, r]): A.Expr => ({
        kind: "CompareExpr",
        span: S,
        op,
        opSpan: S,
        quantifier,
        left: at(l, 5),
        right: at(r, 5),
      })),
    fc
      .tuple(sub, fc.constantFrom<A.IsTest>("known", "unknown", "present", "absent"))
      .map(([e, test]): A.Expr => ({ kind: "IsExpr", span: S, operand: at(e, 5), test })),
  );
  return { expr: fc.oneof({ depthSize: "small", withCrossShrink: true }, primary, compound) };
});

const annotations = fc
  .tuple(fc.option(name, { nil: undefined }), fc.option(fc.nat(1000), { nil: undefined }), fc.boolean())
  .map(([id, priority, idFirst]) => {
    const out: A.Annotation[] = [];
    const idNode = id === undefined ? undefined : annotation("id", { kind: "StringLit", span: S, value: id });
    const prNode = priority === undefined ? undefined : annotation("priority", { kind: "NumberLit", span: S, value: priority, raw: String(priority) });
    for (const a of idFirst ? [idNode, prNode] : [prNode, idNode]) if (a) out.push(a);
    return out;
  });

function annotation(n: string, value: A.StringLit | A.NumberLit): A.Annotation {
  return { kind: "Annotation", span: S, name: { kind: "Identifier", span: S, name: n }, value };
}

const address = fc
  .constantFrom("10.0.0.0/8", "203.0.113.7", "192.168.1.1/32", "2001:db8::/32", "::1")
  .map((text): A.AddressLit => ({ kind: "AddressLit", span: S, text }));
const port = fc
  .tuple(fc.nat(65535), fc.nat(100))
  .map(([from, extra]): A.PortRange => ({ kind: "PortRange", span: S, from, to: Math.min(65535, from + extra) }));
const kernel: fc.Arbitrary<A.KernelMatch> = fc.oneof(
  fc
    .tuple(fc.constantFrom<"path" | "under">("path", "under"), fc.array(str, { minLength: 1, maxLength: 2 }))
    .map(([mode, values]): A.KernelMatch => ({ kind: "PathMatch", span: S, mode, values })),
  fc
    .tuple(fc.array(address, { maxLength: 2 }), fc.array(port, { maxLength: 2 }))
    .filter(([a, p]) => a.length + p.length > 0)
    .map(([addresses, ports]): A.KernelMatch => ({ kind: "NetMatch", span: S, addresses, ports })),
);

const modification: fc.Arbitrary<A.Modification> = fc.oneof(
  fc.tuple(refTarget, expr).map(([target, value]): A.Modification => ({ kind: "SetMod", span: S, target, value })),
  fc.tuple(refTarget, expr).map(([target, value]): A.Modification => ({ kind: "CapMod", span: S, target, value })),
  refTarget.map((target): A.Modification => ({ kind: "RedactMod", span: S, target })),
);
const quorum: fc.Arbitrary<A.Quorum> = fc.oneof(
  fc.constant<A.Quorum>({ kind: "any" }),
  fc.constant<A.Quorum>({ kind: "all" }),
  fc.integer({ min: 1, max: 9 }).map((k): A.Quorum => ({ kind: "k", k })),
);
const groups = fc.array(str, { maxLength: 3 });
const option: fc.Arbitrary<A.RuleOption> = fc.oneof(
  fc.tuple(quorum, groups).map(([q, g]): A.RuleOption => ({ kind: "ApproversOption", span: S, quorum: q, groups: g })),
  duration.map((d): A.RuleOption => ({ kind: "TimeoutOption", span: S, duration: d })),
  fc.tuple(groups, duration).map(([g, after]): A.RuleOption => ({ kind: "EscalateOption", span: S, groups: g, after })),
);

const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });

const rule = fc
  .tuple(annotations, fc.constantFrom(...EFFECTS), tools, opt(kernel), opt(expr), fc.array(modification, { maxLength: 3 }))
  .chain(([anns, effect, ts, k, cond, mods]) =>
    fc.tuple(fc.array(option, { maxLength: 3 }), opt(str)).map(([options, reason]): A.Decl => ({
      kind: "Rule",
      span: S,
      annotations: anns,
      effect,
      effectSpan: S,
      tools: ts,
      kernel: k,
      condition: cond,
      modifications: mods,
      options,
      reason,
    })),
  );

const typeExpr: fc.Arbitrary<A.TypeExpr> = fc.letrec<{ t: A.TypeExpr }>((tie) => ({
  t: fc.oneof(
    { depthSize: "small" },
    fc.constantFrom("bool", "number", "string", "duration").map((n): A.TypeExpr => ({ kind: "NamedType", span: S, name: n as A.NamedType["name"] })),
    tie("t").map((element): A.TypeExpr => ({ kind: "ListType", span: S, element })),
    fc.array(str, { minLength: 1, maxLength: 3 }).map((values): A.TypeExpr => ({ kind: "EnumType", span: S, values })),
  ),
})).t;

const decl: fc.Arbitrary<A.Decl> = fc.oneof(
  rule,
  fc.tuple(annotations, tools, opt(expr), fc.array(ident, { minLength: 1, maxLength: 3 })).map(
    ([anns, ts, condition, labels]): A.Decl => ({ kind: "TagRule", span: S, annotations: anns, tools: ts, condition, labels }),
  ),
  fc.tuple(tools, fc.array(fc.tuple(expr, opt(str)), { maxLength: 3 })).map(
    ([ts, cs]): A.Decl => ({
      kind: "ValidateDecl",
      span: S,
      tools: ts,
      constraints: cs.map(([e, reason]) => ({ kind: "Constraint", span: S, expr: e, reason })),
    }),
  ),
  fc.constantFrom<"allow" | "deny">("allow", "deny").map((posture): A.Decl => ({ kind: "DefaultDecl", span: S, posture })),
  fc.tuple(str, opt(ident)).map(([path, alias]): A.Decl => ({ kind: "ToolsDecl", span: S, path, alias })),
  fc.array(ident, { minLength: 1, maxLength: 4 }).map((levels): A.Decl => ({ kind: "LevelsDecl", span: S, levels })),
  fc.array(ident, { minLength: 1, maxLength: 4 }).map((labels): A.Decl => ({ kind: "LabelsDecl", span: S, labels })),
  fc.tuple(ident, expr).map(([n, value]): A.Decl => ({ kind: "ConstDecl", span: S, name: n, value })),
  fc
    .array(fc.tuple(ident, typeExpr), { minLength: 1, maxLength: 3 })
    .map((fs): A.Decl => ({ kind: "ContextDecl", span: S, fields: fs.map(([n, type]) => ({ kind: "ContextField", span: S, name: n, type })) })),
  fc.tuple(tool, word, fc.array(segment, { maxLength: 2 }), fc.constantFrom(...KERNEL_ACTIONS)).map(
    ([t, head, rest, target]): A.Decl => ({
      kind: "BindDecl",
      span: S,
      tool: t,
      arg: {
        kind: "Ref",
        span: S,
        root: { kind: "Identifier", span: S, name: "args" },
        segments: [{ kind: "FieldSegment", span: S, name: head }, ...rest],
      },
      target,
      targetSpan: S,
    }),
  ),
);

/** A whole policy: a header and up to `maxDecls` declarations of every kind. */
export function policyArbitrary(maxDecls = 6): fc.Arbitrary<A.Policy> {
  return fc.tuple(str, opt(str), fc.array(decl, { maxLength: maxDecls })).map(([n, version, decls]) => ({
    kind: "Policy",
    span: S,
    header: { kind: "Header", span: S, name: n, version },
    decls,
    comments: [],
  }));
}
