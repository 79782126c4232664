/**
 * The checked policy model: what the checker hands to the lowering (compiler/lower.ts). Everything here has been
 * name-resolved and type-checked; a model exists only for a policy without errors. Expressions stay AST nodes
 * (spans intact); what the checker learnt about them lives in side tables (`types`, `refs`), never on the AST.
 * See docs/language.md and docs/semantics.md.
 */
import type {
  CallExpr,
  Effect,
  Expr,
  KernelAction,
  Quorum,
  Ref,
  Span,
  ToolPattern,
} from "../language/index.js";
import type { Type, ToolSchema } from "./types.js";

/** A regex value (a constant or a literal): RE2 syntax, flags from `i`, `m`, `s`. */
export interface RegexValue {
  readonly kind: "regex";
  readonly pattern: string;
  readonly flags: string;
}

/**
 * A constant's value as plain data. Durations are milliseconds (the constant's Type says `duration`); labels and
 * levels never appear here (they are names, see RefTarget).
 */
export type ConstValue = string | number | boolean | null | RegexValue | readonly ConstValue[];

/** A declared constant with its value and type. */
export interface CheckedConstant {
  readonly name: string;
  readonly value: ConstValue;
  readonly type: Type;
  readonly span: Span;
}

/** A step of an argument or field path: a property name or a list index. */
export type PathKey = string | number;

/**
 * What a reference denotes. Recorded for every `Ref` the checker resolved (`CheckedPolicy.refs`).
 * `path` holds the segments after the root's own field (`args.user.name` → ["user", "name"]).
 */
export type RefTarget =
  | { readonly kind: "args"; readonly path: readonly PathKey[] }
  | { readonly kind: "tool" }
  /** `request` as a string: the user's original request (may be unknown). */
  | { readonly kind: "request" }
  /** `request` as a provenance source (right of has/excludes on provenance(...)). */
  | { readonly kind: "requestSource" }
  | { readonly kind: "session"; readonly field: SessionField; readonly path: readonly PathKey[] }
  | { readonly kind: "identity"; readonly field: IdentityField; readonly path: readonly PathKey[] }
  | { readonly kind: "context"; readonly field: string; readonly path: readonly PathKey[] }
  | { readonly kind: "drift" }
  /** The tool output inside an `on result` rule. */
  | { readonly kind: "result"; readonly path: readonly PathKey[] }
  | { readonly kind: "constant"; readonly name: string; readonly path: readonly PathKey[] }
  | { readonly kind: "label"; readonly name: string }
  /** `rank` is the level's index in `CheckedPolicy.levels` (0 = least sensitive). */
  | { readonly kind: "level"; readonly name: string; readonly rank: number };

/** The fields of `session`. */
export type SessionField = "labels" | "level" | "drift" | "actions";
/** The fields of `identity`. */
export type IdentityField = "human" | "service" | "agent" | "session" | "role" | "scopes" | "delegation";

/** The names of the builtin functions (`CallExpr.callee.name` after checking is one of these). */
export type BuiltinName = "domain" | "host" | "lower" | "upper" | "len" | "provenance";

/** Read-only view of a side table keyed by AST node. */
export interface NodeTable<K extends object, V> {
  get(node: K): V | undefined;
}

/** A checked kernel clause, normalised. */
export type CheckedKernelMatch =
  | {
      readonly kind: "path";
      /** `path`: exact files; `under`: directory subtrees. Absolute and normalised. */
      readonly mode: "path" | "under";
      readonly paths: readonly string[];
    }
  | {
      readonly kind: "net";
      /** Empty: any address (then `ports` is not empty). */
      readonly addresses: readonly CheckedAddress[];
      /** Empty: any port. Inclusive ranges. */
      readonly ports: readonly { readonly from: number; readonly to: number }[];
    };

/** An IPv4/IPv6 address or CIDR; a plain address has prefix 32 (IPv4) or 128 (IPv6). */
export interface CheckedAddress {
  readonly text: string;
  readonly family: 4 | 6;
  /** The network address (host bits cleared), 4 or 16 bytes. */
  readonly bytes: readonly number[];
  readonly prefix: number;
  readonly span: Span;
}

/** One `set`, `cap` or `redact` of a modify rule. */
export interface CheckedModification {
  readonly kind: "set" | "cap" | "redact";
  /** The argument path after `args.`. */
  readonly target: readonly PathKey[];
  /** The value expression (`set`, `cap`); undefined for `redact`. */
  readonly value: Expr | undefined;
  /** The value when it is a constant (it usually is). */
  readonly constValue: ConstValue | undefined;
  readonly span: Span;
}

/** `approvers QUORUM [groups]` (groups deduplicated, in order). */
export interface CheckedApprovers {
  readonly quorum: Quorum;
  readonly groups: readonly string[];
}

/** `escalate to [groups] after D`. */
export interface CheckedEscalation {
  readonly groups: readonly string[];
  readonly afterMs: number;
}

/** One decision rule. */
export interface CheckedRule {
  /** `@id("...")` or generated as `<effect>-<line>`. Unique in the policy. */
  readonly id: string;
  readonly explicitId: boolean;
  readonly effect: Effect;
  /** Effective priority; undefined for forbid (absolute, evaluated before everything else). */
  readonly priority: number | undefined;
  readonly explicitPriority: boolean;
  readonly patterns: readonly ToolPattern[];
  /** The tool names the patterns match (sorted; kernel actions included when named). */
  readonly tools: readonly string[];
  readonly kernel: CheckedKernelMatch | undefined;
  readonly condition: Expr | undefined;
  /**
   * True when the condition reads anything beyond the action itself (session, request, identity, context,
   * drift, provenance, history): such a rule cannot be decided from the action alone and may be unknown.
   */
  readonly contextDependent: boolean;
  readonly modifications: readonly CheckedModification[];
  readonly approvers: CheckedApprovers | undefined;
  readonly timeoutMs: number | undefined;
  readonly escalation: CheckedEscalation | undefined;
  readonly reason: string | undefined;
  /** Static cost bound of evaluating the condition, in cost units (see compiler/check/cost.ts). */
  readonly cost: number;
  readonly span: Span;
}

/** `on result TOOLS [when C] { label A, B }`. */
export interface CheckedTagRule {
  readonly id: string;
  readonly patterns: readonly ToolPattern[];
  readonly tools: readonly string[];
  readonly condition: Expr | undefined;
  readonly labels: readonly string[];
  /** The highest level named, if any. */
  readonly level: string | undefined;
  readonly cost: number;
  readonly span: Span;
}

/** One constraint of a validate block. */
export interface CheckedConstraint {
  readonly expr: Expr;
  readonly reason: string | undefined;
  readonly cost: number;
  readonly span: Span;
}

/** `validate TOOLS { ... }`. */
export interface CheckedValidation {
  readonly patterns: readonly ToolPattern[];
  readonly tools: readonly string[];
  readonly constraints: readonly CheckedConstraint[];
  readonly span: Span;
}

/** `bind TOOL(arg) to ACTION`. */
export interface CheckedBind {
  readonly pattern: ToolPattern;
  readonly tools: readonly string[];
  readonly arg: readonly PathKey[];
  readonly target: KernelAction;
  readonly span: Span;
}

/** The whole checked policy. */
export interface CheckedPolicy {
  readonly sourceId: string;
  readonly name: string;
  readonly version: string | undefined;
  readonly defaultPosture: "allow" | "deny";
  /** Every known tool by name, the kernel actions (file.open, process.exec, net.connect) included. */
  readonly tools: ReadonlyMap<string, ToolSchema>;
  /** Ascending sensitivity. */
  readonly levels: readonly string[];
  readonly labels: readonly string[];
  readonly constants: ReadonlyMap<string, CheckedConstant>;
  readonly contextFields: ReadonlyMap<string, Type>;
  readonly binds: readonly CheckedBind[];
  readonly validations: readonly CheckedValidation[];
  readonly tagRules: readonly CheckedTagRule[];
  /** Decision rules in source order (forbid included). */
  readonly rules: readonly CheckedRule[];
  /** The inferred type of every checked expression. */
  readonly types: NodeTable<Expr, Type>;
  /** What every checked reference denotes. */
  readonly refs: NodeTable<Ref, RefTarget>;
  /** The builtin each call names. */
  readonly calls: NodeTable<CallExpr, BuiltinName>;
}

/** Default priority by effect (deny > defer > step_up > modify > allow); forbid has none (it is absolute). */
export const DEFAULT_PRIORITY: Readonly<Record<Exclude<Effect, "forbid">, number>> = {
  deny: 50,
  defer: 40,
  step_up: 30,
  modify: 20,
  allow: 10,
};

/** The largest `@priority(N)`. */
export const MAX_PRIORITY = 1_000_000;
