/**
 * Where the printer can break a line right after a child node. A `//` comment trailing a node is printed at the
 * end of the line the node ends on (Prettier's `lineSuffix`), so it must be attached to a node that the printer
 * may follow with a line break; otherwise it would drift to a later line end, and formatting the result again
 * would attach it elsewhere. The attacher walks up from the comment's node to the first one for which this
 * returns true (or to the top-level item, which always ends a line). Must agree with the layout in expr.ts,
 * decls.ts and rules.ts.
 */
import type { Node, Rule } from "../ast.js";
import { assertNever } from "../ast.js";

function has(list: readonly Node[], child: Node): boolean {
  return list.includes(child);
}

function notLast(list: readonly Node[], child: Node): boolean {
  const i = list.indexOf(child);
  return i >= 0 && i < list.length - 1;
}

/** After a clause of a rule: a line break precedes the next clause, except before a modify block (` {`). */
function ruleBreakAfter(r: Rule, child: Node): boolean {
  if (has(r.modifications, child)) return true;
  if (notLast(r.tools, child) || notLast(r.options, child)) return true;
  const optionsOrReason = r.options.length > 0 || r.reason !== undefined;
  if (child === r.tools[r.tools.length - 1]) {
    return r.kernel !== undefined || r.condition !== undefined || (r.modifications.length === 0 && optionsOrReason);
  }
  if (child === r.kernel) return r.condition !== undefined || (r.modifications.length === 0 && optionsOrReason);
  if (child === r.condition) return r.modifications.length === 0 && optionsOrReason;
  if (child === r.options[r.options.length - 1]) return r.reason !== undefined;
  return false;
}

/** True if the printer may put a line break right after `child` (a child of `parent`). */
export function breakAfter(parent: Node, child: Node): boolean {
  switch (parent.kind) {
    case "Rule":
      return ruleBreakAfter(parent, child);
    case "TagRule":
      return notLast(parent.tools, child) || (child === parent.tools.at(-1) && parent.condition !== undefined) ||
        has(parent.labels, child);
    case "ValidateDecl":
      return notLast(parent.tools, child) || has(parent.constraints, child);
    case "Constraint":
      return child === parent.expr && parent.reason !== undefined;
    case "LevelsDecl":
      return notLast(parent.levels, child);
    case "LabelsDecl":
      return notLast(parent.labels, child);
    case "ContextDecl":
      return notLast(parent.fields, child);
    case "EnumType":
      return notLast(parent.values, child);
    case "PathMatch":
      return notLast(parent.values, child);
    case "NetMatch":
      return notLast(parent.addresses, child) || notLast(parent.ports, child) ||
        (child === parent.addresses.at(-1) && parent.ports.length > 0);
    case "LogicalExpr":
      return child === parent.left;
    case "CallExpr":
      return child !== parent.callee;
    case "BindDecl":
      return child === parent.arg;
    // Bracketed lists and enclosed nodes: a line break can come before the closing bracket.
    case "ListLit":
    case "SeenExpr":
    case "CountExpr":
    case "SequenceExpr":
    case "ResultSourceExpr":
    case "ParenExpr":
    case "ListType":
    case "ApproversOption":
      return true;
    case "EscalateOption":
      return child !== parent.after;
    // Children followed by more text on the same line, or by the end of the parent.
    case "Policy":
    case "Header":
    case "DefaultDecl":
    case "ToolsDecl":
    case "ConstDecl":
    case "ContextField":
    case "NamedType":
    case "Annotation":
    case "TimeoutOption":
    case "SetMod":
    case "CapMod":
    case "RedactMod":
    case "NotExpr":
    case "CompareExpr":
    case "IsExpr":
    case "Ref":
    case "StringLit":
    case "NumberLit":
    case "BoolLit":
    case "NullLit":
    case "DurationLit":
    case "RegexLit":
    case "ErrorExpr":
    case "Identifier":
    case "AddressLit":
    case "FieldSegment":
    case "IndexSegment":
    case "ToolPattern":
    case "PortRange":
    case "Comment":
      return false;
    default:
      return assertNever(parent);
  }
}
