/**
 * Generated benchmark policies: N decision rules spread over 100 tools, written both in aarm and as the equivalent
 * Cedar policy set. Tool `t00` (the probe) always has exactly five rules, so the cost of a decision on a tool with
 * five rules can be compared across policy sizes; the other rules are spread round-robin over t01..t99.
 *
 * The rules use argument, identity, label, provenance, history (seen, count, sequence) predicates. Only `deny`
 * and `allow` effects are generated, under `default deny`: then aarm's tiers (deny before allow) and Cedar's
 * forbid-overrides-permit give the same decision for every request, which the benchmark checks.
 */
import { random } from "./random.js";

export const TOOL_COUNT = 100;
export const LABELS = ["L0", "L1", "L2", "L3", "L4", "L5", "L6", "L7", "L8", "L9"] as const;
export const ROLES = ["teller", "viewer", "admin", "guest"] as const;
/** Domains recipients are drawn from. */
export const DOMAINS = ["corp.example", "partner.example", "mail.example", "evil.example"] as const;

/** The tool name of index i: t00 .. t99. */
export function toolName(i: number): string {
  return `t${String(i).padStart(2, "0")}`;
}

/** Every tool's input schema (the same for all): who receives what, how much, and a free-text body. */
export function toolsJson(): string {
  const tools = Array.from({ length: TOOL_COUNT }, (_, i) => ({
    name: toolName(i),
    description: `benchmark tool ${i}`,
    inputSchema: {
      type: "object",
      // Each tool's schema differs a little, as real tools' schemas do.
      properties: {
        to: { type: "string", maxLength: 200 + i, description: `who receives what t${i} sends` },
        amount: { type: "integer", minimum: 0, maximum: 1_000_000 + i },
        body: { type: "string", maxLength: 2000 + i, description: `free text for t${i}` },
      },
      required: ["to", "amount", "body"],
      additionalProperties: false,
    },
  }));
  return JSON.stringify({ tools });
}

/** One generated rule: its aarm text and the Cedar policy that means the same. */
export interface GenRule {
  readonly kind: RuleKind;
  readonly tool: string;
  readonly aarm: string;
  readonly cedar: string;
}

export type RuleKind =
  | "arg"
  | "identity"
  | "label"
  | "provenance"
  | "source"
  | "seen"
  | "count"
  | "sequence"
  | "allow-if"
  | "allow";

/** The sequences the policy uses, as `A>B` keys (the Cedar host precomputes which ones occurred). */
export function sequenceKey(a: string, b: string): string {
  return `${a}>${b}`;
}

/** The sequence window, in minutes. */
export const SEQUENCE_WINDOW_MIN = 10;
/** The count window, in minutes. */
export const COUNT_WINDOW_MIN = 60;

function cedarScope(tool: string): string {
  return `(principal, action == Action::"call", resource == Tool::"${tool}")`;
}

function forbid(id: string, tool: string, cond: string): string {
  return `@id("${id}")\nforbid ${cedarScope(tool)} when { ${cond} };`;
}

function permit(id: string, tool: string, cond: string | null): string {
  return cond === null
    ? `@id("${id}")\npermit ${cedarScope(tool)};`
    : `@id("${id}")\npermit ${cedarScope(tool)} when { ${cond} };`;
}

/** Build one rule of a kind for a tool; `n` makes its id unique, `next` draws its parameters. */
function makeRule(kind: RuleKind, tool: string, n: number, next: () => number): GenRule {
  const id = `r${n}`;
  const k = 1 + Math.floor(next() * 2000);
  const other = toolName(Math.floor(next() * TOOL_COUNT));
  const other2 = toolName(Math.floor(next() * TOOL_COUNT));
  const label = LABELS[Math.floor(next() * LABELS.length)]!;
  const domain = DOMAINS[Math.floor(next() * DOMAINS.length)]!;
  const role = ROLES[Math.floor(next() * ROLES.length)]!;
  const small = 2 + Math.floor(next() * 6);
  const a = (cond: string) => `@id("${id}") deny ${tool} when ${cond} because "rule ${n}"`;
  switch (kind) {
    case "arg":
      return {
        kind,
        tool,
        aarm: a(`args.amount > ${k}`),
        cedar: forbid(id, tool, `context.args.amount > ${k}`),
      };
    case "identity":
      return {
        kind,
        tool,
        aarm: a(`identity.role == "${role}" and args.amount > ${k}`),
        cedar: forbid(id, tool, `principal.role == "${role}" && context.args.amount > ${k}`),
      };
    case "label":
      return {
        kind,
        tool,
        aarm: a(`session.labels has ${label} and args.to endsWith "@${domain}"`),
        cedar: forbid(id, tool, `context.labels.contains("${label}") && context.args.to like "*@${domain}"`),
      };
    case "provenance":
      return {
        kind,
        tool,
        aarm: a(`provenance(args.to) excludes request and args.amount > ${k}`),
        cedar: forbid(id, tool, `!context.provenance.to.contains("request") && context.args.amount > ${k}`),
      };
    case "source":
      return {
        kind,
        tool,
        aarm: a(`provenance(args.body) has result(${other})`),
        cedar: forbid(id, tool, `context.provenance.body.contains("tool:${other}")`),
      };
    case "seen":
      return {
        kind,
        tool,
        aarm: a(`seen(${other} within ${COUNT_WINDOW_MIN}m) and args.amount > ${k}`),
        cedar: forbid(id, tool, `context.seen.contains("${other}") && context.args.amount > ${k}`),
      };
    case "count":
      return {
        kind,
        tool,
        aarm: a(`count(${other} within ${COUNT_WINDOW_MIN}m) >= ${small}`),
        cedar: forbid(id, tool, `context.counts.${other} >= ${small}`),
      };
    case "sequence":
      return {
        kind,
        tool,
        aarm: a(`sequence(${other}, ${other2} within ${SEQUENCE_WINDOW_MIN}m) and args.amount > ${k}`),
        cedar: forbid(
          id,
          tool,
          `context.sequences.contains("${sequenceKey(other, other2)}") && context.args.amount > ${k}`,
        ),
      };
    case "allow-if":
      return {
        kind,
        tool,
        aarm: `@id("${id}") allow ${tool} when args.amount <= ${k} and args.to endsWith "@${domain}"`,
        cedar: permit(id, tool, `context.args.amount <= ${k} && context.args.to like "*@${domain}"`),
      };
    case "allow":
      return { kind, tool, aarm: `@id("${id}") allow ${tool}`, cedar: permit(id, tool, null) };
  }
}

/** The probe tool's five rules: provenance, label, sequence and argument denials, and its allow. */
const PROBE_KINDS: readonly RuleKind[] = ["provenance", "label", "sequence", "arg", "allow"];
/** The mix of the other tools' rules (cycled; 99 tools and 10 kinds are coprime, so every tool gets every kind). */
const MIX: readonly RuleKind[] = [
  "allow",
  "provenance",
  "label",
  "arg",
  "sequence",
  "count",
  "source",
  "identity",
  "seen",
  "allow-if",
];

/** A generated policy: rules, its aarm source text, and the equivalent Cedar policy set text. */
export interface GenPolicy {
  readonly rules: readonly GenRule[];
  readonly aarm: string;
  readonly cedar: string;
  /** The distinct sequences the rules test. */
  readonly sequences: readonly (readonly [string, string])[];
}

/** Generate a policy of `count` decision rules (at least 5), deterministic for a seed. */
export function generatePolicy(count: number, seed = 7): GenPolicy {
  if (count < PROBE_KINDS.length)
    throw new Error(`a benchmark policy has at least ${PROBE_KINDS.length} rules`);
  const next = random(seed);
  const rules: GenRule[] = PROBE_KINDS.map((kind, i) => makeRule(kind, toolName(0), i, next));
  for (let i = PROBE_KINDS.length; i < count; i++) {
    const j = i - PROBE_KINDS.length;
    const tool = toolName(1 + (j % (TOOL_COUNT - 1)));
    rules.push(makeRule(MIX[j % MIX.length]!, tool, i, next));
  }
  const sequences = new Map<string, readonly [string, string]>();
  for (const r of rules) {
    if (r.kind !== "sequence") continue;
    const m = /sequence\((t\d\d), (t\d\d) /.exec(r.aarm);
    if (m) sequences.set(sequenceKey(m[1]!, m[2]!), [m[1]!, m[2]!]);
  }
  const header = [
    `policy "bench-${count}" version "1.0.0"`,
    "default deny",
    'tools from "./tools.json"',
    "levels PUBLIC < SECRET",
    `labels ${LABELS.join(", ")}`,
    // Every result is classified; every tenth tool's results carry a label.
    '@id("tag-all") on result * { label PUBLIC }',
    ...LABELS.map((l, i) => `@id("tag-${l}") on result ${toolName(i * 10 + 3)} { label ${l} }`),
  ];
  return {
    rules,
    aarm: `${[...header, ...rules.map((r) => r.aarm)].join("\n")}\n`,
    cedar: `${rules.map((r) => r.cedar).join("\n")}\n`,
    sequences: [...sequences.values()],
  };
}
