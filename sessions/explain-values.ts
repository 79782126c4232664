/**
 * Values as `aarm explain` shows them: every node of a traced condition (nodes that short-circuiting skipped are
 * evaluated apart, on demand), redacted where the policy redacts the argument they read.
 */
import { evalExpr } from "../runtime/eval/interpret.js";
import type { EvalEnv } from "../runtime/eval/env.js";
import type { Result } from "../runtime/eval/values.js";
import type { IrExpr } from "../runtime/ir/index.js";
import type { PolicyText } from "./conditions.js";
import { readsRedacted } from "./redact.js";
import { showValue } from "./show.js";

/** Values of the nodes of a condition, as the interpreter evaluated it. */
export type NodeValues = Map<IrExpr, Result>;

/** A node's value: as traced, or evaluated apart when short-circuiting skipped it. */
export function valueOf(e: IrExpr, values: NodeValues, env: EvalEnv): Result {
  if (values.has(e)) return values.get(e)!;
  const v = evalExpr(e, env);
  values.set(e, v);
  return v;
}

/** How values and conditions are shown. */
export interface Shown {
  readonly text: PolicyText;
  /** Argument paths the policy redacts for the action's tool. */
  readonly redacted: readonly (readonly (string | number)[])[];
  /** The policy's sensitivity levels, least sensitive first (session.level is shown with its name). */
  readonly levels: readonly string[];
}

/** The value of a node as shown (a non-boolean value that reads a redacted argument is hidden). */
export function shownValue(e: IrExpr, v: Result, shown: Shown): string {
  if (typeof v !== "boolean" && readsRedacted(e, shown.redacted)) return '"[REDACTED]"';
  const level = e.op === "session" && e.field === "level" && typeof v === "number" ? shown.levels[v] : undefined;
  return level === undefined ? showValue(v) : `${showValue(v)} (${level})`;
}

const isConstant = (e: IrExpr): boolean =>
  e.op === "lit" ||
  e.op === "src_request" ||
  e.op === "src_result" ||
  (e.op === "list" && e.items.every(isConstant));

/** The operands of an atomic condition that are not constants, with their values (`request = "..."`). */
export function operandValues(
  e: IrExpr,
  values: NodeValues,
  env: EvalEnv,
  shown: Shown,
): { text: string; value: string }[] {
  const ops =
    e.op === "cmp" ? [e.left, e.right] : e.op === "is" ? [e.arg] : e.op === "call" ? [...e.args] : [];
  return ops
    .filter((o) => !isConstant(o))
    .map((o) => ({ text: shown.text.expr(o), value: shownValue(o, valueOf(o, values, env), shown) }));
}
