/**
 * The reference interpreter over IR expressions: simple and obviously right. It is the oracle the generated
 * evaluator is differential-tested against, and it serves hosts that cannot run generated code.
 */
import type { IrExpr } from "../ir/index.js";
import type { EvalEnv } from "./env.js";
import { and3, callBuiltin, compare, getPath, isTest, not3, or3 } from "./ops.js";
import { EvalError, type Result, UNKNOWN } from "./values.js";

function since(env: EvalEnv, windowMs: number | null): number {
  return windowMs === null ? -Infinity : env.now - windowMs;
}

/**
 * Called with every node the interpreter evaluated and the value it gave, children before parents; nodes that
 * short-circuiting skipped are not reported. Used by `aarm test --coverage` and `aarm explain`: the compiled
 * evaluator never traces, so tracing costs nothing on the deployed path.
 */
export type Trace = (e: IrExpr, value: Result) => void;

/** Evaluate an IR expression. Never throws for well-formed IR: problems are EvalError values. */
export function evalExpr(e: IrExpr, env: EvalEnv, trace?: Trace): Result {
  if (trace === undefined) return evalNode(e, env, evalExpr);
  const v = evalNode(e, env, (x, en) => evalExpr(x, en, trace));
  trace(e, v);
  return v;
}

function evalNode(e: IrExpr, env: EvalEnv, evalExpr: (e: IrExpr, env: EvalEnv) => Result): Result {
  switch (e.op) {
    case "lit":
      return e.value as Result;
    case "list": {
      const out: unknown[] = [];
      for (const item of e.items) {
        const v = evalExpr(item, env);
        if (v === UNKNOWN || v instanceof EvalError) return v;
        out.push(v);
      }
      return out as Result;
    }
    case "arg":
      return getPath(env.args, e.path) as Result;
    case "tool":
      return env.tool;
    case "request":
      return env.session.request;
    case "session": {
      const s = env.session;
      if (e.field === "labels") return s.labels;
      if (e.field === "level") return s.level;
      if (e.field === "drift") return s.drift;
      return s.actions;
    }
    case "identity": {
      const v = env.session.identity(e.field);
      return v as Result;
    }
    case "context": {
      const v = env.session.context(e.field);
      if (v === UNKNOWN) return UNKNOWN;
      return getPath(v, e.path) as Result;
    }
    case "drift":
      return env.drift;
    case "result":
      return getPath(env.result ?? null, e.path) as Result;
    case "and":
      return and3(evalExpr(e.left, env), () => evalExpr(e.right, env), e.at);
    case "or":
      return or3(evalExpr(e.left, env), () => evalExpr(e.right, env), e.at);
    case "not":
      return not3(evalExpr(e.arg, env), e.at);
    case "cmp":
      return compare(e.cmp, e.quant, evalExpr(e.left, env), evalExpr(e.right, env), e.at);
    case "is":
      return isTest(e.test, evalExpr(e.arg, env));
    case "call":
      return callBuiltin(e.fn, e.args.map((a) => evalExpr(a, env)), e.at);
    case "provenance":
      return env.session.provenance(getPath(env.args, e.path));
    case "src_request":
      return new Set(["request"]);
    case "src_result":
      return new Set(e.tools.map((t) => `tool:${t}`));
    case "seen":
      return env.session.seen(e.tools, since(env, e.windowMs));
    case "count":
      return env.session.count(e.tools, since(env, e.windowMs));
    case "sequence":
      return env.session.sequence(e.steps, since(env, e.windowMs));
  }
}
