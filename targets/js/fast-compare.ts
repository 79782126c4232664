/**
 * Inline tests for comparisons with a constant right side, in the case that makes up nearly every evaluation: a
 * left value of the expected type (a number against a number, a string against a string or a regex, a set of
 * labels or provenance sources against a name). The emitted code is `test ? value : compare(...)`, so anything
 * else — null, unknown, an error, another type — still goes through the runtime's generic `compare` and keeps the
 * semantics of runtime/eval/ops.ts (the differential tests hold the two to the same results).
 */
import type { IrExpr } from "../../runtime/ir/index.js";
import { type JsCode, type JsName, joinCode, js, jsonLiteral } from "./code.js";

type Cmp = Extract<IrExpr, { op: "cmp" }>;

/** How the emitter hoists a constant (deduplicated by key). */
export type Hoist = (key: string, make: () => JsCode) => JsName;

/** A fast path: when `test` holds, the comparison's value is `value`. */
export interface FastPath {
  readonly test: JsCode;
  readonly value: JsCode;
}

const ORDER: Readonly<Record<string, JsCode>> = { "<": js`<`, "<=": js`<=`, ">": js`>`, ">=": js`>=` };
const STRING_OPS: Readonly<Record<string, JsCode>> = {
  contains: js`includes`,
  startsWith: js`startsWith`,
  endsWith: js`endsWith`,
};

/** The source names a `request` / `result(T)` operand denotes in a provenance set. */
function sourceNames(r: IrExpr): readonly string[] | null {
  if (r.op === "src_request") return ["request"];
  if (r.op === "src_result") return r.tools.map((t) => `tool:${t}`);
  return null;
}

/** The fast path of a comparison whose left value is in `t` and whose right side is `right` (emitted), or null. */
export function fastCompare(e: Cmp, t: JsName, right: JsCode, hoist: Hoist): FastPath | null {
  if (e.quant !== null) return null;
  const r = e.right;
  const lit = r.op === "lit" ? r.value : undefined;
  switch (e.cmp) {
    case "<":
    case "<=":
    case ">":
    case ">=":
      return typeof lit === "number"
        ? { test: js`typeof ${t} === "number"`, value: js`${t} ${ORDER[e.cmp]!} ${lit}` }
        : null;
    case "==":
    case "!=":
      if (typeof lit !== "string" && typeof lit !== "number" && typeof lit !== "boolean") return null;
      return {
        test: js`typeof ${t} === ${typeof lit}`,
        value: e.cmp === "==" ? js`${t} === ${lit}` : js`${t} !== ${lit}`,
      };
    case "contains":
    case "startsWith":
    case "endsWith":
      return typeof lit === "string"
        ? { test: js`typeof ${t} === "string"`, value: js`${t}.${STRING_OPS[e.cmp]!}(${lit})` }
        : null;
    case "matches":
      return lit !== null && typeof lit === "object" && !Array.isArray(lit)
        ? { test: js`typeof ${t} === "string"`, value: js`${right}.test(${t})` }
        : null;
    case "in":
    case "not in": {
      if (!Array.isArray(lit) || !lit.every((x) => typeof x === "string")) return null;
      const set = hoist(`strset:${JSON.stringify(lit)}`, () => js`new Set(${jsonLiteral(lit)})`);
      return {
        test: js`typeof ${t} === "string"`,
        value: e.cmp === "in" ? js`${set}.has(${t})` : js`!${set}.has(${t})`,
      };
    }
    case "has":
    case "excludes": {
      const names = typeof lit === "string" ? [lit] : sourceNames(r);
      if (names === null) return null;
      const any = joinCode(
        names.map((n) => js`${t}.has(${n})`),
        " || ",
      );
      return { test: js`${t} instanceof Set`, value: e.cmp === "has" ? js`(${any})` : js`!(${any})` };
    }
    default:
      return null;
  }
}
