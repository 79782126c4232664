/**
 * Modify blocks (AARM2430–2438): only on modify rules, never empty there; targets are `args.*` paths that exist
 * in every tool of the rule, each modified once; the modified call must still satisfy every tool's schema.
 */
import type { Modification, Rule } from "../../language/index.js";
import { assertNever, names } from "../../language/index.js";
import type { CheckedModification } from "../model.js";
import type { Type } from "../types.js";
import { constValueOf, showValue } from "./const-value.js";
import { violation } from "./impossible.js";
import type { Infer } from "./infer.js";
import { pathKeys, pathText, walkPath } from "./paths.js";
import { comparable, isNumber, isString, members, withArticle } from "./type-ops.js";

/** The redaction marker `redact` writes. */
export const REDACTED = "[REDACTED]";

/** Check a rule's modifications. */
export function checkModifications(infer: Infer, rule: Rule): CheckedModification[] {
  const r = infer.cx.reporter;
  const mods = rule.modifications;
  if (rule.effect !== "modify") {
    if (mods.length > 0) {
      const span = { start: mods[0]!.span.start, end: mods[mods.length - 1]!.span.end };
      r.add(names.modificationsNotAllowed(r.sourceId, span, { effect: rule.effect }));
    }
    return [];
  }
  if (mods.length === 0) r.add(names.missingModifications(r.sourceId, rule.effectSpan, {}));
  const seen = new Map<string, Modification>();
  const out: CheckedModification[] = [];
  for (const m of mods) {
    const t = m.target;
    if (t.root.name !== "args" || t.segments.length === 0) {
      r.add(names.invalidModificationTarget(r.sourceId, t.span, { found: `'${r.text(t.span)}'` }));
      if (m.kind !== "RedactMod") infer(m.value);
      continue;
    }
    const key = pathText(t.segments);
    const prev = seen.get(key);
    if (prev) {
      r.add(
        names.duplicateModification(
          r.sourceId,
          t.span,
          { target: `args.${key}` },
          {
            related: [r.related(prev.span, "first modified here")],
          },
        ),
      );
    } else seen.set(key, m);
    const merged = infer(t);
    if (merged.kind === "error") {
      if (m.kind !== "RedactMod") infer(m.value);
      continue;
    }
    const perTool = infer.env.tools
      .map((tool) => walkPath(tool.input, t.segments))
      .flatMap((res) => (res.ok ? [res.type] : []));
    checkOne(infer, m, `args.${key}`, merged, perTool);
    out.push({
      kind: m.kind === "SetMod" ? "set" : m.kind === "CapMod" ? "cap" : "redact",
      target: pathKeys(t.segments),
      value: m.kind === "RedactMod" ? undefined : m.value,
      constValue: m.kind === "RedactMod" ? undefined : constValueOf(m.value, infer.cx.scope),
      span: m.span,
    });
  }
  return out;
}

function checkOne(
  infer: Infer,
  m: Modification,
  target: string,
  merged: Type,
  perTool: readonly Type[],
): void {
  const r = infer.cx.reporter;
  switch (m.kind) {
    case "SetMod": {
      const vt = infer(m.value, merged);
      if (vt.kind === "error") return;
      const value = r.text(m.value.span);
      if (!comparable(merged, vt) || !perTool.every((t) => comparable(t, vt))) {
        const bad = perTool.find((t) => !comparable(t, vt)) ?? merged;
        const reason = `${target} is ${withArticle(bad)}, the value is ${withArticle(vt)}`;
        r.add(names.setValueMismatch(r.sourceId, m.value.span, { target, value, reason }));
        return;
      }
      const cv = constValueOf(m.value, infer.cx.scope);
      if (cv === undefined) return;
      for (const t of perTool) {
        const why = violation(t, cv, target);
        if (why === undefined) continue;
        r.add(
          names.setValueMismatch(r.sourceId, m.value.span, { target, value: showValue(cv), reason: why }),
        );
        return;
      }
      return;
    }
    case "CapMod": {
      const vt = infer(m.value);
      if (!isNumber(merged)) {
        r.add(
          names.capNeedsNumber(r.sourceId, m.target.span, { reason: `${target} is ${withArticle(merged)}` }),
        );
        return;
      }
      if (vt.kind === "error") return;
      if (!isNumber(vt)) {
        r.add(names.capNeedsNumber(r.sourceId, m.value.span, { reason: `the value is ${withArticle(vt)}` }));
        return;
      }
      const cv = constValueOf(m.value, infer.cx.scope);
      if (typeof cv !== "number") return;
      const maxima = perTool
        .flatMap((t) => members(t))
        .map((t) => (t.kind === "number" ? t.maximum : undefined));
      const max = maxima.every((x) => x !== undefined) && maxima.length > 0 ? Math.max(...maxima) : undefined;
      if (max !== undefined && cv >= max) {
        r.add(names.capNoEffect(r.sourceId, m.value.span, { value: cv, target, maximum: max }));
        return;
      }
      for (const t of perTool) {
        const why = violation(t, cv, target);
        if (why === undefined) continue;
        r.add(names.setValueMismatch(r.sourceId, m.value.span, { target, value: String(cv), reason: why }));
        return;
      }
      return;
    }
    case "RedactMod": {
      if (!isString(merged)) {
        r.add(names.redactNeedsString(r.sourceId, m.target.span, { target, type: withArticle(merged) }));
        return;
      }
      for (const t of perTool) {
        const why = violation(t, REDACTED, target);
        if (why === undefined) continue;
        r.add(names.redactViolatesSchema(r.sourceId, m.span, { target, reason: why }));
        return;
      }
      return;
    }
    default:
      assertNever(m);
  }
}
