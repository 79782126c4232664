/**
 * Lowering: CheckedPolicy → IR (runtime/ir). Pure data in, pure data out; deterministic (stable ordering, no
 * timestamps), so compiling the same sources twice gives byte-identical IR.
 */
import { createHash } from "node:crypto";
import { basename } from "node:path";
import type { IrKernel, IrPolicy, IrRule } from "../../runtime/ir/index.js";
import { IR_VERSION } from "../../runtime/ir/index.js";
import type { CheckedKernelMatch, CheckedPolicy, CheckedRule } from "../model.js";
import { DIALECT_URI, schemaDialect } from "../schema/index.js";
import { ExprLowerer } from "./expr.js";

export { LoweringError, matchTool, resolvePatterns } from "./expr.js";

function kernel(k: CheckedKernelMatch | undefined): IrKernel | null {
  if (!k) return null;
  if (k.kind === "path") return { kind: "path", mode: k.mode, paths: [...k.paths] };
  return {
    kind: "net",
    addresses: k.addresses.map((a) => ({ family: a.family, bytes: [...a.bytes], prefix: a.prefix, text: a.text })),
    ports: k.ports.map((p) => ({ from: p.from, to: p.to })),
  };
}

function rule(r: CheckedRule, lx: ExprLowerer): IrRule {
  return {
    id: r.id,
    effect: r.effect,
    priority: r.priority ?? null,
    tools: [...r.tools],
    kernel: kernel(r.kernel),
    cond: r.condition ? lx.lower(r.condition) : null,
    contextDependent: r.contextDependent,
    mods: r.modifications.map((m) => ({
      kind: m.kind,
      path: [...m.target],
      value: m.value ? lx.lower(m.value) : null,
      at: [m.span.start, m.span.end],
    })),
    approvers: r.approvers ? { quorum: r.approvers.quorum, groups: [...r.approvers.groups] } : null,
    timeoutMs: r.timeoutMs ?? null,
    escalation: r.escalation ? { groups: [...r.escalation.groups], afterMs: r.escalation.afterMs } : null,
    reason: r.reason ?? null,
    cost: r.cost,
    at: [r.span.start, r.span.end],
  };
}

/**
 * Give the schema's `$schema` the exact URI the runtime's validators register (the loader accepts http/https and
 * a trailing `#`), so a schema the compiler accepted is one the runtime can compile.
 */
function normalizeDialect(schema: unknown): unknown {
  if (typeof schema !== "object" || schema === null || Array.isArray(schema)) return schema;
  const d = schemaDialect(schema);
  if (d === undefined || !("$schema" in schema)) return schema;
  return { ...(schema as Record<string, unknown>), $schema: DIALECT_URI[d] };
}

/** Lower a checked policy. `sourceText` is the policy file's text (its hash goes into the IR). */
export function lowerPolicy(model: CheckedPolicy, sourceText: string): IrPolicy {
  const lx = new ExprLowerer(model);
  const tools: IrPolicy["tools"] = {};
  for (const name of [...model.tools.keys()].sort()) {
    const t = model.tools.get(name)!;
    tools[name] = { inputSchema: normalizeDialect(t.rawInputSchema ?? {}), readOnly: t.annotations?.["readOnlyHint"] === true };
  }
  return {
    irVersion: IR_VERSION,
    name: model.name,
    version: model.version ?? null,
    source: { file: basename(model.sourceId), sha256: createHash("sha256").update(sourceText, "utf8").digest("hex") },
    default: model.defaultPosture,
    levels: [...model.levels],
    labels: [...model.labels],
    tools,
    contextFields: [...model.contextFields.keys()].sort(),
    binds: model.binds.map((b) => ({ tools: [...b.tools], path: [...b.arg], target: b.target, at: [b.span.start, b.span.end] })),
    validations: model.validations.map((v) => ({
      tools: [...v.tools],
      constraints: v.constraints.map((c) => ({ expr: lx.lower(c.expr), reason: c.reason ?? null, at: [c.span.start, c.span.end] })),
      at: [v.span.start, v.span.end],
    })),
    tagRules: model.tagRules.map((t) => ({
      id: t.id,
      tools: [...t.tools],
      cond: t.condition ? lx.lower(t.condition) : null,
      labels: t.labels.filter((l) => model.labels.includes(l)),
      level: t.level === undefined ? null : model.levels.indexOf(t.level),
      at: [t.span.start, t.span.end],
    })),
    rules: model.rules.map((r) => rule(r, lx)),
  };
}
