/**
 * IR → an ESM module that evaluates a policy's conditions. The module imports nothing: it exports
 * `create(rt)`, which receives the runtime's operator functions (runtime/eval/ops.ts) and returns an Evaluator
 * (runtime/decide/core.ts). All code is built with the `js` tag (targets/js/code.ts); constants (paths, regexes,
 * lists, spans) are hoisted into a prelude; each condition becomes one straight-line function with a comment
 * pointing at its source. The decision procedure itself stays in the runtime, shared with the interpreter, and
 * indexes rules by tool, so a decision only runs the functions of its own tool.
 */
import type { IrExpr, IrPolicy, IrValue } from "../../runtime/ir/index.js";
import { JsCode, type JsName, Scope, js, joinCode, jsonLiteral, safeComment } from "./code.js";
import { fastCompare } from "./fast-compare.js";

/** The version written into generated headers. */
export const GENERATOR = "aarmc 0.1.0";

/** Span offsets below this pack into one number (start * SPAN + end, below 2^52). */
const SPAN = 2 ** 26;

class Emitter {
  readonly scope = new Scope();
  readonly prelude: JsCode[] = [];
  readonly #consts = new Map<string, JsName>();
  /** Hoisted spans by a number made of start and end: the most frequent constant, found without a string key. */
  readonly #spans = new Map<number, JsName>();
  #temps: JsName[] = [];
  /** Inside a tool's batch: each argument path read once, at the top of the batch (name, and its declaration). */
  #args: Map<string, { name: JsName; decl: JsCode }> | null = null;

  constructor(readonly file: string) {}

  /** Hoist a constant (deduplicated by its JSON form). */
  hoist(key: string, make: () => JsCode): JsName {
    const hit = this.#consts.get(key);
    if (hit) return hit;
    const name = this.scope.name("K");
    this.prelude.push(js`const ${name} = ${make()};`);
    this.#consts.set(key, name);
    return name;
  }

  at(at: readonly [number, number]): JsName {
    const start = at[0];
    const end = at[1];
    // Offsets below 2^26 (sources are at most 2^24 long) pack into one exact number; anything else, the string key.
    const packed =
      Number.isInteger(start) && Number.isInteger(end) && start >= 0 && end >= 0 && start < SPAN && end < SPAN;
    const key = packed ? start * SPAN + end : -1;
    const hit = packed ? this.#spans.get(key) : undefined;
    if (hit) return hit;
    const name = this.hoist(`at:${start},${end}`, () => js`Object.freeze([${start}, ${end}])`);
    if (packed) this.#spans.set(key, name);
    return name;
  }

  value(v: IrValue): JsCode {
    if (v === null || typeof v === "string" || typeof v === "number" || typeof v === "boolean") return js`${v}`;
    if (Array.isArray(v)) return this.hoist(`v:${JSON.stringify(v)}`, () => js`deepFreeze(${jsonLiteral(v)})`);
    const rx = v as { regex: string; flags: string };
    return this.hoist(`re:${rx.flags}/${rx.regex}`, () => js`compileRegex(${rx.regex}, ${rx.flags})`);
  }

  path(p: readonly (string | number)[]): JsName {
    return this.hoist(`p:${JSON.stringify(p)}`, () => js`Object.freeze(${jsonLiteral(p)})`);
  }

  names(ns: readonly string[]): JsName {
    return this.hoist(`n:${JSON.stringify(ns)}`, () => js`Object.freeze(${jsonLiteral(ns)})`);
  }

  since(windowMs: number | null): JsCode {
    return windowMs === null ? js`-Infinity` : js`env.now - ${windowMs}`;
  }

  /**
   * Reading an argument path. An argument by name (`args.to`, the usual path) is read inline, as getPath reads it
   * (an own member of a plain object, null when absent or undefined), so that the read is a property access the
   * engine can specialise per call site; a longer path calls getPath.
   */
  readArg(path: readonly (string | number)[]): JsCode {
    const [key] = path;
    if (path.length !== 1 || typeof key !== "string") return js`getPath(env.args, ${this.path(path)})`;
    const x = this.temp();
    return js`((${x} = env.args) !== null && typeof ${x} === "object" && !Array.isArray(${x}) && hasOwn.call(${x}, ${key}) && (${x} = ${x}[${key}]) !== undefined ? ${x} : null)`;
  }

  /** The value of an argument path: read once per batch inside a tool's batch, else read where it is used. */
  arg(path: readonly (string | number)[]): JsCode {
    if (!this.#args) return this.readArg(path);
    const key = JSON.stringify(path);
    let a = this.#args.get(key);
    if (!a) {
      const read = this.readArg(path);
      const name = this.scope.name("a");
      a = { name, decl: js`const ${name} = ${read};` };
      this.#args.set(key, a);
    }
    return a.name;
  }

  temp(): JsName {
    const t = this.scope.name("t");
    this.#temps.push(t);
    return t;
  }

  /** A function `(env) => value` for an expression, with its temporaries declared. */
  fn(e: IrExpr, label: string): JsCode {
    this.#temps = [];
    const body = this.expr(e);
    const decl = this.#temps.length > 0 ? js`let ${joinCode(this.#temps, ", ")}; ` : js``;
    return js`/* ${safeComment(`${label} ${this.file}[${e.at[0]},${e.at[1]}]`)} */ (env) => { ${decl}return ${body}; }`;
  }

  /**
   * A tool's batch `(env, out) => void`: the condition of every rule of the tool, in rule order, into out[index].
   * A rule of this tool alone is inlined (one hot function per tool); a rule shared by several tools calls its
   * own function, so that the code is not repeated once per tool.
   */
  batch(ir: IrPolicy, indexes: readonly number[], ruleFns: readonly (JsName | null)[]): JsCode | null {
    this.#temps = [];
    this.#args = new Map();
    const lines: JsCode[] = [];
    for (const i of indexes) {
      const r = ir.rules[i]!;
      const fn = ruleFns[i];
      const value = !r.cond || !fn ? js`true` : r.tools.length === 1 ? this.expr(r.cond) : js`${fn}(env)`;
      lines.push(js`out[${i}] = ${value};`);
    }
    const args = [...this.#args.values()].map((a) => a.decl);
    this.#args = null;
    if (lines.length === 0) return null;
    const decl = this.#temps.length > 0 ? [js`let ${joinCode(this.#temps, ", ")};`] : [];
    return js`(env, out) => {\n      ${joinCode([...decl, ...args, ...lines], "\n      ")}\n    }`;
  }

  expr(e: IrExpr): JsCode {
    switch (e.op) {
      case "lit":
        return this.value(e.value);
      case "list":
        return js`listOf([${joinCode(e.items.map((i) => this.expr(i)), ", ")}])`;
      case "arg":
        return this.arg(e.path);
      case "tool":
        return js`env.tool`;
      case "request":
        return js`env.session.request`;
      case "session":
        return e.field === "labels"
          ? js`env.session.labels`
          : e.field === "level"
            ? js`env.session.level`
            : e.field === "drift"
              ? js`env.session.drift`
              : js`env.session.actions`;
      case "identity":
        return js`env.session.identity(${e.field})`;
      case "context":
        return js`ctxPath(env.session.context(${e.field}), ${this.path(e.path)})`;
      case "drift":
        return js`env.drift`;
      case "result":
        return js`getPath(env.result === undefined ? null : env.result, ${this.path(e.path)})`;
      case "and":
      case "or": {
        const t = this.temp();
        const absorb = e.op === "and" ? js`false` : js`true`;
        const combine = e.op === "and" ? js`and3v` : js`or3v`;
        return js`((${t} = ${this.expr(e.left)}) === ${absorb} ? ${absorb} : ${combine}(${t}, ${this.expr(e.right)}, ${this.at(e.at)}))`;
      }
      case "not":
        return js`not3(${this.expr(e.arg)}, ${this.at(e.at)})`;
      case "cmp": {
        const right = this.expr(e.right);
        const t = this.temp();
        const fast = fastCompare(e, t, right, (key, make) => this.hoist(key, make));
        const generic = js`compare(${e.cmp}, ${e.quant}, ${t}, ${right}, ${this.at(e.at)})`;
        return fast
          ? js`((${t} = ${this.expr(e.left)}), ${fast.test} ? ${fast.value} : ${generic})`
          : js`compare(${e.cmp}, ${e.quant}, ${this.expr(e.left)}, ${right}, ${this.at(e.at)})`;
      }
      case "is":
        return js`isTest(${e.test}, ${this.expr(e.arg)})`;
      case "call":
        return js`callBuiltin(${e.fn}, [${joinCode(e.args.map((a) => this.expr(a)), ", ")}], ${this.at(e.at)})`;
      case "provenance":
        return js`env.session.provenance(${this.arg(e.path)})`;
      case "src_request":
        return this.hoist("src:request", () => js`new Set(["request"])`);
      case "src_result":
        return this.hoist(`src:${JSON.stringify(e.tools)}`, () => js`new Set(${jsonLiteral(e.tools.map((t) => `tool:${t}`))})`);
      case "seen":
        return js`env.session.seen(${this.names(e.tools)}, ${this.since(e.windowMs)})`;
      case "count":
        return js`env.session.count(${this.names(e.tools)}, ${this.since(e.windowMs)})`;
      case "sequence":
        return js`env.session.sequence(${this.hoist(`s:${JSON.stringify(e.steps)}`, () => js`deepFreeze(${jsonLiteral(e.steps)})`)}, ${this.since(e.windowMs)})`;
    }
  }
}

/** The indexes of each tool's rules, in rule order (a rule naming a tool twice is listed once). */
function rulesByTool(ir: IrPolicy): Map<string, number[]> {
  const out = new Map<string, number[]>();
  ir.rules.forEach((r, i) => {
    for (const tool of r.tools) {
      const list = out.get(tool);
      if (!list) out.set(tool, [i]);
      else if (list[list.length - 1] !== i) list.push(i);
    }
  });
  return out;
}

function table(items: readonly (JsCode | null)[]): JsCode {
  return js`[\n    ${joinCode(items.map((i) => i ?? js`null`), ",\n    ")}\n  ]`;
}

/** Generate the evaluator module for a policy's IR. Deterministic: the same IR gives the same text. */
export function emitEvaluator(ir: IrPolicy): string {
  const em = new Emitter(ir.source.file);
  const ruleDefs: JsCode[] = [];
  const ruleFns = ir.rules.map((r) => {
    if (!r.cond) return null;
    const name = em.scope.name("R");
    ruleDefs.push(js`const ${name} = ${em.fn(r.cond, `rule ${JSON.stringify(r.id)}`)};`);
    return name;
  });
  const byTool = rulesByTool(ir);
  const batches = Object.keys(ir.tools)
    .sort()
    .flatMap((tool) => {
      const b = em.batch(ir, byTool.get(tool) ?? [], ruleFns);
      return b ? [js`[${tool}, ${b}]`] : [];
    });
  const constraints = ir.validations.map((v, i) => table(v.constraints.map((c, j) => em.fn(c.expr, `validate ${i}.${j}`))));
  const tags = ir.tagRules.map((t) => (t.cond ? em.fn(t.cond, `tag ${JSON.stringify(t.id)}`) : null));
  const mods = ir.rules.map((r) => table(r.mods.map((m, j) => (m.value ? em.fn(m.value, `modify ${JSON.stringify(r.id)}.${j}`) : null))));
  const header = safeComment(
    `Generated by ${GENERATOR} from ${ir.source.file} (sha256 ${ir.source.sha256}), policy ${JSON.stringify(ir.name)}. Do not edit.`,
  );
  const code = js`// ${header}
export const meta = Object.freeze({ irVersion: ${ir.irVersion}, policy: ${ir.name}, sourceSha256: ${ir.source.sha256} });

export function create(rt) {
  const { and3v, or3v, not3, compare, isTest, callBuiltin, getPath, ctxPath, listOf, compileRegex, EvalError } = rt;
  const hasOwn = Object.prototype.hasOwnProperty;
  const deepFreeze = (v) => { if (v && typeof v === "object") { Object.freeze(v); for (const x of Object.values(v)) deepFreeze(x); } return v; };
  ${joinCode(em.prelude, "\n  ")}
  ${joinCode(ruleDefs, "\n  ")}
  const rules = ${table(ruleFns)};
  const batches = new Map(${table(batches)});
  const constraints = ${table(constraints)};
  const tags = ${table(tags)};
  const mods = ${table(mods)};
  const missing = (what) => new EvalError("compiled evaluator has no " + what, [0, 0]);
  let calls = 0;
  // The batch travels with the rule function (see RuleBatch in runtime/decide/core.ts).
  const rule = (i, env) => { calls++; const f = rules[i]; return f === undefined ? missing("rule " + i) : f === null ? true : f(env); };
  rule.batch = (tool, env, out) => { const f = batches.get(tool); if (f === undefined) return false; calls++; f(env, out); return true; };
  return {
    kind: "compiled",
    get calls() { return calls; },
    rule,
    constraint(v, c, env) { calls++; const f = constraints[v] && constraints[v][c]; return f ? f(env) : missing("constraint " + v + "." + c); },
    tag(i, env) { calls++; const f = tags[i]; return f === undefined ? missing("tag rule " + i) : f === null ? true : f(env); },
    mod(i, m, env) { calls++; const f = mods[i] && mods[i][m]; return f === undefined ? missing("modification " + i + "." + m) : f === null ? null : f(env); },
  };
}
`;
  return code.text;
}
