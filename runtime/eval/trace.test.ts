/**
 * Tracing: the interpreter reports every node it evaluated, children before parents, and none that
 * short-circuiting skipped; the tracing evaluator reports each condition the decision procedure asked for and
 * decides exactly as the plain interpreter does.
 */
import { describe, expect, it } from "vitest";
import { loadPolicy } from "../api.js";
import { compileTest } from "../decide/test-support/policies.js";
import type { IrExpr } from "../ir/index.js";
import type { EvalEnv } from "./env.js";
import { evalExpr } from "./interpret.js";
import { type ConditionEvent, tracingEvaluator } from "./trace.js";
import { type Result, UNKNOWN } from "./values.js";

const ir = compileTest(`labels PII
context vip: bool
@id("tag") on result read_file { label PII }
validate send_money { args.amount > 0 because "positive" }
@id("big") deny send_money when args.amount > 1000 and context.vip == false because "big"
@id("ok") allow send_money, read_file`).ir;

describe("tracing", () => {
  it("reports evaluated nodes children first, and skips what short-circuiting skipped", () => {
    const cond = ir.rules.find((r) => r.id === "big")!.cond!;
    const seen: [string, Result][] = [];
    const policy = loadPolicy(ir);
    const session = policy.openSession({ identity: {} });
    const env = (amount: number): EvalEnv => ({
      tool: "send_money",
      args: { amount },
      now: 0,
      session: session.state,
      drift: UNKNOWN,
    });
    const op = (e: IrExpr) =>
      e.op === "cmp" ? `cmp ${e.cmp}` : e.op === "context" ? `context.${e.field}` : e.op;
    expect(evalExpr(cond, env(5), (e, v) => seen.push([op(e), v]))).toBe(false);
    expect(seen).toEqual([
      ["arg", 5],
      ["lit", 1000],
      ["cmp >", false],
      ["and", false],
    ]);
    seen.length = 0;
    evalExpr(cond, env(5000), (e, v) => seen.push([op(e), v]));
    expect(seen.map(([o]) => o)).toEqual(["arg", "lit", "cmp >", "context.vip", "lit", "cmp ==", "and"]);
  });

  it("reports each condition the decision procedure evaluated, and decides as the interpreter does", () => {
    const events: Omit<ConditionEvent, "env">[] = [];
    const traced = loadPolicy(ir, {
      evaluator: tracingEvaluator(ir, { condition: ({ env: _e, ...e }) => events.push(e), node: () => {} }),
    });
    const plain = loadPolicy(ir);
    for (const p of [traced, plain]) {
      const s = p.openSession({ identity: {}, context: { vip: false } });
      const read = s.decide({ id: "r", tool: "read_file", args: { path: "/a" }, time: 0 });
      s.record(read.action.id, { output: "x" });
      expect([
        read.effect,
        s.decide({ tool: "send_money", args: { recipient: "CH93", amount: 5000, currency: "EUR" }, time: 1 })
          .effect,
      ]).toEqual(["ALLOW", "DENY"]);
    }
    const big = ir.rules.findIndex((r) => r.id === "big");
    const ok = ir.rules.findIndex((r) => r.id === "ok");
    expect(events).toEqual([
      { kind: "rule", index: ok, value: true },
      { kind: "tag", index: 0, value: true },
      { kind: "constraint", index: 0, constraint: 0, value: true },
      { kind: "rule", index: big, value: true },
    ]);
  });
});
