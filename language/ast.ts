/**
 * The .aarm abstract syntax tree: readonly discriminated unions on `kind`, a span on every node.
 * Semantic results never live here (they go into side tables in compiler/). See docs/language.md.
 */
import type { Span } from "./source.js";

interface NodeBase<K extends string> {
  readonly kind: K;
  readonly span: Span;
}

// ---------------------------------------------------------------------------------------------------------------
// Leaves

/** A bare name: a constant, label, level, context field, builtin or alias. */
export interface Identifier extends NodeBase<"Identifier"> {
  readonly name: string;
}

/** A double-quoted string; `value` is the decoded text. */
export interface StringLit extends NodeBase<"StringLit"> {
  readonly value: string;
}

export interface NumberLit extends NodeBase<"NumberLit"> {
  readonly value: number;
  /** The text as written, kept so the formatter does not change `1.50` into `1.5`. */
  readonly raw: string;
}

export interface BoolLit extends NodeBase<"BoolLit"> {
  readonly value: boolean;
}

export interface NullLit extends NodeBase<"NullLit"> {}

/** `10m`, `5s`, `250ms`, `1h`, `2d`. */
export interface DurationLit extends NodeBase<"DurationLit"> {
  readonly ms: number;
  readonly raw: string;
}

/** `/pattern/flags`; RE2 syntax, flags from `i`, `m`, `s`. */
export interface RegexLit extends NodeBase<"RegexLit"> {
  readonly pattern: string;
  readonly flags: string;
}

/** `[a, b, c]`. */
export interface ListLit extends NodeBase<"ListLit"> {
  readonly elements: readonly Expr[];
}

/** An IPv4 address or CIDR written bare (`203.0.113.0/24`) or any address in a string (IPv6). */
export interface AddressLit extends NodeBase<"AddressLit"> {
  readonly text: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Expressions

/** One `.name` or `[index]` step of a reference. */
export interface FieldSegment extends NodeBase<"FieldSegment"> {
  readonly name: string;
}
export interface IndexSegment extends NodeBase<"IndexSegment"> {
  readonly index: number | string;
}
export type PathSegment = FieldSegment | IndexSegment;

/**
 * A reference: a root name followed by fields and indexes. `args.to`, `session.labels`, `identity.role`,
 * `request`, `PII`, `internal` (a constant) are all references; the checker decides what the root denotes.
 */
export interface Ref extends NodeBase<"Ref"> {
  readonly root: Identifier;
  readonly segments: readonly PathSegment[];
}

/** A builtin function call: `domain(args.to)`, `provenance(args.recipient)`. There are no user functions. */
export interface CallExpr extends NodeBase<"CallExpr"> {
  readonly callee: Identifier;
  readonly args: readonly Expr[];
}

/** `seen(TOOLS [within D])`: an earlier action of the session matched one of the tool patterns. */
export interface SeenExpr extends NodeBase<"SeenExpr"> {
  readonly tools: readonly ToolPattern[];
  readonly window: DurationLit | undefined;
}

/** `count(TOOLS [within D])`: how many earlier actions of the session matched. */
export interface CountExpr extends NodeBase<"CountExpr"> {
  readonly tools: readonly ToolPattern[];
  readonly window: DurationLit | undefined;
}

/** `sequence(A, B, ... [within D])`: earlier actions matched A, then later B, ... (not necessarily adjacent). */
export interface SequenceExpr extends NodeBase<"SequenceExpr"> {
  readonly steps: readonly ToolPattern[];
  readonly window: DurationLit | undefined;
}

/** `result(TOOLS)`: a provenance source, "the output of an earlier call to one of these tools". */
export interface ResultSourceExpr extends NodeBase<"ResultSourceExpr"> {
  readonly tools: readonly ToolPattern[];
}

export type LogicalOp = "and" | "or";

/** `a and b`, `a or b`. */
export interface LogicalExpr extends NodeBase<"LogicalExpr"> {
  readonly op: LogicalOp;
  readonly left: Expr;
  readonly right: Expr;
}

/** `not a`. */
export interface NotExpr extends NodeBase<"NotExpr"> {
  readonly operand: Expr;
}

export type CompareOp =
  | "=="
  | "!="
  | "<"
  | "<="
  | ">"
  | ">="
  | "in"
  | "not in"
  | "matches"
  | "contains"
  | "startsWith"
  | "endsWith"
  | "mentions"
  | "has"
  | "has any"
  | "has all"
  | "excludes";

/** Every comparison operator, in the order the docs list them. */
export const COMPARE_OPS: readonly CompareOp[] = [
  "==",
  "!=",
  "<",
  "<=",
  ">",
  ">=",
  "in",
  "not in",
  "matches",
  "contains",
  "startsWith",
  "endsWith",
  "mentions",
  "has",
  "has any",
  "has all",
  "excludes",
];

export type Quantifier = "any" | "all";

/**
 * A binary predicate. With a quantifier (`any args.to matches /x/`), the left operand is a list and the
 * predicate is applied to each element.
 */
export interface CompareExpr extends NodeBase<"CompareExpr"> {
  readonly op: CompareOp;
  readonly opSpan: Span;
  readonly quantifier: Quantifier | undefined;
  readonly left: Expr;
  readonly right: Expr;
}

export type IsTest = "known" | "unknown" | "present" | "absent";

/** `context.x is unknown`, `args.cc is present`. Never itself unknown. */
export interface IsExpr extends NodeBase<"IsExpr"> {
  readonly operand: Expr;
  readonly test: IsTest;
}

/** `(a)`: kept so the formatter can keep the user's grouping. */
export interface ParenExpr extends NodeBase<"ParenExpr"> {
  readonly expr: Expr;
}

/** A syntax error the parser recovered from; the checker skips it. */
export interface ErrorExpr extends NodeBase<"ErrorExpr"> {}

export type Literal = StringLit | NumberLit | BoolLit | NullLit | DurationLit | RegexLit | ListLit;

export type Expr =
  | Literal
  | Ref
  | CallExpr
  | SeenExpr
  | CountExpr
  | SequenceExpr
  | ResultSourceExpr
  | LogicalExpr
  | NotExpr
  | CompareExpr
  | IsExpr
  | ParenExpr
  | ErrorExpr;

// ---------------------------------------------------------------------------------------------------------------
// Tool patterns and kernel clauses

/**
 * A tool name or glob: `db.query`, `calendar.*`, `*`, or a quoted name `"read-file"`. `*` matches any run of
 * characters (dots included).
 */
export interface ToolPattern extends NodeBase<"ToolPattern"> {
  readonly text: string;
  readonly quoted: boolean;
}

/** The three kernel-visible actions. */
export type KernelAction = "file.open" | "process.exec" | "net.connect";
export const KERNEL_ACTIONS: readonly KernelAction[] = ["file.open", "process.exec", "net.connect"];

/** `path "/etc/shadow"` (exact file) or `under "/etc/ssh"` (directory subtree). */
export interface PathMatch extends NodeBase<"PathMatch"> {
  readonly mode: "path" | "under";
  readonly values: readonly StringLit[];
}

/** `port 22` or `port 8000..8100`. */
export interface PortRange extends NodeBase<"PortRange"> {
  readonly from: number;
  readonly to: number;
}

/** `to 203.0.113.0/24, "2001:db8::/32" port 22, 8000..8100`: addresses, ports, or both. */
export interface NetMatch extends NodeBase<"NetMatch"> {
  readonly addresses: readonly AddressLit[];
  readonly ports: readonly PortRange[];
}

export type KernelMatch = PathMatch | NetMatch;

// ---------------------------------------------------------------------------------------------------------------
// Rules

export type Effect = "forbid" | "deny" | "defer" | "step_up" | "modify" | "allow";
export const EFFECTS: readonly Effect[] = ["forbid", "deny", "defer", "step_up", "modify", "allow"];

/** `@id("no-drop")`, `@priority(10)`. */
export interface Annotation extends NodeBase<"Annotation"> {
  readonly name: Identifier;
  readonly value: StringLit | NumberLit | undefined;
}

export type Quorum = { readonly kind: "any" } | { readonly kind: "all" } | { readonly kind: "k"; readonly k: number };

/** `approvers any ["security-oncall"]`, `approvers all [...]`, `approvers 2 of [...]`. */
export interface ApproversOption extends NodeBase<"ApproversOption"> {
  readonly quorum: Quorum;
  readonly groups: readonly StringLit[];
}

/** `timeout 10m`. */
export interface TimeoutOption extends NodeBase<"TimeoutOption"> {
  readonly duration: DurationLit;
}

/** `escalate to ["backup"] after 5m`. */
export interface EscalateOption extends NodeBase<"EscalateOption"> {
  readonly groups: readonly StringLit[];
  readonly after: DurationLit;
}

export type RuleOption = ApproversOption | TimeoutOption | EscalateOption;

/** `set args.limit = 100`. */
export interface SetMod extends NodeBase<"SetMod"> {
  readonly target: Ref;
  readonly value: Expr;
}

/** `cap args.limit at 100`: lowers a number to at most the value. */
export interface CapMod extends NodeBase<"CapMod"> {
  readonly target: Ref;
  readonly value: Expr;
}

/** `redact args.body`: replaces the value with "[REDACTED]". */
export interface RedactMod extends NodeBase<"RedactMod"> {
  readonly target: Ref;
}

export type Modification = SetMod | CapMod | RedactMod;

/**
 * `[annotations] EFFECT TOOLS [KERNEL] [when EXPR] [{ modifications }] [options] [because "reason"]`.
 */
export interface Rule extends NodeBase<"Rule"> {
  readonly annotations: readonly Annotation[];
  readonly effect: Effect;
  readonly effectSpan: Span;
  readonly tools: readonly ToolPattern[];
  readonly kernel: KernelMatch | undefined;
  readonly condition: Expr | undefined;
  readonly modifications: readonly Modification[];
  readonly options: readonly RuleOption[];
  readonly reason: StringLit | undefined;
}

/** `on result TOOLS [when EXPR] { label A, B }`: tag-on-read. */
export interface TagRule extends NodeBase<"TagRule"> {
  readonly annotations: readonly Annotation[];
  readonly tools: readonly ToolPattern[];
  readonly condition: Expr | undefined;
  readonly labels: readonly Identifier[];
}

/** One constraint of a `validate` block, with an optional reason. */
export interface Constraint extends NodeBase<"Constraint"> {
  readonly expr: Expr;
  readonly reason: StringLit | undefined;
}

/** `validate TOOLS { constraint ... }`: argument constraints; a failure is a DENY naming the failing path. */
export interface ValidateDecl extends NodeBase<"ValidateDecl"> {
  readonly tools: readonly ToolPattern[];
  readonly constraints: readonly Constraint[];
}

// ---------------------------------------------------------------------------------------------------------------
// Declarations

/** `policy "name" version "1.2.0"`. */
export interface Header extends NodeBase<"Header"> {
  readonly name: StringLit;
  readonly version: StringLit | undefined;
}

/** `default deny` or `default allow`. */
export interface DefaultDecl extends NodeBase<"DefaultDecl"> {
  readonly posture: "allow" | "deny";
}

/** `tools from "./tools.json" [as ns]`. */
export interface ToolsDecl extends NodeBase<"ToolsDecl"> {
  readonly path: StringLit;
  readonly alias: Identifier | undefined;
}

/** `levels PUBLIC < INTERNAL < CONFIDENTIAL < RESTRICTED` (ascending sensitivity). */
export interface LevelsDecl extends NodeBase<"LevelsDecl"> {
  readonly levels: readonly Identifier[];
}

/** `labels PII, PHI, FINANCIAL`. */
export interface LabelsDecl extends NodeBase<"LabelsDecl"> {
  readonly labels: readonly Identifier[];
}

/** `const internal = ["corp.example"]`. */
export interface ConstDecl extends NodeBase<"ConstDecl"> {
  readonly name: Identifier;
  readonly value: Expr;
}

export interface NamedType extends NodeBase<"NamedType"> {
  readonly name: "bool" | "number" | "string" | "duration";
}
export interface ListType extends NodeBase<"ListType"> {
  readonly element: TypeExpr;
}
export interface EnumType extends NodeBase<"EnumType"> {
  readonly values: readonly StringLit[];
}
export type TypeExpr = NamedType | ListType | EnumType;

export interface ContextField extends NodeBase<"ContextField"> {
  readonly name: Identifier;
  readonly type: TypeExpr;
}

/** `context maintenance_window: bool, confidence: number`: host-supplied facts; unknown until set. */
export interface ContextDecl extends NodeBase<"ContextDecl"> {
  readonly fields: readonly ContextField[];
}

/** `bind read_file(path) to file.open`: this argument is a resource the kernel rules of that action cover. */
export interface BindDecl extends NodeBase<"BindDecl"> {
  readonly tool: ToolPattern;
  readonly arg: Ref;
  readonly target: KernelAction;
  readonly targetSpan: Span;
}

export type Decl =
  | DefaultDecl
  | ToolsDecl
  | LevelsDecl
  | LabelsDecl
  | ConstDecl
  | ContextDecl
  | BindDecl
  | ValidateDecl
  | Rule
  | TagRule;

/** A comment kept for the formatter. */
export interface Comment extends NodeBase<"Comment"> {
  readonly text: string;
  readonly block: boolean;
}

/** A whole file. */
export interface Policy extends NodeBase<"Policy"> {
  readonly header: Header | undefined;
  readonly decls: readonly Decl[];
  readonly comments: readonly Comment[];
}

export type Node =
  | Policy
  | Header
  | Decl
  | Expr
  | Identifier
  | AddressLit
  | PathSegment
  | ToolPattern
  | KernelMatch
  | PortRange
  | Annotation
  | RuleOption
  | Modification
  | Constraint
  | TypeExpr
  | ContextField
  | Comment;

export type NodeKind = Node["kind"];

/**
 * For each node kind, the keys that hold child nodes, in source order. One generic walker (walk.ts) serves every
 * pass, as graphql-js's QueryDocumentKeys does.
 */
export const CHILD_KEYS: { readonly [N in Node as N["kind"]]: readonly (keyof N)[] } = {
  Policy: ["header", "decls"],
  Header: ["name", "version"],
  DefaultDecl: [],
  ToolsDecl: ["path", "alias"],
  LevelsDecl: ["levels"],
  LabelsDecl: ["labels"],
  ConstDecl: ["name", "value"],
  ContextDecl: ["fields"],
  ContextField: ["name", "type"],
  NamedType: [],
  ListType: ["element"],
  EnumType: ["values"],
  BindDecl: ["tool", "arg"],
  ValidateDecl: ["tools", "constraints"],
  Constraint: ["expr", "reason"],
  Rule: ["annotations", "tools", "kernel", "condition", "modifications", "options", "reason"],
  TagRule: ["annotations", "tools", "condition", "labels"],
  Annotation: ["name", "value"],
  ApproversOption: ["groups"],
  TimeoutOption: ["duration"],
  EscalateOption: ["groups", "after"],
  SetMod: ["target", "value"],
  CapMod: ["target", "value"],
  RedactMod: ["target"],
  PathMatch: ["values"],
  NetMatch: ["addresses", "ports"],
  PortRange: [],
  ToolPattern: [],
  Identifier: [],
  StringLit: [],
  NumberLit: [],
  BoolLit: [],
  NullLit: [],
  DurationLit: [],
  RegexLit: [],
  ListLit: ["elements"],
  AddressLit: [],
  FieldSegment: [],
  IndexSegment: [],
  Ref: ["root", "segments"],
  CallExpr: ["callee", "args"],
  SeenExpr: ["tools", "window"],
  CountExpr: ["tools", "window"],
  SequenceExpr: ["steps", "window"],
  ResultSourceExpr: ["tools"],
  LogicalExpr: ["left", "right"],
  NotExpr: ["operand"],
  CompareExpr: ["left", "right"],
  IsExpr: ["operand"],
  ParenExpr: ["expr"],
  ErrorExpr: [],
  Comment: [],
};

/** Exhaustiveness helper for `switch (node.kind)`. */
export function assertNever(x: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(x)}`);
}
