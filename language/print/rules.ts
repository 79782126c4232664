/**
 * Rules, tag rules and validate blocks. A rule is one group: its head (`@id("x") deny email.send`) and then its
 * clauses (kernel match, `when`, modify block, options, `because`). It prints on one line when it fits in the
 * print width; otherwise every clause goes on its own continuation line, indented one level. Blocks
 * (`{ set args.limit = 100 }`, `{ label PII }`, validate constraints) stay on one line when they fit, else hold
 * one item per line.
 */
import type { Doc } from "prettier";
import { builders } from "prettier/doc";
import type {
  Annotation,
  ApproversOption,
  CapMod,
  Constraint,
  EscalateOption,
  NetMatch,
  PathMatch,
  Quorum,
  RedactMod,
  Rule,
  SetMod,
  TagRule,
  TimeoutOption,
  ValidateDecl,
} from "../ast.js";
import { assertNever } from "../ast.js";
import { bracketList, itemList } from "./expr.js";
import type { NodePrinter } from "./printer.js";

const { group, ifBreak, indent, join, line } = builders;

/** The rule-related nodes printed here. */
export type RulePart =
  | ValidateDecl
  | Constraint
  | Rule
  | TagRule
  | Annotation
  | ApproversOption
  | TimeoutOption
  | EscalateOption
  | SetMod
  | CapMod
  | RedactMod
  | PathMatch
  | NetMatch;

/** Tool lists of rule heads indent two levels, so they stand apart from the clauses (indented one level). */
const TOOL_DEPTH = 2;

function annotations(p: NodePrinter, list: readonly Annotation[]): Doc[] {
  return list.map((a) => [p.print(a), " "]);
}

/** `{ item; item }` or one item per line; `flatSep` separates items on one line, `breakSep` ends broken lines. */
function block(items: readonly Doc[], flatSep: string, breakSep: string, id?: symbol): Doc {
  if (items.length === 0) return "{}";
  const body = ["{", indent([line, join([ifBreak(breakSep, flatSep), line], [...items])]), line, "}"];
  return id ? group(body, { id }) : group(body);
}

/**
 * The head followed by clauses, each on its own continuation line when the whole does not fit. A block sits at
 * the end of the line before it (`when x {`); when the block breaks, the clause after it follows its `}`.
 */
function withClauses(head: Doc, before: readonly Doc[], blockDoc?: { doc: Doc; id: symbol }, after: readonly Doc[] = []): Doc {
  if (!blockDoc) return group([head, ...before.map((c) => indent([line, c]))]);
  const last = before.length - 1;
  const parts: Doc[] = [head, ...before.map((c, i) => indent([line, c, i === last ? [" ", blockDoc.doc] : ""]))];
  if (last < 0) parts.push(" ", blockDoc.doc);
  after.forEach((c, i) => parts.push(indent([i === 0 ? ifBreak(" ", line, { groupId: blockDoc.id }) : line, c])));
  return group(parts);
}

function printRule(p: NodePrinter, r: Rule): Doc {
  const head = [...annotations(p, r.annotations), r.effect, " ", itemList(p, r.tools, ",", TOOL_DEPTH)];
  const before: Doc[] = [];
  if (r.kernel) before.push(p.print(r.kernel, { lineStart: true }));
  if (r.condition) before.push(p.clause("when", r.condition));
  const after: Doc[] = r.options.map((o) => p.print(o, { lineStart: true }));
  if (r.reason) after.push(p.clause("because", r.reason));
  if (r.modifications.length === 0) return withClauses(head, [...before, ...after]);
  const id = Symbol("modify-block");
  const doc = block(r.modifications.map((m) => p.print(m, { lineStart: true })), ";", "", id);
  return withClauses(head, before, { doc, id }, after);
}

function printTagRule(p: NodePrinter, t: TagRule): Doc {
  const head = [...annotations(p, t.annotations), "on result ", itemList(p, t.tools, ",", TOOL_DEPTH)];
  const id = Symbol("label-block");
  const doc = block([itemList(p, t.labels, ",", 1, "label")], "", "", id);
  return withClauses(head, t.condition ? [p.clause("when", t.condition)] : [], { doc, id });
}

function printValidate(p: NodePrinter, v: ValidateDecl): Doc {
  const items = v.constraints.map((c) => p.print(c, { lineStart: true }));
  return ["validate ", itemList(p, v.tools, ",", TOOL_DEPTH), " ", block(items, ",", ",")];
}

function quorumText(q: Quorum): string {
  switch (q.kind) {
    case "any":
    case "all":
      return q.kind;
    case "k":
      return `${String(q.k)} of`;
    default:
      return assertNever(q);
  }
}

function printNetMatch(p: NodePrinter, n: NetMatch): Doc {
  const to = n.addresses.length > 0 ? itemList(p, n.addresses, ",", 1, "to") : "";
  const port = n.ports.length > 0 ? itemList(p, n.ports, ",", 1, "port") : "";
  if (to === "" || port === "") return [to, port];
  return group([to, indent([line, port])]);
}

/** A rule-related node without its own comments. */
export function printRulePart(p: NodePrinter, n: RulePart): Doc {
  switch (n.kind) {
    case "Rule":
      return printRule(p, n);
    case "TagRule":
      return printTagRule(p, n);
    case "ValidateDecl":
      return printValidate(p, n);
    case "Constraint":
      return group([p.print(n.expr), n.reason ? indent([line, p.clause("because", n.reason)]) : ""]);
    case "Annotation":
      return ["@", p.print(n.name), n.value ? ["(", p.print(n.value), ")"] : ""];
    case "ApproversOption":
      return [`approvers ${quorumText(n.quorum)} `, bracketList(p, "[", n.groups, "]")];
    case "TimeoutOption":
      return ["timeout ", p.print(n.duration)];
    case "EscalateOption":
      return ["escalate to ", bracketList(p, "[", n.groups, "]"), " ", p.clause("after", n.after, undefined, false)];
    case "SetMod":
      return ["set ", p.print(n.target), " = ", p.print(n.value)];
    case "CapMod":
      return ["cap ", p.print(n.target), " at ", p.print(n.value)];
    case "RedactMod":
      return ["redact ", p.print(n.target)];
    case "PathMatch":
      return itemList(p, n.values, ",", 1, n.mode);
    case "NetMatch":
      return printNetMatch(p, n);
    default:
      return assertNever(n);
  }
}
