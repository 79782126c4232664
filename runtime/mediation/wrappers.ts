/**
 * Wrapper (meta-tool) resolution (AARM §4: "The AML MUST resolve these before policy evaluation"). A wrapper is a
 * tool whose arguments name another tool and carry its arguments: `mcp_tool {mcp_server_name, mcp_tool_name,
 * arguments}`, Claude Code's `Skill {skill: "ns:name"}`. The policy decides the tool inside; the wrapper's name and
 * arguments are kept for audit. Wrappers nested deeper than the configured bound are an error (DENY).
 */
import { z } from "zod";
import { failure, type MediationError, ToolName } from "./action.js";

const Field = z.string().min(1, "must be an argument name");

/** How to see through one kind of wrapper. */
export const WrapperPattern = z
  .object({
    /** The wrapper's tool name; `*` matches any run of characters. */
    wrapper: z.string().min(1, "must be a tool name or glob"),
    /** Argument fields whose string values, joined by `join`, name the wrapped tool. */
    name: z.array(Field).min(1, "must list at least one argument"),
    /** Separator between name parts (default "."). */
    join: z.string().optional(),
    /** Inside each name part, every `split` becomes `join` (e.g. ":" turns "ns:name" into "ns.name"). */
    split: z.string().min(1).optional(),
    /** Prepended to the resolved name (e.g. "skill."). */
    prefix: z.string().optional(),
    /**
     * Where the wrapped tool's arguments are: the first present of these fields (an object, or a string holding
     * a JSON object), or "rest" (default): the wrapper's arguments other than the name fields. With a field
     * list, any other argument is an error: it would reach the tool without being decided.
     */
    args: z.union([z.array(Field).min(1), z.literal("rest")]).optional(),
  })
  .strict();

export type WrapperPattern = z.input<typeof WrapperPattern>;

/** The wrappers resolved unless `builtinWrappers: false`. */
export const BUILTIN_WRAPPERS: readonly WrapperPattern[] = [
  { wrapper: "mcp_tool", name: ["mcp_server_name", "mcp_tool_name"], args: ["arguments", "tool_input"] },
  { wrapper: "use_mcp_tool", name: ["server_name", "tool_name"], args: ["arguments"] },
  { wrapper: "Skill", name: ["skill"], split: ":", prefix: "skill.", args: "rest" },
];

/** Default bound on nested wrappers. */
export const DEFAULT_MAX_WRAPPER_DEPTH = 4;

/** One resolved wrapper: enough to put modified arguments back into it. */
export interface WrapperStep {
  readonly tool: string;
  readonly args: Readonly<Record<string, unknown>>;
  readonly pattern: z.infer<typeof WrapperPattern>;
  /** The field that held the wrapped arguments (null: "rest", or none present). */
  readonly field: string | null;
  /** The wrapped arguments were a JSON string. */
  readonly encoded: boolean;
}

type Args = Readonly<Record<string, unknown>>;
type Step = { ok: true; tool: string; args: Args; step: WrapperStep } | { ok: false; error: MediationError };
export type Resolution =
  | { ok: true; tool: string; args: Args; steps: readonly WrapperStep[] }
  | { ok: false; error: MediationError };

function globMatch(pattern: string, name: string): boolean {
  if (!pattern.includes("*")) return pattern === name;
  const body = pattern
    .split("*")
    .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${body}$`, "s").test(name);
}

function innerArgs(
  w: string,
  field: string,
  value: unknown,
): { ok: true; args: Args; encoded: boolean } | { ok: false; error: MediationError } {
  let v = value;
  const encoded = typeof v === "string";
  if (typeof v === "string") {
    try {
      v = JSON.parse(v);
    } catch {
      return failure(
        "wrapper",
        `args.${field}`,
        `must be an object or a JSON object string (wrapper '${w}')`,
      );
    }
  }
  if (v === null || typeof v !== "object" || Array.isArray(v)) {
    return failure(
      "wrapper",
      `args.${field}`,
      `must be an object holding the wrapped tool's arguments (wrapper '${w}')`,
    );
  }
  return { ok: true, args: v as Args, encoded };
}

function resolveOne(tool: string, args: Args, p: z.infer<typeof WrapperPattern>): Step {
  const join = p.join ?? ".";
  const parts: string[] = [];
  for (const f of p.name) {
    const v = args[f];
    if (typeof v !== "string" || v === "")
      return failure(
        "wrapper",
        `args.${f}`,
        `must be a non-empty string naming the wrapped tool (wrapper '${tool}')`,
      );
    const pieces = p.split === undefined ? [v] : v.split(p.split);
    if (pieces.some((x) => x === ""))
      return failure(
        "wrapper",
        `args.${f}`,
        `has an empty name part in ${JSON.stringify(v)} (wrapper '${tool}')`,
      );
    parts.push(pieces.join(join));
  }
  const name = (p.prefix ?? "") + parts.join(join);
  const valid = ToolName.safeParse(name);
  if (!valid.success)
    return failure(
      "wrapper",
      `args.${p.name[0]!}`,
      `names ${JSON.stringify(name)}, which ${valid.error.issues[0]?.message ?? "is not a tool name"}`,
    );
  const mode = p.args ?? "rest";
  if (mode === "rest") {
    const rest = Object.fromEntries(Object.entries(args).filter(([k]) => !p.name.includes(k)));
    return {
      ok: true,
      tool: name,
      args: rest,
      step: { tool, args, pattern: p, field: null, encoded: false },
    };
  }
  const present = mode.filter((f) => Object.hasOwn(args, f));
  if (present.length > 1)
    return failure(
      "wrapper",
      `args.${present[1]!}`,
      `conflicts with args.${present[0]!}: wrapper '${tool}' takes one of them`,
    );
  for (const k of Object.keys(args)) {
    if (!p.name.includes(k) && !mode.includes(k)) {
      return failure(
        "wrapper",
        `args.${k}`,
        `is not an argument of wrapper '${tool}' (expected ${[...p.name, ...mode].join(", ")})`,
      );
    }
  }
  const field = present[0];
  if (field === undefined)
    return { ok: true, tool: name, args: {}, step: { tool, args, pattern: p, field: null, encoded: false } };
  const inner = innerArgs(tool, field, args[field]);
  if (!inner.ok) return inner;
  return {
    ok: true,
    tool: name,
    args: inner.args,
    step: { tool, args, pattern: p, field, encoded: inner.encoded },
  };
}

/** Resolve wrappers until the tool is not one, at most `maxDepth` levels. */
export function resolveWrappers(
  tool: string,
  args: Args,
  patterns: readonly z.infer<typeof WrapperPattern>[],
  maxDepth: number,
): Resolution {
  let t = tool;
  let a = args;
  const steps: WrapperStep[] = [];
  for (;;) {
    const p = patterns.find((x) => globMatch(x.wrapper, t));
    if (!p) return { ok: true, tool: t, args: a, steps };
    if (steps.length >= maxDepth) {
      const chain = [...steps.map((s) => s.tool), t].join(" → ");
      return failure(
        "wrapper_depth",
        "tool",
        `wrappers nest deeper than ${maxDepth} levels (${chain}); the action cannot be resolved and must be denied`,
      );
    }
    const r = resolveOne(t, a, p);
    if (!r.ok) return r;
    steps.push(r.step);
    t = r.tool;
    a = r.args;
  }
}

/**
 * Put arguments for the resolved tool (e.g. a MODIFY decision's modifiedArgs) back into the wrappers, for a host
 * that executes the wrapper rather than the resolved tool. The name fields always come from the original call.
 */
export function rewrap(steps: readonly WrapperStep[], inner: Args): Args {
  let cur: Args = inner;
  for (let i = steps.length - 1; i >= 0; i--) {
    const s = steps[i]!;
    if (s.field === null && (s.pattern.args ?? "rest") === "rest") {
      const names = Object.fromEntries(s.pattern.name.map((f) => [f, s.args[f]]));
      cur = { ...cur, ...names };
    } else {
      const field = s.field ?? (s.pattern.args as readonly string[])[0]!;
      cur = { ...s.args, [field]: s.encoded ? JSON.stringify(cur) : cur };
    }
  }
  return cur;
}
