/**
 * Random well-typed policies as .aarm source text over tools.json: rules of all six effects with random
 * priorities, kernel rules and binds, tag rules, validate blocks and modify rules (set / cap / redact).
 */
import { type Draw, lit } from "./draw.js";
import { commonArgs, type Decls, ExprGen, type Scope } from "./gen-expr.js";
import { KERNEL_RULES, poolFor, WORDS } from "./pools.js";
import { type ArgInfo, TOOLS, tool, type ToolInfo } from "./schema-model.js";

const DEFAULT_LEVELS = ["PUBLIC", "INTERNAL", "CONFIDENTIAL", "RESTRICTED"];
const CUSTOM_LEVELS = ["OPEN", "SENSITIVE", "SECRET"];
const LABELS = ["PII", "FINANCIAL", "PHI"];
const BINDS = [
  "bind read_file(path) to file.open",
  'bind "run-shell"(program) to process.exec',
  "bind get_webpage(url) to net.connect",
  "bind http.post(url) to net.connect",
];
/** Tool sets that share arguments (body; url), for rules over several tools. */
const GROUPS = [
  ["email.send", "http.post"],
  ["http.post", "get_webpage"],
  ["email.send", "email.search"],
  ["db.query", "send_money", "read_file"],
];
const PRIORITIES = [0, 10, 20, 30, 40, 50, 60];
const IDS = ['a"b', "x */ y", "back\\slash", "line\u2028sep", "${inject}", "</script>", "ü-id"];

export interface GeneratedPolicy {
  readonly text: string;
  readonly decls: Decls;
  /** The tools most rules are about (sessions call them most). */
  readonly focus: readonly string[];
}

/** A random policy. */
export function genPolicy(d: Draw, n: number): GeneratedPolicy {
  const decls: Decls = { levels: d.chance(0.3) ? CUSTOM_LEVELS : DEFAULT_LEVELS, labels: LABELS };
  const ex = new ExprGen(d, decls);
  const focus = d.some(TOOLS, 2, 4);
  const out: string[] = [
    `policy "gen-${n}" version "1.0.${n}"`,
    `default ${d.pick(["allow", "deny"])}`,
    `tools from "./tools.json"`,
  ];
  if (decls.levels !== DEFAULT_LEVELS || d.chance(0.2)) out.push(`levels ${decls.levels.join(" < ")}`);
  out.push(`labels ${LABELS.join(", ")}`);
  out.push(`context env: "prod" | "staging", confidence: number, maintenance_window: bool`);
  out.push(`context tickets: list<string>, token_age: duration, owner: string`);
  out.push(
    `const internal = ["corp.example", "partner.example"]`,
    `const max_amount = 5000`,
    `const max_len = 10`,
  );
  out.push(
    `const secret_re = /(?i)secret|password/`,
    `const watch_words = ["invoice", "secret", "test data"]`,
  );
  out.push(...d.some(BINDS, 0, 4));
  out.push(...d.some(KERNEL_RULES, 0, 3));
  for (let i = d.int(0, 3); i > 0; i--) out.push(tagRule(d, ex, decls, focus));
  if (d.chance(0.5)) out.push(validateBlock(d, ex, focus));
  const ids = new Set<string>();
  for (let i = d.int(3, 12); i > 0; i--) out.push(rule(d, ex, ids, focus));
  return { text: `${out.join("\n")}\n`, decls, focus: focus.map((t) => t.name) };
}

function pickTools(d: Draw, focus: readonly ToolInfo[]): ToolInfo[] {
  const k = d.int(0, 99);
  if (k < 60) return [d.pick(focus)];
  if (k < 75) return [d.pick(TOOLS)];
  if (k < 90) return d.pick(GROUPS).map(tool);
  return [...TOOLS];
}

function toolList(tools: readonly ToolInfo[]): string {
  return tools.length === TOOLS.length ? "*" : tools.map((t) => t.ref).join(", ");
}

function reason(d: Draw): string {
  return d.chance(0.5)
    ? ` because ${lit(d.pick([...WORDS, 'destructive "SQL" */', "line\u2028break", "${x}</script>"]))}`
    : "";
}

function tagRule(d: Draw, ex: ExprGen, decls: Decls, focus: readonly ToolInfo[]): string {
  const tools = d.chance(0.8) ? [d.pick(focus)] : d.pick(GROUPS).map(tool);
  const scope: Scope = { tools, pure: false, tag: true };
  const when = d.chance(0.7) ? ` when ${ex.cond(scope, 1)}` : "";
  const names = [...d.some(decls.labels, 0, 2), ...(d.chance(0.7) ? [d.pick(decls.levels)] : [])];
  if (names.length === 0) names.push(d.pick(decls.labels));
  const id = d.chance(0.3) ? `@id(${lit(`tag ${d.int(0, 1e6)}`)}) ` : "";
  return `${id}on result ${toolList(tools)}${when} { label ${names.join(", ")} }`;
}

function validateBlock(d: Draw, ex: ExprGen, focus: readonly ToolInfo[]): string {
  const t = d.pick(focus);
  const scope: Scope = { tools: [t], pure: true, tag: false };
  // A disjunction of three atoms holds for most arguments, so validation does not decide most actions.
  const cs = Array.from(
    { length: d.int(1, 2) },
    () => `(${ex.atom(scope)}) or (${ex.atom(scope)}) or (${ex.atom(scope)})${reason(d)}`,
  );
  return `validate ${t.ref} {\n  ${cs.join(d.pick([";\n  ", ",\n  ", "; "]))}\n}`;
}

function options(d: Draw, effect: string): string {
  if (effect === "step_up") {
    const quorum = d.pick(["any", "all", "2 of"]);
    const groups =
      quorum === "2 of" ? `["dba", "security", "finance"]` : d.pick([`["dba"]`, `"security"`, `["a", "b"]`]);
    let s = ` approvers ${quorum} ${groups}`;
    if (d.chance(0.6)) {
      s += ` timeout ${d.pick(["10m", "1h"])}`;
      if (d.chance(0.4)) s += ` escalate to ["backup"] after ${d.pick(["1m", "5m"])}`;
    }
    return s;
  }
  if (effect === "defer" && d.chance(0.6)) return ` timeout ${d.pick(["5m", "15m", "2h"])}`;
  return "";
}

function modification(d: Draw, ex: ExprGen, a: ArgInfo): string | undefined {
  const t = a.type;
  const e = `args.${a.path}`;
  if (t.kind === "number") {
    const n = t.min + d.int(0, Math.min(100, t.max - t.min - 1));
    return d.chance(0.6) ? `cap ${e} at ${n}` : `set ${e} = ${n}`;
  }
  if (t.kind === "bool") return `set ${e} = ${d.pick(["true", "false"])}`;
  if (t.kind === "list") return `set ${e} = [${d.some(poolFor(a.name), 0, 2).map(lit).join(", ")}]`;
  if (t.enum) return `set ${e} = ${lit(d.pick(t.enum))}`;
  if (t.nullable && d.chance(0.3)) return `set ${e} = null`;
  if (t.maxLength >= 10 && d.chance(0.5)) return `redact ${e}`;
  const v = d.pick([lit(ex.stringValue(a)), "context.owner", "request", `lower(${e})`]);
  return `set ${e} = ${v}`;
}

function modBlock(d: Draw, ex: ExprGen, tools: readonly ToolInfo[]): string | undefined {
  const args = commonArgs(tools);
  if (args.length === 0) return undefined;
  const mods = d.some(args, 1, 3).flatMap((a) => modification(d, ex, a) ?? []);
  return mods.length > 0 ? ` { ${mods.join(d.pick(["; ", ", ", "\n  "]))} }` : undefined;
}

function rule(d: Draw, ex: ExprGen, ids: Set<string>, focus: readonly ToolInfo[]): string {
  let effect = d.pick([
    "forbid",
    "deny",
    "deny",
    "defer",
    "step_up",
    "modify",
    "modify",
    "allow",
    "allow",
    "allow",
  ]);
  let tools = pickTools(d, focus);
  let mods = "";
  if (effect === "modify") {
    if (tools.length > 1) tools = [d.pick(focus)];
    const block = modBlock(d, ex, tools);
    if (block === undefined) effect = "allow";
    else mods = block;
  }
  const ann: string[] = [];
  if (d.chance(0.4)) {
    let id = `${d.pick(IDS)}-${d.int(0, 1e6)}`;
    while (ids.has(id)) id += "'";
    ids.add(id);
    ann.push(`@id(${lit(id)})`);
  }
  if (effect !== "forbid" && d.chance(0.4)) ann.push(`@priority(${d.pick(PRIORITIES)})`);
  const scope: Scope = { tools, pure: effect === "forbid", tag: false };
  const when = d.chance(effect === "forbid" ? 0.95 : 0.8) ? ` when ${ex.cond(scope, d.int(0, 3))}` : "";
  const head = ann.length > 0 ? `${ann.join(" ")}\n` : "";
  return `${head}${effect} ${toolList(tools)}${when}${mods}${options(d, effect)}${reason(d)}`;
}
