/**
 * The header and the declarations that are not rules: `default`, `tools from`, `levels`, `labels`, `const`,
 * `context`, `bind`, and context field types.
 */
import type { Doc } from "prettier";
import { builders } from "prettier/doc";
import type { BindDecl, ConstDecl, ContextDecl, ContextField, DefaultDecl, Header, LabelsDecl, LevelsDecl, ToolsDecl, TypeExpr } from "../ast.js";
import { assertNever } from "../ast.js";
import { enclose, itemList } from "./expr.js";
import { argPathText } from "./literals.js";
import type { NodePrinter } from "./printer.js";

const { group, indent, join, line } = builders;

/** The declarations printed here. */
export type PlainDecl =
  | Header
  | DefaultDecl
  | ToolsDecl
  | LevelsDecl
  | LabelsDecl
  | ConstDecl
  | ContextDecl
  | ContextField
  | BindDecl;

/** A declaration without its own comments. */
export function printDecl(p: NodePrinter, d: PlainDecl): Doc {
  switch (d.kind) {
    case "Header":
      return ["policy ", p.print(d.name), d.version ? [" ", p.clause("version", d.version, undefined, false)] : ""];
    case "DefaultDecl":
      return `default ${d.posture}`;
    case "ToolsDecl":
      return ["tools from ", p.print(d.path), d.alias ? [" ", p.clause("as", d.alias, undefined, false)] : ""];
    case "LevelsDecl":
      return ["levels ", itemList(p, d.levels, " <")];
    case "LabelsDecl":
      return ["labels ", itemList(p, d.labels, ",")];
    case "ConstDecl":
      return ["const ", p.print(d.name), " = ", p.print(d.value)];
    case "ContextDecl":
      return ["context ", itemList(p, d.fields, ",")];
    case "ContextField":
      return [p.print(d.name), ": ", p.print(d.type)];
    case "BindDecl":
      return ["bind ", p.print(d.tool), enclose(p, "(", d.arg, ")", argPathText(d.arg)), ` to ${d.target}`];
    default:
      return assertNever(d);
  }
}

/** `bool`, `list<string>`, `"prod" | "staging"`. */
export function printTypeExpr(p: NodePrinter, t: TypeExpr): Doc {
  switch (t.kind) {
    case "NamedType":
      return t.name;
    case "ListType":
      return enclose(p, "list<", t.element, ">");
    case "EnumType":
      return group(indent(join([" |", line], t.values.map((v, i) => p.print(v, { lineStart: i > 0 })))));
    default:
      return assertNever(t);
  }
}
