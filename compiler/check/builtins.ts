/**
 * The builtin functions and their types (AARM2108–2111). There are no user functions.
 *
 *   domain(string) → string      email domain or URL host, lowercased
 *   host(string) → string        URL host, lowercased
 *   lower(string) → string, upper(string) → string
 *   len(string | list) → integer
 *   provenance(args.PATH) → set<source>
 *
 * The four string functions also accept a list of strings and return a list (applied to each element), so that
 * `any domain(args.to) not in internal` reads naturally.
 */
import type { CallExpr } from "../../language/index.js";
import { names } from "../../language/index.js";
import type { BuiltinName } from "../model.js";
import { T_ERROR, T_INTEGER, T_SOURCE, T_STRING, type Type } from "../types.js";
import type { CheckContext } from "./context.js";
import { didYouMean } from "./suggest.js";
import { isCollection, isLoose, isString, stripNull, withArticle } from "./type-ops.js";

/** Every builtin name. */
export const BUILTINS: readonly BuiltinName[] = ["domain", "host", "lower", "upper", "len", "provenance"];

const STRING_FUNCTIONS: readonly BuiltinName[] = ["domain", "host", "lower", "upper"];

/** Pure builtins: computed from their argument alone. (provenance reads the session.) */
export const PURE_BUILTINS: readonly BuiltinName[] = ["domain", "host", "lower", "upper", "len"];

function isBuiltin(n: string): n is BuiltinName {
  return (BUILTINS as readonly string[]).includes(n);
}

const LIST_OF_STRING: Type = { kind: "list", element: T_STRING };

/** Type a builtin call. `inferArg` types an argument expression. */
export function inferCall(
  cx: CheckContext,
  call: CallExpr,
  inferArg: (e: CallExpr["args"][number]) => Type,
): Type {
  const r = cx.reporter;
  const name = call.callee.name;
  if (!isBuiltin(name)) {
    for (const a of call.args) inferArg(a);
    r.add(
      names.unknownFunction(r.sourceId, call.callee.span, { name, suggestion: didYouMean(name, BUILTINS) }),
    );
    return T_ERROR;
  }
  cx.tables.calls.set(call, name);
  if (call.args.length !== 1) {
    for (const a of call.args) inferArg(a);
    r.add(
      names.wrongArgumentCount(r.sourceId, call.span, {
        name,
        expected: "one argument",
        found: `${call.args.length} arguments`,
      }),
    );
    return T_ERROR;
  }
  const arg = call.args[0]!;
  if (name === "provenance") {
    const inner = arg.kind === "ParenExpr" ? arg.expr : arg;
    if (inner.kind !== "Ref" || inner.root.name !== "args" || inner.segments.length === 0) {
      inferArg(arg);
      r.add(names.provenanceNeedsArgument(r.sourceId, arg.span, { found: `'${r.text(arg.span)}'` }));
      return T_ERROR;
    }
    const t = inferArg(arg);
    return t.kind === "error" ? T_ERROR : { kind: "set", element: T_SOURCE };
  }
  const t = inferArg(arg);
  if (isLoose(stripNull(t))) return name === "len" ? T_INTEGER : t.kind === "error" ? T_ERROR : T_STRING;
  if (name === "len") {
    if (isString(t) || isCollection(t)) return { ...T_INTEGER, minimum: 0 };
    r.add(
      names.invalidBuiltinArgument(r.sourceId, arg.span, {
        name,
        expected: "a string or a list",
        found: withArticle(t),
      }),
    );
    return T_ERROR;
  }
  if (STRING_FUNCTIONS.includes(name)) {
    // domain, host and lower never lengthen a string: keep maxLength for the cost bound.
    if (t.kind === "string" && t.maxLength !== undefined && name !== "upper")
      return { kind: "string", maxLength: t.maxLength };
    if (isString(t)) return T_STRING;
    if (t.kind === "list" && isString(t.element)) return { ...LIST_OF_STRING, ...listBounds(t) };
    r.add(
      names.invalidBuiltinArgument(r.sourceId, arg.span, {
        name,
        expected: "a string or a list of strings",
        found: withArticle(t),
      }),
    );
    return T_ERROR;
  }
  return T_ERROR;
}

function listBounds(t: Type): { maxItems?: number } {
  return t.kind === "list" && t.maxItems !== undefined ? { maxItems: t.maxItems } : {};
}
