/**
 * What a policy declares, for `aarmc compile --emit summary`: header, posture, tool imports, labels and levels,
 * constants, context fields, rules by effect (with ids) and the kernel-visible rules. Read off the AST; tool
 * counts come from the schema loader when it can load them.
 */
import { loadTools } from "../compiler/schema/index.js";
import { nodeHost, type CompilerHost } from "../compiler/index.js";
import {
  EFFECTS,
  hasErrors,
  lineCol,
  type Effect,
  type Policy,
  type Rule,
  type Source,
  type ToolsDecl,
  type TypeExpr,
} from "../language/index.js";

/** The levels a policy has when it declares none. */
export const DEFAULT_LEVELS: readonly string[] = ["PUBLIC", "INTERNAL", "CONFIDENTIAL", "RESTRICTED"];

/** One `tools from` import. `count` is null when its file could not be loaded without errors. */
export interface ToolsImport {
  readonly from: string;
  readonly as?: string;
  readonly count: number | null;
}

/** One kernel-visible rule: a forbid with a `path`, `under`, `to` or `port` clause. */
export interface KernelRule {
  readonly id: string;
  readonly action: string;
  readonly match: string;
}

/** The summary, as written to summary.json. */
export interface PolicySummary {
  readonly name: string | null;
  readonly version: string | null;
  readonly default: "allow" | "deny" | null;
  readonly tools: readonly ToolsImport[];
  readonly levels: readonly string[];
  /** False when `levels` is the default order because the policy declares none. */
  readonly levelsDeclared: boolean;
  readonly labels: readonly string[];
  readonly constants: readonly { readonly name: string; readonly value: string }[];
  readonly context: readonly { readonly name: string; readonly type: string }[];
  readonly bindings: readonly { readonly tool: string; readonly arg: string; readonly action: string }[];
  readonly validateBlocks: number;
  readonly tagRules: number;
  /** Rule ids by effect, in source order. */
  readonly rules: Readonly<Record<Effect, readonly string[]>>;
  readonly kernel: readonly KernelRule[];
}

function typeText(t: TypeExpr): string {
  switch (t.kind) {
    case "NamedType":
      return t.name;
    case "ListType":
      return `list<${typeText(t.element)}>`;
    case "EnumType":
      return t.values.map((v) => JSON.stringify(v.value)).join(" | ");
  }
}

/**
 * A rule's id: `@id("...")`, else `<effect>-<line>` with the line of the effect keyword.
 * TODO(cli): take the ids from the compiler once lowering assigns them, so the two can never disagree.
 */
export function ruleId(rule: Rule, source: Source): string {
  for (const a of rule.annotations) {
    if (a.name.name === "id" && a.value?.kind === "StringLit") return a.value.value;
  }
  return `${rule.effect}-${lineCol(source, rule.effectSpan.start).line}`;
}

function slice(source: Source, sp: { start: number; end: number }): string {
  return source.text.slice(sp.start, sp.end).replace(/\s+/g, " ").trim();
}

/** How many tools a `tools from` import brings in; null if its file has errors (the checker reports them). */
function countTools(host: CompilerHost, source: Source, decl: ToolsDecl): number | null {
  try {
    const loaded = loadTools(host, source.id, decl);
    return hasErrors(loaded.diagnostics) ? null : loaded.tools.length;
  } catch {
    return null;
  }
}

/** Summarize a parsed (and checked) policy. */
export function summarize(ast: Policy, source: Source, host: CompilerHost = nodeHost): PolicySummary {
  const rules = Object.fromEntries(EFFECTS.map((e) => [e, [] as string[]])) as Record<Effect, string[]>;
  const tools: ToolsImport[] = [];
  const kernel: KernelRule[] = [];
  const s = {
    levels: [] as string[],
    labels: [] as string[],
    constants: [] as { name: string; value: string }[],
    context: [] as { name: string; type: string }[],
    bindings: [] as { tool: string; arg: string; action: string }[],
    validateBlocks: 0,
    tagRules: 0,
  };
  let posture: "allow" | "deny" | null = null;
  for (const d of ast.decls) {
    switch (d.kind) {
      case "DefaultDecl":
        posture = d.posture;
        break;
      case "ToolsDecl":
        tools.push({
          from: d.path.value,
          ...(d.alias ? { as: d.alias.name } : {}),
          count: countTools(host, source, d),
        });
        break;
      case "LevelsDecl":
        s.levels.push(...d.levels.map((l) => l.name));
        break;
      case "LabelsDecl":
        s.labels.push(...d.labels.map((l) => l.name));
        break;
      case "ConstDecl":
        s.constants.push({ name: d.name.name, value: slice(source, d.value.span) });
        break;
      case "ContextDecl":
        s.context.push(...d.fields.map((f) => ({ name: f.name.name, type: typeText(f.type) })));
        break;
      case "BindDecl":
        s.bindings.push({ tool: d.tool.text, arg: slice(source, d.arg.span), action: d.target });
        break;
      case "ValidateDecl":
        s.validateBlocks++;
        break;
      case "TagRule":
        s.tagRules++;
        break;
      case "Rule": {
        const id = ruleId(d, source);
        rules[d.effect].push(id);
        if (d.kernel)
          kernel.push({
            id,
            action: d.tools.map((t) => t.text).join(", "),
            match: slice(source, d.kernel.span),
          });
        break;
      }
    }
  }
  const declared = s.levels.length > 0;
  return {
    name: ast.header?.name.value ?? null,
    version: ast.header?.version?.value ?? null,
    default: posture,
    tools,
    ...s,
    levels: declared ? s.levels : DEFAULT_LEVELS,
    levelsDeclared: declared,
    rules,
    kernel,
  };
}

/** A heading with a count, then one indented line per item; `(none)` when empty. */
function section(title: string, items: readonly string[]): string[] {
  return items.length === 0
    ? [`${title}: (none)`]
    : [`${title}: ${items.length}`, ...items.map((i) => `  ${i}`)];
}

/** Items joined by ", ", wrapped at `width` columns; continuation lines start with `indent` spaces. */
function wrap(items: readonly string[], indent: number, width = 100): string {
  const lines: string[] = [];
  let line = "";
  for (const item of items) {
    const next = line === "" ? item : `${line}, ${item}`;
    if (line !== "" && indent + next.length > width) {
      lines.push(`${line},`);
      line = item;
    } else {
      line = next;
    }
  }
  lines.push(line);
  return lines.join(`\n${" ".repeat(indent)}`);
}

const clip = (text: string) => (text.length > 80 ? `${text.slice(0, 77)}...` : text);

/** The summary as text, one fact per line. */
export function summaryText(s: PolicySummary): string {
  const count = (n: number | null) => (n === null ? "tools not loaded" : `${n} tool${n === 1 ? "" : "s"}`);
  const total = EFFECTS.reduce((n, e) => n + s.rules[e].length, 0);
  const width = Math.max(...EFFECTS.map((e) => e.length));
  const byEffect = EFFECTS.filter((e) => s.rules[e].length > 0).map((e) => {
    const head = `  ${e.padEnd(width)} ${String(s.rules[e].length).padStart(3)}  `;
    return head + wrap(s.rules[e], head.length);
  });
  const lines = [
    `policy ${JSON.stringify(s.name ?? "")} version ${JSON.stringify(s.version ?? "")}`,
    `default: ${s.default ?? "(missing)"}`,
    ...section(
      "tools",
      s.tools.map((t) => `${t.from}${t.as === undefined ? "" : ` as ${t.as}`} (${count(t.count)})`),
    ),
    `levels: ${s.levels.join(" < ")}${s.levelsDeclared ? "" : " (default)"}`,
    `labels: ${s.labels.length === 0 ? "(none)" : s.labels.join(", ")}`,
    ...section(
      "constants",
      s.constants.map((c) => `${c.name} = ${clip(c.value)}`),
    ),
    ...section(
      "context",
      s.context.map((c) => `${c.name}: ${c.type}`),
    ),
    ...section(
      "bindings",
      s.bindings.map((b) => `${b.tool}(${b.arg}) to ${b.action}`),
    ),
    `validate blocks: ${s.validateBlocks}, tag rules: ${s.tagRules}`,
    `rules: ${total}`,
    ...byEffect,
    ...section(
      "kernel-visible rules",
      s.kernel.map((k) => `${k.id}: ${k.action} ${k.match}`),
    ),
  ];
  return `${lines.join("\n")}\n`;
}
