/**
 * The aarm IR: the versioned, target-neutral form of a checked policy. The compiler lowers to it; the JS target,
 * the kernel target and the reference interpreter all read it. It is defined here, in runtime/, because the
 * runtime executes it and must not depend on the compiler. The zod schema is the single source of truth: the
 * TypeScript types are inferred from it, loaded IR is validated with it, and the published JSON Schema
 * (`aarmc compile --emit ir-schema`, docs/ir.schema.json) is generated from it.
 *
 * Every node that came from source carries `at: [start, end]` (UTF-16 offsets into the policy file named by
 * `IrPolicy.source.file`), so run-time errors and generated code can point back to the policy.
 */
import { z } from "zod";

/** Bumped on any incompatible change; the runtime refuses IR of another major version. */
export const IR_VERSION = 1;

/** A source span [start, end). */
export const Span = z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()]);

/** A step in an argument or field path. */
export const PathKey = z.union([z.string(), z.number().int().nonnegative()]);

/** A regex: RE2 syntax, flags from i, m, s. */
export const RegexValue = z.object({ regex: z.string(), flags: z.string().regex(/^[ims]*$/) }).strict();

/** A constant value. Levels are lowered to their rank (a number); labels to their name (a string). */
export type IrValue = string | number | boolean | null | z.infer<typeof RegexValue> | readonly IrValue[];
export const IrValue: z.ZodType<IrValue> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), RegexValue, z.array(IrValue)]),
);

export const CompareOp = z.enum([
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
]);

export const SessionField = z.enum(["labels", "level", "drift", "actions"]);
export const IdentityField = z.enum(["human", "service", "agent", "session", "role", "scopes", "delegation"]);
export const Builtin = z.enum(["domain", "host", "lower", "upper", "len"]);

/** An IR expression. */
export type IrExpr =
  | { readonly op: "lit"; readonly value: IrValue; readonly at: readonly [number, number] }
  | { readonly op: "list"; readonly items: readonly IrExpr[]; readonly at: readonly [number, number] }
  | { readonly op: "arg"; readonly path: readonly (string | number)[]; readonly at: readonly [number, number] }
  | { readonly op: "tool"; readonly at: readonly [number, number] }
  | { readonly op: "request"; readonly at: readonly [number, number] }
  | {
      readonly op: "session";
      readonly field: z.infer<typeof SessionField>;
      readonly at: readonly [number, number];
    }
  | {
      readonly op: "identity";
      readonly field: z.infer<typeof IdentityField>;
      readonly at: readonly [number, number];
    }
  | {
      readonly op: "context";
      readonly field: string;
      readonly path: readonly (string | number)[];
      readonly at: readonly [number, number];
    }
  | { readonly op: "drift"; readonly at: readonly [number, number] }
  | { readonly op: "result"; readonly path: readonly (string | number)[]; readonly at: readonly [number, number] }
  | { readonly op: "and" | "or"; readonly left: IrExpr; readonly right: IrExpr; readonly at: readonly [number, number] }
  | { readonly op: "not"; readonly arg: IrExpr; readonly at: readonly [number, number] }
  | {
      readonly op: "cmp";
      readonly cmp: z.infer<typeof CompareOp>;
      readonly quant: "any" | "all" | null;
      readonly left: IrExpr;
      readonly right: IrExpr;
      readonly at: readonly [number, number];
    }
  | {
      readonly op: "is";
      readonly test: "known" | "unknown" | "present" | "absent";
      readonly arg: IrExpr;
      readonly at: readonly [number, number];
    }
  | {
      readonly op: "call";
      readonly fn: z.infer<typeof Builtin>;
      readonly args: readonly IrExpr[];
      readonly at: readonly [number, number];
    }
  | { readonly op: "provenance"; readonly path: readonly (string | number)[]; readonly at: readonly [number, number] }
  | { readonly op: "src_request"; readonly at: readonly [number, number] }
  | { readonly op: "src_result"; readonly tools: readonly string[]; readonly at: readonly [number, number] }
  | {
      readonly op: "seen" | "count";
      readonly tools: readonly string[];
      readonly windowMs: number | null;
      readonly at: readonly [number, number];
    }
  | {
      readonly op: "sequence";
      readonly steps: readonly (readonly string[])[];
      readonly windowMs: number | null;
      readonly at: readonly [number, number];
    };

const Path = z.array(PathKey);
const ToolNames = z.array(z.string());
const WindowMs = z.number().int().positive().nullable();

export const IrExpr: z.ZodType<IrExpr> = z.lazy(() =>
  z.discriminatedUnion("op", [
    z.object({ op: z.literal("lit"), value: IrValue, at: Span }).strict(),
    z.object({ op: z.literal("list"), items: z.array(IrExpr), at: Span }).strict(),
    z.object({ op: z.literal("arg"), path: Path, at: Span }).strict(),
    z.object({ op: z.literal("tool"), at: Span }).strict(),
    z.object({ op: z.literal("request"), at: Span }).strict(),
    z.object({ op: z.literal("session"), field: SessionField, at: Span }).strict(),
    z.object({ op: z.literal("identity"), field: IdentityField, at: Span }).strict(),
    z.object({ op: z.literal("context"), field: z.string(), path: Path, at: Span }).strict(),
    z.object({ op: z.literal("drift"), at: Span }).strict(),
    z.object({ op: z.literal("result"), path: Path, at: Span }).strict(),
    z.object({ op: z.literal("and"), left: IrExpr, right: IrExpr, at: Span }).strict(),
    z.object({ op: z.literal("or"), left: IrExpr, right: IrExpr, at: Span }).strict(),
    z.object({ op: z.literal("not"), arg: IrExpr, at: Span }).strict(),
    z
      .object({
        op: z.literal("cmp"),
        cmp: CompareOp,
        quant: z.enum(["any", "all"]).nullable(),
        left: IrExpr,
        right: IrExpr,
        at: Span,
      })
      .strict(),
    z.object({ op: z.literal("is"), test: z.enum(["known", "unknown", "present", "absent"]), arg: IrExpr, at: Span }).strict(),
    z.object({ op: z.literal("call"), fn: Builtin, args: z.array(IrExpr), at: Span }).strict(),
    z.object({ op: z.literal("provenance"), path: Path, at: Span }).strict(),
    z.object({ op: z.literal("src_request"), at: Span }).strict(),
    z.object({ op: z.literal("src_result"), tools: ToolNames, at: Span }).strict(),
    z.object({ op: z.literal("seen"), tools: ToolNames, windowMs: WindowMs, at: Span }).strict(),
    z.object({ op: z.literal("count"), tools: ToolNames, windowMs: WindowMs, at: Span }).strict(),
    z.object({ op: z.literal("sequence"), steps: z.array(ToolNames), windowMs: WindowMs, at: Span }).strict(),
  ]),
) as z.ZodType<IrExpr>;

export const Effect = z.enum(["forbid", "deny", "defer", "step_up", "modify", "allow"]);

export const IrKernel = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("path"), mode: z.enum(["path", "under"]), paths: z.array(z.string()) }).strict(),
  z
    .object({
      kind: z.literal("net"),
      addresses: z.array(
        z.object({ family: z.union([z.literal(4), z.literal(6)]), bytes: z.array(z.number().int()), prefix: z.number().int(), text: z.string() }).strict(),
      ),
      ports: z.array(z.object({ from: z.number().int(), to: z.number().int() }).strict()),
    })
    .strict(),
]);

export const IrModification = z
  .object({
    kind: z.enum(["set", "cap", "redact"]),
    path: Path,
    value: IrExpr.nullable(),
    at: Span,
  })
  .strict();

export const IrQuorum = z.union([
  z.object({ kind: z.literal("any") }).strict(),
  z.object({ kind: z.literal("all") }).strict(),
  z.object({ kind: z.literal("k"), k: z.number().int().positive() }).strict(),
]);

export const IrRule = z
  .object({
    id: z.string(),
    effect: Effect,
    /** null for forbid (absolute). */
    priority: z.number().int().nonnegative().nullable(),
    /** Resolved tool names this rule applies to. */
    tools: ToolNames,
    /** For forbid rules over file.open/process.exec/net.connect: the normalised kernel match. */
    kernel: IrKernel.nullable(),
    cond: IrExpr.nullable(),
    contextDependent: z.boolean(),
    mods: z.array(IrModification),
    approvers: z.object({ quorum: IrQuorum, groups: z.array(z.string()) }).strict().nullable(),
    timeoutMs: z.number().int().positive().nullable(),
    escalation: z.object({ groups: z.array(z.string()), afterMs: z.number().int().positive() }).strict().nullable(),
    reason: z.string().nullable(),
    cost: z.number().nonnegative(),
    at: Span,
  })
  .strict();

export const IrTagRule = z
  .object({
    id: z.string(),
    tools: ToolNames,
    cond: IrExpr.nullable(),
    labels: z.array(z.string()),
    /** Rank of the highest level named, or null. */
    level: z.number().int().nonnegative().nullable(),
    at: Span,
  })
  .strict();

export const IrValidation = z
  .object({
    tools: ToolNames,
    constraints: z.array(z.object({ expr: IrExpr, reason: z.string().nullable(), at: Span }).strict()),
    at: Span,
  })
  .strict();

export const IrBind = z
  .object({
    tools: ToolNames,
    path: Path,
    target: z.enum(["file.open", "process.exec", "net.connect"]),
    at: Span,
  })
  .strict();

export const IrTool = z
  .object({
    /** The JSON Schema the arguments are validated against (ajv). */
    inputSchema: z.unknown(),
    /** MCP annotations.readOnlyHint, used for least-privilege credential scoping. */
    readOnly: z.boolean(),
  })
  .strict();

export const IrPolicy = z
  .object({
    irVersion: z.literal(IR_VERSION),
    name: z.string(),
    version: z.string().nullable(),
    /** The policy file name (no directories) and the sha256 of its text. */
    source: z.object({ file: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/) }).strict(),
    default: z.enum(["allow", "deny"]),
    levels: z.array(z.string()).min(1),
    labels: z.array(z.string()),
    tools: z.record(z.string(), IrTool),
    contextFields: z.array(z.string()),
    binds: z.array(IrBind),
    validations: z.array(IrValidation),
    tagRules: z.array(IrTagRule),
    rules: z.array(IrRule),
  })
  .strict();

export type IrKernel = z.infer<typeof IrKernel>;
export type IrModification = z.infer<typeof IrModification>;
export type IrRule = z.infer<typeof IrRule>;
export type IrTagRule = z.infer<typeof IrTagRule>;
export type IrValidation = z.infer<typeof IrValidation>;
export type IrBind = z.infer<typeof IrBind>;
export type IrTool = z.infer<typeof IrTool>;
export type IrPolicy = z.infer<typeof IrPolicy>;
export type Effect = z.infer<typeof Effect>;

/** The published JSON Schema of the IR (Draft 2020-12). */
export function irJsonSchema(): unknown {
  return z.toJSONSchema(IrPolicy, { target: "draft-2020-12" });
}
