/**
 * Field and index steps through types (`args.user.name`, `args.items[0]`, `context.tags[1]`), and argument
 * references resolved against every tool a rule covers (AARM2102–2104).
 *
 * Steps: a field of an object is its property (optional unless required), or any key of a map
 * (`additionalProperties: SCHEMA`, optional, typed by the schema). When additional properties are open but
 * untyped (JSON Schema's default), `.name` must still be a declared property: most MCP schemas leave
 * `additionalProperties` unset, and typo detection matters more than undeclared extras, which can be read with
 * the bracket form `args["name"]` (typed `any`). An object that declares no properties accepts any field;
 * an index into a list is its element (optional: the list may be shorter). Through a union, the step is taken in
 * every object (or list) member and must succeed in all of them; `null` and other scalar members only make the
 * result optional (at run time the field is then absent). Through `any` everything is `any`.
 */
import type { PathSegment, Ref } from "../../language/index.js";
import { names } from "../../language/index.js";
import type { PathKey } from "../model.js";
import { T_ANY, T_ERROR, union, type ObjectType, type Type } from "../types.js";
import type { CheckContext, ExprEnv } from "./context.js";
import { didYouMean, listNames } from "./suggest.js";
import { isLoose, members, mergeTypes, withArticle } from "./type-ops.js";

/** One step's type, or why it cannot be taken (`noField`: an undeclared property; else a wrong kind of step). */
export type StepResult =
  | { readonly ok: true; readonly type: Type; readonly optional: boolean }
  | {
      readonly ok: false;
      readonly noField: boolean;
      readonly candidates: readonly string[];
      readonly on: Type;
    };

function key(seg: PathSegment): PathKey {
  return seg.kind === "FieldSegment" ? seg.name : seg.index;
}

/** The keys of a path. */
export function pathKeys(segs: readonly PathSegment[]): PathKey[] {
  return segs.map(key);
}

/** `user.name`, `items[0]`, `meta["x-y"]`. */
export function pathText(segs: readonly PathSegment[]): string {
  let out = "";
  for (const s of segs) {
    if (s.kind === "FieldSegment") out += out === "" ? s.name : `.${s.name}`;
    else out += typeof s.index === "number" ? `[${s.index}]` : `[${JSON.stringify(s.index)}]`;
  }
  return out;
}

function fieldOf(t: ObjectType, name: string, bracket: boolean): StepResult {
  const p = t.properties.get(name);
  if (p) return { ok: true, type: p.type, optional: !p.required };
  const undeclared = t.additional === false || (t.additional === true && !bracket && t.properties.size > 0);
  if (undeclared) return { ok: false, noField: true, candidates: [...t.properties.keys()], on: t };
  return { ok: true, type: t.additional === true ? T_ANY : t.additional, optional: true };
}

/** One step from a value of type `t`. */
export function step(t: Type, seg: PathSegment): StepResult {
  if (isLoose(t)) return { ok: true, type: t, optional: true };
  const k = key(seg);
  if (t.kind === "object") {
    if (typeof k === "number") return { ok: false, noField: false, candidates: [], on: t };
    return fieldOf(t, k, seg.kind === "IndexSegment");
  }
  if (t.kind === "list") {
    if (typeof k === "number") return { ok: true, type: t.element, optional: true };
    return { ok: false, noField: false, candidates: [], on: t };
  }
  if (t.kind === "union") {
    const containers = members(t).filter((m) => m.kind === "object" || m.kind === "list" || isLoose(m));
    if (containers.length === 0) return { ok: false, noField: false, candidates: [], on: t };
    const results: Type[] = [];
    let optional = containers.length < t.members.length;
    for (const m of containers) {
      const r = step(m, seg);
      if (!r.ok) return r;
      results.push(r.type);
      optional ||= r.optional;
    }
    return { ok: true, type: union(results), optional };
  }
  return { ok: false, noField: false, candidates: [], on: t };
}

/** A whole path's type, or the first step that failed. */
export type PathResult =
  | { readonly ok: true; readonly type: Type; readonly optional: boolean }
  | { readonly ok: false; readonly index: number; readonly fail: Extract<StepResult, { ok: false }> };

/** Walk a whole path. */
export function walkPath(t: Type, segs: readonly PathSegment[]): PathResult {
  let cur = t;
  let optional = false;
  for (let i = 0; i < segs.length; i++) {
    const r = step(cur, segs[i]!);
    if (!r.ok) return { ok: false, index: i, fail: r };
    cur = r.type;
    optional ||= r.optional;
  }
  return { ok: true, type: cur, optional };
}

function stepName(seg: PathSegment): string {
  return seg.kind === "FieldSegment" || typeof seg.index === "string"
    ? `field '${seg.kind === "FieldSegment" ? seg.name : seg.index}'`
    : `index [${seg.index}]`;
}

/** Report a failed step of `prefix.path` (a non-argument path: context, constants, result, session). */
export function reportStep(
  cx: CheckContext,
  prefix: string,
  segs: readonly PathSegment[],
  res: Extract<PathResult, { ok: false }>,
): void {
  const r = cx.reporter;
  const seg = segs[res.index]!;
  const before = pathText(segs.slice(0, res.index));
  const path = before === "" ? prefix : `${prefix}.${before}`;
  r.add(
    names.invalidPathStep(r.sourceId, seg.span, {
      step: stepName(seg),
      path,
      type: withArticle(res.fail.on),
    }),
  );
}

/**
 * The type of `args.PATH` in the tools of `env`, merged over the tools. Records presence information for
 * `is present`. Reports and returns `error` when the path is not valid in every tool.
 */
export function resolveArgs(cx: CheckContext, env: ExprEnv, ref: Ref): Type {
  const segs = ref.segments;
  if (!env.toolsKnown) return T_ANY;
  const r = cx.reporter;
  const types: Type[] = [];
  let optional = false;
  let requiredIn: string | undefined;
  const failures: { tool: string; res: Extract<PathResult, { ok: false }> }[] = [];
  for (const tool of env.tools) {
    const res = walkPath(tool.input, segs);
    if (!res.ok) {
      failures.push({ tool: tool.name, res });
      continue;
    }
    types.push(res.type);
    if (res.optional) optional = true;
    else requiredIn ??= tool.name;
  }
  const f = failures[0];
  if (f) {
    const seg = segs[f.res.index]!;
    const path = pathText(segs.slice(0, f.res.index + 1));
    if (failures.length < env.tools.length) {
      r.add(names.argumentNotInEveryTool(r.sourceId, seg.span, { path, tool: f.tool, where: env.where }));
    } else if (f.res.fail.noField) {
      const name = seg.kind === "FieldSegment" ? seg.name : String(seg.index);
      const cands = f.res.fail.candidates;
      const known = listNames([...cands].sort());
      r.add(
        names.unknownArgument(
          r.sourceId,
          seg.span,
          { path, tool: f.tool, suggestion: didYouMean(name, cands) },
          {
            help:
              f.res.index === 0 ? `the arguments of '${f.tool}' are: ${known}` : `its fields are: ${known}`,
          },
        ),
      );
    } else {
      const before = pathText(segs.slice(0, f.res.index));
      r.add(
        names.invalidPathStep(r.sourceId, seg.span, {
          step: stepName(seg),
          path: before === "" ? "args" : `args.${before}`,
          type: withArticle(f.res.fail.on),
        }),
      );
    }
    return T_ERROR;
  }
  cx.tables.presence.set(ref, { optional, requiredIn });
  return mergeTypes(types);
}
