/**
 * Well-typed random conditions over the tools of tools.json: every operator and builtin, quantifiers, presence and
 * known tests, history, provenance, labels and levels, context fields, identity and the request.
 */
import { type Draw, lit } from "./draw.js";
import { DELEGATION, EMAILS, FRAGMENTS, poolFor, REGEXES, ROLES, SCOPES, WORDS } from "./pools.js";
import { type ArgInfo, type ArgType, TOOLS, type ToolInfo } from "./schema-model.js";

/** Where a condition appears, which decides what it may read. */
export interface Scope {
  readonly tools: readonly ToolInfo[];
  /** forbid rules and validate blocks: only args, tool, constants and pure builtins. */
  readonly pure: boolean;
  /** Inside `on result`: `result` is available. */
  readonly tag: boolean;
}

/** What the policy declares (levels differ between policies). */
export interface Decls {
  readonly levels: readonly string[];
  readonly labels: readonly string[];
}

const WINDOWS = ["30s", "5m", "10m", "1h", "1d"] as const;
const TOOL_PATTERNS = [
  "email.send",
  "email.*",
  "db.query",
  "http.post",
  "get_webpage",
  "calendar.*",
  "send_money",
  "read_file",
  '"run-shell"',
  "*",
];

/** The arguments every tool of the scope has, with a type that fits all of them. */
export function commonArgs(tools: readonly ToolInfo[]): ArgInfo[] {
  const [first, ...rest] = tools;
  if (!first) return [];
  const out: ArgInfo[] = [];
  for (const a of first.args) {
    const others = rest.map((t) => t.args.find((b) => b.path === a.path));
    if (others.some((b) => !b || b.type.kind !== a.type.kind)) continue;
    if (
      a.type.kind === "string" &&
      (a.type.enum || others.some((b) => b?.type.kind === "string" && b.type.enum))
    ) {
      if (others.length > 0) continue;
    }
    if (a.type.kind === "number" && others.length > 0) continue;
    const maxLength = Math.min(
      ...[a, ...others].map((b) =>
        b!.type.kind === "string" || b!.type.kind === "list" ? b!.type.maxLength : 1e9,
      ),
    );
    const type: ArgType =
      a.type.kind === "string"
        ? { ...a.type, maxLength }
        : a.type.kind === "list"
          ? { ...a.type, maxLength }
          : a.type;
    out.push({ ...a, type, optional: a.optional || others.some((b) => b!.optional) });
  }
  return out;
}

/** Generates conditions for one policy. */
export class ExprGen {
  constructor(
    readonly d: Draw,
    readonly decls: Decls,
  ) {}

  /** A boolean condition of at most `depth` levels of and/or/not. */
  cond(scope: Scope, depth: number): string {
    const d = this.d;
    if (depth <= 0 || d.chance(0.45)) return this.atom(scope);
    const k = d.int(0, 9);
    if (k < 4) return `(${this.cond(scope, depth - 1)}) and (${this.cond(scope, depth - 1)})`;
    if (k < 8) return `(${this.cond(scope, depth - 1)}) or (${this.cond(scope, depth - 1)})`;
    return `not (${this.cond(scope, depth - 1)})`;
  }

  atom(scope: Scope): string {
    const d = this.d;
    const args = commonArgs(scope.tools);
    const k = d.int(0, 99);
    if (scope.tag && k < 20) return this.resultAtom(scope);
    if (args.length > 0 && (scope.pure || k < 55)) return this.argAtom(d.pick(args));
    if (scope.pure) return scope.tools.length > 1 ? this.toolAtom(scope) : `len(${lit(d.pick(WORDS))}) > 3`;
    if (k < 62 && scope.tools.length > 1) return this.toolAtom(scope);
    if (k < 72 && scope.tools.length === 1) {
      const provable = args.filter(
        (a) => a.type.kind === "list" || (a.type.kind === "string" && !a.type.enum),
      );
      if (provable.length > 0) return this.provenanceAtom(d.pick(provable).path);
    }
    if (k < 82) return this.historyAtom();
    return this.contextAtom();
  }

  stringValue(a: { name: string; type: ArgType }): string {
    const t = a.type;
    const max = t.kind === "string" || t.kind === "list" ? t.maxLength : 1000;
    const pool = t.kind === "string" && t.enum ? t.enum : poolFor(a.name).filter((v) => [...v].length <= max);
    return this.d.pick(pool.length > 0 ? pool : ["x"]);
  }

  private fragment(a: { name: string; type: ArgType }): string {
    const v = this.stringValue(a);
    const i = this.d.int(0, v.length);
    return v.slice(i, this.d.int(i, v.length));
  }

  private numberLit(t: Extract<ArgType, { kind: "number" }>, strict: boolean): number {
    const lo = strict ? t.min + 1 : t.min;
    const hi = strict ? t.max - 1 : t.max;
    const n = this.d.pick([lo, hi, Math.round((lo + hi) / 2), lo + this.d.int(0, Math.min(200, hi - lo))]);
    return t.integer ? Math.round(n) : this.d.chance(0.2) ? n + 0.5 : n;
  }

  argAtom(a: ArgInfo): string {
    const d = this.d;
    const e = `args.${a.path}`;
    const t = a.type;
    if (a.optional && d.chance(0.12)) return `${e} is ${d.pick(["present", "absent"])}`;
    switch (t.kind) {
      case "bool":
        return a.optional
          ? `${e} ${d.pick(["==", "!="])} ${d.pick(["true", "false"])}`
          : d.pick([e, `${e} == false`, `not ${e}`]);
      case "number": {
        const op = d.pick(["<", "<=", ">", ">=", "==", "!=", "in"]);
        if (op === "in")
          return `${e} ${d.pick(["in", "not in"])} [${this.numberLit(t, false)}, ${this.numberLit(t, false)}]`;
        if (t.min < 5000 && t.max > 5000 && d.chance(0.2)) return `${e} ${op} max_amount`;
        return `${e} ${op} ${this.numberLit(t, op !== "==" && op !== "!=")}`;
      }
      case "string":
        return this.stringAtom(e, a, t);
      case "list":
        return this.listAtom(e, a);
    }
  }

  private stringAtom(e: string, a: ArgInfo, t: Extract<ArgType, { kind: "string" }>): string {
    const d = this.d;
    if (t.nullable && d.chance(0.3)) return `${e} ${d.pick(["==", "!="])} null`;
    const v = () => lit(this.stringValue(a));
    const k = d.int(0, t.enum ? 5 : 13);
    switch (k) {
      case 0:
        return `${e} ${d.pick(["==", "!="])} ${v()}`;
      case 1:
        return `${e} ${d.pick(["in", "not in"])} [${v()}, ${v()}]`;
      case 2:
        return `${e} matches ${d.pick(REGEXES)}`;
      case 3:
        return `${e} ${d.pick(["contains", "startsWith", "endsWith"])} ${lit(this.fragment(a))}`;
      case 4:
        return `${e} mentions ${lit(d.pick(["test data", "invoice", "TABLE", "corp", "50", this.fragment(a)]))}`;
      case 5:
        return `len(${e}) ${d.pick([">", "<=", "=="])} ${d.int(0, 30)}`;
      case 6:
        return `lower(${e}) ${d.pick(["==", "contains"])} ${lit(this.stringValue(a).toLowerCase())}`;
      case 7:
        return `upper(${e}) startsWith ${lit(this.fragment(a).toUpperCase())}`;
      case 8:
        return `domain(${e}) ${d.pick(["==", "!="])} ${lit(d.pick(["corp.example", "evil.example", "partner.example", "203.0.113.5"]))}`;
      case 9:
        return `domain(${e}) ${d.pick(["in", "not in"])} internal`;
      case 10:
        return `host(${e}) ${d.pick(["==", "endsWith"])} ${lit(d.pick(["evil.example", "corp.example", "2001:db8::1", "169.254.169.254"]))}`;
      case 11:
        return `${e} matches secret_re`;
      case 12:
        return `${e} in watch_words`;
      default:
        return `len(${e}) > max_len`;
    }
  }

  private listAtom(e: string, a: ArgInfo): string {
    const d = this.d;
    const v = () => lit(this.stringValue(a));
    switch (d.int(0, 11)) {
      case 0:
        return `${e} ${d.pick(["has", "excludes"])} ${v()}`;
      case 1:
        return `${e} ${d.pick(["has any", "has all"])} [${v()}, ${v()}]`;
      case 2:
        return `${d.pick(["any", "all"])} ${e} ${d.pick(["==", "!=", "contains", "startsWith", "endsWith", "mentions"])} ${lit(this.fragment(a))}`;
      case 3:
        return `${d.pick(["any", "all"])} ${e} matches ${d.pick(REGEXES)}`;
      case 4:
        return `${d.pick(["any", "all"])} ${e} ${d.pick(["in", "not in"])} [${v()}, ${v()}]`;
      case 5:
        return `len(${e}) ${d.pick([">", "==", "<="])} ${d.int(0, 4)}`;
      case 6:
        return `${d.pick(["any", "all"])} domain(${e}) ${d.pick(["in", "not in"])} internal`;
      case 7:
        return `${e} ${d.pick(["in", "not in"])} [${v()}, ${v()}, ${v()}]`;
      case 8:
        return `lower(${e}) has ${lit(this.stringValue(a).toLowerCase())}`;
      case 9:
        return `${d.pick(["any", "all"])} upper(${e}) contains ${lit(this.fragment(a).toUpperCase())}`;
      case 10:
        return `domain(${e}) has any internal`;
      default:
        return `${d.pick(["any", "all"])} host(${e}) == "corp.example"`;
    }
  }

  private toolAtom(scope: Scope): string {
    const names = scope.tools.map((t) => t.name);
    const d = this.d;
    switch (d.int(0, 2)) {
      case 0:
        return `tool ${d.pick(["==", "!="])} ${lit(d.pick(names))}`;
      case 1:
        return `tool ${d.pick(["in", "not in"])} [${d.some(names, 1, 3).map(lit).join(", ")}]`;
      default:
        return `tool ${d.pick(["startsWith", "contains", "endsWith"])} ${lit(d.pick(["email", ".", "db.", "_", "query"]))}`;
    }
  }

  private resultAtom(scope: Scope): string {
    const d = this.d;
    if (scope.tools.length === 1 && scope.tools[0]!.name === "email.search") {
      return d.pick([
        `result.total > ${d.int(0, 5)}`,
        `len(result.messages) == 0`,
        `result.total is present`,
        `len(result.messages) > 1`,
      ]);
    }
    return d.pick([
      `result.status == "ok"`,
      `result.rows > 10`,
      `result contains "secret"`,
      `result matches /(?i)ssn|iban/`,
      `result.owner is absent`,
      `len(result) > 20`,
    ]);
  }

  private provenanceAtom(path: string): string {
    const d = this.d;
    const p = `provenance(args.${path})`;
    const src = () =>
      d.chance(0.4) ? "request" : `result(${d.some(TOOL_PATTERNS.slice(0, 9), 1, 2).join(", ")})`;
    switch (d.int(0, 3)) {
      case 0:
        return `${p} ${d.pick(["excludes", "has"])} request`;
      case 1:
        return `${p} ${d.pick(["has", "excludes"])} ${src()}`;
      case 2:
        return `${p} ${d.pick(["has any", "has all"])} [${src()}, ${src()}]`;
      default:
        return `len(${p}) ${d.pick([">", "=="])} ${d.int(0, 2)}`;
    }
  }

  historyAtom(): string {
    const d = this.d;
    const w = () => (d.chance(0.5) ? ` within ${d.pick(WINDOWS)}` : "");
    const tools = () => d.some(TOOL_PATTERNS, 1, 2).join(", ");
    switch (d.int(0, 3)) {
      case 0:
        return `seen(${tools()}${w()})`;
      case 1:
        return `count(${tools()}${w()}) ${d.pick([">=", ">", "==", "<"])} ${d.int(1, 4)}`;
      case 2: {
        const steps = Array.from({ length: d.int(2, 3) }, () => d.pick(TOOL_PATTERNS));
        return `sequence(${steps.join(", ")}${w()})`;
      }
      default:
        return `not seen(${tools()}${w()})`;
    }
  }

  contextAtom(): string {
    const d = this.d;
    const { levels, labels } = this.decls;
    const label = () => d.pick(labels);
    switch (d.int(0, 23)) {
      case 0:
        return `context.env ${d.pick(["==", "!="])} ${lit(d.pick(["prod", "staging"]))}`;
      case 1:
        return `context.confidence ${d.pick(["<", ">=", ">"])} ${d.pick(["0.5", "0.9", "0"])}`;
      case 2:
        return d.pick([
          "context.maintenance_window",
          "not context.maintenance_window",
          "context.maintenance_window == true",
        ]);
      case 3:
        return d.pick([
          `context.tickets has "CHG-1"`,
          `len(context.tickets) == 0`,
          `any context.tickets startsWith "CHG"`,
        ]);
      case 4:
        return `context.token_age ${d.pick(["<", ">="])} ${d.pick(WINDOWS)}`;
      case 5:
        return `context.owner ${d.pick(["mentions", "contains", "=="])} ${lit(d.pick(["ann", "Ann Smith", "bob"]))}`;
      case 6:
        return `context.${d.pick(["env", "confidence", "tickets", "owner", "maintenance_window"])} is ${d.pick(["known", "unknown"])}`;
      case 7:
        return `identity.role ${d.pick(["==", "!="])} ${lit(d.pick(ROLES))}`;
      case 8:
        return `identity.role in [${d.some(ROLES, 1, 3).map(lit).join(", ")}]`;
      case 9:
        return `identity.scopes ${d.pick(["has", "excludes"])} ${lit(d.pick(SCOPES))}`;
      case 10:
        return d.pick([
          `len(identity.delegation) > ${d.int(0, 3)}`,
          `identity.delegation has ${lit(d.pick(DELEGATION))}`,
        ]);
      case 11:
        return `identity.${d.pick(["human", "agent", "service", "session", "role", "scopes"])} is ${d.pick(["known", "unknown"])}`;
      case 12:
        return `identity.human ${d.pick(["==", "startsWith"])} ${lit(d.pick(["ann", "a", "bob"]))}`;
      case 13:
        return `request ${d.pick(["mentions", "contains"])} ${lit(d.pick([...WORDS, ...EMAILS, "50"]))}`;
      case 14:
        return d.pick([
          `request is known`,
          `request is unknown`,
          `request matches /(?i)delete|wire/`,
          `len(request) > 40`,
        ]);
      case 15:
        return `session.labels ${d.pick(["has", "excludes"])} ${label()}`;
      case 16:
        return `session.labels ${d.pick(["has any", "has all"])} [${label()}, ${label()}]`;
      case 17:
        return `session.level ${d.pick(["<", "<=", ">", ">=", "==", "!="])} ${d.pick(levels)}`;
      case 18:
        return `session.actions ${d.pick([">", ">=", "<"])} ${d.int(0, 5)}`;
      case 19:
        return d.pick([`session.drift > 0.8`, `drift > 0.5`, `drift is unknown`, `session.drift is known`]);
      case 20:
        return `len(session.labels) ${d.pick([">", "=="])} ${d.int(0, 2)}`;
      case 21:
        return `${label()} in [${d.some(labels, 1, 3).join(", ")}]`;
      case 22:
        return `(context.env is unknown) or (context.env == "prod")`;
      default:
        return `context.tickets ${d.pick(["has any", "has all"])} [${lit(d.pick(FRAGMENTS))}, "CHG-1"]`;
    }
  }
}

/** Every tool name (for tool patterns). */
export const ALL_TOOLS = TOOLS;
