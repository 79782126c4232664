/**
 * Typing references (`args.x`, `session.labels`, `identity.role`, `context.env`, `PII`, `internal`, ...): what
 * the root denotes, the type of the whole path, and the RefTarget side-table entry the lowering reads
 * (AARM2104–2107). Roots and their types are listed in docs/language.md, "Expressions".
 */
import type { PathSegment, Ref } from "../../language/index.js";
import { names } from "../../language/index.js";
import type { IdentityField, PathKey, RefTarget, SessionField } from "../model.js";
import { T_ERROR, T_INTEGER, T_LABEL, T_LEVEL, T_NUMBER, T_SOURCE, T_STRING, type Type } from "../types.js";
import type { CheckContext, ExprEnv } from "./context.js";
import { pathKeys, reportStep, resolveArgs, walkPath } from "./paths.js";
import { ROOT_NAMES } from "./scope.js";
import { didYouMean, listNames } from "./suggest.js";

const UNIT: Type = { ...T_NUMBER, minimum: 0, maximum: 1 };
const LIST_OF_STRING: Type = { kind: "list", element: T_STRING };

/** The fields of `session`. */
export const SESSION_FIELDS: Readonly<Record<SessionField, Type>> = {
  labels: { kind: "set", element: T_LABEL },
  level: T_LEVEL,
  drift: UNIT,
  actions: { ...T_INTEGER, minimum: 0 },
};

/** The fields of `identity`. */
export const IDENTITY_FIELDS: Readonly<Record<IdentityField, Type>> = {
  human: T_STRING,
  service: T_STRING,
  agent: T_STRING,
  session: T_STRING,
  role: T_STRING,
  scopes: LIST_OF_STRING,
  delegation: LIST_OF_STRING,
};

/** Type a path below a root whose type is known, reporting a bad step. */
function below(cx: CheckContext, prefix: string, t: Type, segs: readonly PathSegment[]): Type {
  if (segs.length === 0) return t;
  const res = walkPath(t, segs);
  if (!res.ok) {
    reportStep(cx, prefix, segs, res);
    return T_ERROR;
  }
  return res.type;
}

/** A root with named fields (session, identity, context). */
function fieldRoot<F extends string>(
  cx: CheckContext,
  ref: Ref,
  fields: ReadonlyMap<string, Type>,
  make: (field: F, path: PathKey[]) => RefTarget,
  help?: string,
): Type {
  const r = cx.reporter;
  const root = ref.root.name;
  const first = ref.segments[0];
  const known = [...fields.keys()];
  if (!first || first.kind !== "FieldSegment") {
    const help = `write ${root}.FIELD; ${root} has: ${listNames(known)}`;
    r.add(names.missingField(r.sourceId, first?.span ?? ref.span, { root }, { help }));
    return T_ERROR;
  }
  const t = fields.get(first.name);
  if (t === undefined) {
    r.add(
      names.unknownField(
        r.sourceId,
        first.span,
        { root, field: first.name, suggestion: didYouMean(first.name, known) },
        {
          help: help ?? `${root} has: ${listNames(known)}`,
        },
      ),
    );
    return T_ERROR;
  }
  const rest = ref.segments.slice(1);
  cx.tables.refs.set(ref, make(first.name as F, pathKeys(rest)));
  return below(cx, `${root}.${first.name}`, t, rest);
}

const asMap = (o: Readonly<Record<string, Type>>): ReadonlyMap<string, Type> => new Map(Object.entries(o));
const SESSION_MAP = asMap(SESSION_FIELDS);
const IDENTITY_MAP = asMap(IDENTITY_FIELDS);

function noSegments(cx: CheckContext, ref: Ref, t: Type, target: RefTarget): Type {
  if (ref.segments.length > 0) {
    const r = cx.reporter;
    const seg = ref.segments[0]!;
    r.add(
      names.invalidPathStep(r.sourceId, seg.span, {
        step: seg.kind === "FieldSegment" ? `field '${seg.name}'` : `index [${String(seg.index)}]`,
        path: ref.root.name,
        type: `a ${t.kind}`,
      }),
    );
    return T_ERROR;
  }
  cx.tables.refs.set(ref, target);
  return t;
}

/** The type of a reference. `expected` steers `request` (a string, or a provenance source) and messages. */
export function inferRef(cx: CheckContext, env: ExprEnv, ref: Ref, expected: Type | undefined): Type {
  const r = cx.reporter;
  const name = ref.root.name;
  const tools = env.tools.map((t) => t.name);
  switch (name) {
    case "args": {
      const t = resolveArgs(cx, env, ref);
      if (t.kind !== "error") cx.tables.refs.set(ref, { kind: "args", path: pathKeys(ref.segments) });
      return t;
    }
    case "tool": {
      const t: Type = env.toolsKnown && tools.length > 0 ? { kind: "string", enum: tools } : T_STRING;
      return noSegments(cx, ref, t, { kind: "tool" });
    }
    case "request":
      if (expected?.kind === "source") return noSegments(cx, ref, T_SOURCE, { kind: "requestSource" });
      return noSegments(cx, ref, T_STRING, { kind: "request" });
    case "drift":
      return noSegments(cx, ref, UNIT, { kind: "drift" });
    case "session":
      return fieldRoot<SessionField>(cx, ref, SESSION_MAP, (field, path) => ({
        kind: "session",
        field,
        path,
      }));
    case "identity":
      return fieldRoot<IdentityField>(cx, ref, IDENTITY_MAP, (field, path) => ({
        kind: "identity",
        field,
        path,
      }));
    case "context": {
      const fields = new Map([...cx.scope.context].map(([k, v]) => [k, v.type] as const));
      const first = ref.segments[0];
      if (first?.kind === "FieldSegment" && fields.has(first.name)) cx.used.add(`context:${first.name}`);
      const help = first?.kind === "FieldSegment" ? `declare it: context ${first.name}: TYPE` : undefined;
      return fieldRoot<string>(cx, ref, fields, (field, path) => ({ kind: "context", field, path }), help);
    }
    case "result": {
      if (env.result === undefined) {
        r.add(names.resultOutsideTagRule(r.sourceId, ref.root.span, {}));
        return T_ERROR;
      }
      const t = below(cx, "result", env.result, ref.segments);
      if (t.kind !== "error") cx.tables.refs.set(ref, { kind: "result", path: pathKeys(ref.segments) });
      return t;
    }
    default:
      return inferName(cx, ref, expected);
  }
}

/** A declared bare name: a constant, label or level. */
function inferName(cx: CheckContext, ref: Ref, expected: Type | undefined): Type {
  const r = cx.reporter;
  const name = ref.root.name;
  const kind = cx.scope.kindOf(name);
  switch (kind) {
    case "constant": {
      cx.used.add(`const:${name}`);
      const c = cx.scope.constants.get(name);
      if (!c) return T_ERROR;
      const t = below(cx, name, c.type, ref.segments);
      if (t.kind !== "error")
        cx.tables.refs.set(ref, { kind: "constant", name, path: pathKeys(ref.segments) });
      return t;
    }
    case "label":
      cx.used.add(`label:${name}`);
      return noSegments(cx, ref, T_LABEL, { kind: "label", name });
    case "level":
      return noSegments(cx, ref, T_LEVEL, { kind: "level", name, rank: cx.scope.levels.indexOf(name) });
    case undefined: {
      const labels = [...cx.scope.labels.keys()];
      const levels = cx.scope.levels;
      const consts = [...cx.scope.constants.keys()];
      const what = expected?.kind === "label" ? "label" : expected?.kind === "level" ? "level" : "name";
      const cands =
        what === "label"
          ? labels
          : what === "level"
            ? levels
            : [...ROOT_NAMES, ...consts, ...labels, ...levels];
      r.add(
        names.unknownName(r.sourceId, ref.root.span, { what, name, suggestion: didYouMean(name, cands) }),
      );
      return T_ERROR;
    }
  }
}
