/**
 * Declarations → Scope: the header, the default posture, levels, labels, constants and context fields, with the
 * checks that need nothing else (AARM2001–2007). Constants, labels and levels share one namespace (all are bare
 * names in conditions); context fields have their own (always written `context.NAME`).
 */
import type {
  ConstDecl,
  ContextField,
  Decl,
  DefaultDecl,
  Header,
  Identifier,
  Policy,
  Span,
  TypeExpr,
} from "../../language/index.js";
import { assertNever, names } from "../../language/index.js";
import type { ConstValue } from "../model.js";
import { T_BOOLEAN, T_DURATION, T_NUMBER, T_STRING, type Type } from "../types.js";
import { checkConstant } from "./constants.js";
import type { Reporter } from "./context.js";

/** The levels that apply when a policy declares none. */
export const DEFAULT_LEVELS: readonly string[] = ["PUBLIC", "INTERNAL", "CONFIDENTIAL", "RESTRICTED"];

/** Names that are roots of conditions and cannot be declared. */
export const ROOT_NAMES: readonly string[] = [
  "args",
  "tool",
  "request",
  "session",
  "identity",
  "context",
  "drift",
  "result",
];

/** A declared constant. */
export interface ConstantSymbol {
  readonly decl: ConstDecl;
  readonly type: Type;
  /** Undefined when the declaration is invalid (already reported). */
  readonly value: ConstValue | undefined;
}

/** A declared context field. */
export interface ContextSymbol {
  readonly field: ContextField;
  readonly type: Type;
}

/** What a bare name can denote. */
export type BareKind = "constant" | "label" | "level";

/** Every declaration of the policy, by kind. */
export interface Scope {
  readonly header: Header | undefined;
  readonly defaultDecl: DefaultDecl | undefined;
  /** Ascending sensitivity. */
  readonly levels: readonly string[];
  readonly levelsDeclared: boolean;
  readonly labels: ReadonlyMap<string, Identifier>;
  readonly constants: ReadonlyMap<string, ConstantSymbol>;
  readonly context: ReadonlyMap<string, ContextSymbol>;
  /** What a bare name denotes, if declared. */
  kindOf(name: string): BareKind | undefined;
}

/** The Type a context declaration names. */
export function contextType(t: TypeExpr): Type {
  switch (t.kind) {
    case "NamedType":
      return t.name === "bool"
        ? T_BOOLEAN
        : t.name === "number"
          ? T_NUMBER
          : t.name === "duration"
            ? T_DURATION
            : T_STRING;
    case "ListType":
      return { kind: "list", element: contextType(t.element) };
    case "EnumType":
      return { kind: "string", enum: t.values.map((v) => v.value) };
    default:
      return assertNever(t);
  }
}

/** Collect and check the declarations of a policy. */
export function buildScope(ast: Policy, r: Reporter, reportMissingDefault: boolean): Scope {
  const bare = new Map<string, { kind: BareKind; span: Span | undefined }>();
  const labels = new Map<string, Identifier>();
  const constants = new Map<string, ConstantSymbol>();
  const context = new Map<string, ContextSymbol>();
  let defaultDecl: DefaultDecl | undefined;
  let levelsDecl: Decl | undefined;
  let levels: string[] = [];

  const declare = (id: Identifier, kind: BareKind): boolean => {
    if (ROOT_NAMES.includes(id.name)) {
      r.add(names.builtinNameRedeclared(r.sourceId, id.span, { name: id.name, kind }));
      return false;
    }
    const prev = bare.get(id.name);
    if (prev) {
      const related = prev.span ? [r.related(prev.span, `'${id.name}' is declared here`)] : [];
      const isClash =
        (prev.kind === "label" && kind === "level") || (prev.kind === "level" && kind === "label");
      const help = prev.span
        ? undefined
        : `without a \`levels\` declaration the levels are ${DEFAULT_LEVELS.join(" < ")}`;
      const extra = { related, ...(help ? { help } : {}) };
      if (isClash) r.add(names.labelIsLevel(r.sourceId, id.span, { name: id.name }, extra));
      else r.add(names.duplicateName(r.sourceId, id.span, { name: id.name, kind: prev.kind }, extra));
      return false;
    }
    bare.set(id.name, { kind, span: id.span });
    return true;
  };

  // Levels first, so that a label clashing with a default level is reported at the label.
  for (const d of ast.decls) {
    if (d.kind !== "LevelsDecl") continue;
    if (levelsDecl) {
      r.add(
        names.duplicateDeclaration(
          r.sourceId,
          d.span,
          { what: "levels" },
          {
            related: [r.related(levelsDecl.span, "first declared here")],
          },
        ),
      );
      continue;
    }
    levelsDecl = d;
    for (const id of d.levels) if (declare(id, "level")) levels.push(id.name);
  }
  if (!levelsDecl) {
    levels = [...DEFAULT_LEVELS];
    for (const l of DEFAULT_LEVELS) bare.set(l, { kind: "level", span: undefined });
  }

  for (const d of ast.decls) {
    switch (d.kind) {
      case "DefaultDecl":
        if (defaultDecl) {
          r.add(
            names.duplicateDeclaration(
              r.sourceId,
              d.span,
              { what: "default" },
              {
                related: [r.related(defaultDecl.span, "first declared here")],
              },
            ),
          );
        } else defaultDecl = d;
        break;
      case "LabelsDecl":
        for (const id of d.labels) if (declare(id, "label")) labels.set(id.name, id);
        break;
      case "ConstDecl": {
        const checked = checkConstant(d, r);
        if (declare(d.name, "constant")) constants.set(d.name.name, { decl: d, ...checked });
        break;
      }
      case "ContextDecl":
        for (const f of d.fields) {
          const prev = context.get(f.name.name);
          if (prev) {
            r.add(
              names.duplicateName(
                r.sourceId,
                f.name.span,
                { name: f.name.name, kind: "context field" },
                {
                  related: [r.related(prev.field.name.span, "first declared here")],
                },
              ),
            );
          } else context.set(f.name.name, { field: f, type: contextType(f.type) });
        }
        break;
      default:
        break;
    }
  }

  if (!defaultDecl && reportMissingDefault) {
    const at = ast.header?.span ?? { start: 0, end: 0 };
    r.add(names.missingDefault(r.sourceId, at, {}));
  }

  return {
    header: ast.header,
    defaultDecl,
    levels,
    levelsDeclared: levelsDecl !== undefined,
    labels,
    constants,
    context,
    kindOf: (name) => bare.get(name)?.kind,
  };
}
