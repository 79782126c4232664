/**
 * Which receipts an exporter sends (AARM R8, "configurable filtering by action type, decision (including DEFER),
 * identity"). Every list is an "any of"; the lists combine with "and"; an absent or empty list does not filter.
 * Tools match exactly or by prefix pattern (`email.*`, or `*` for all). A receipt's decision is its effective
 * result, so a DEFER's follow-up receipt matches the decision it resolved to (DENY on timeout).
 */
import type { DecisionEffect } from "../decide/decision.js";
import type { ReceiptKind } from "../receipts/draft.js";
import type { Receipt } from "../receipts/schema.js";

export interface TelemetryFilter {
  /** Receipt kinds: decision, approval, deferral, outcome, credential, kernel. */
  readonly kinds?: readonly ReceiptKind[];
  /** Action type: tool names or `prefix.*` patterns. */
  readonly tools?: readonly string[];
  readonly decisions?: readonly DecisionEffect[];
  /** Identity: any of these humans, services, agents or roles (one list per attribute; they combine with "or"). */
  readonly identities?: {
    readonly human?: readonly string[];
    readonly service?: readonly string[];
    readonly agent?: readonly string[];
    readonly role?: readonly string[];
  };
  readonly sessions?: readonly string[];
}

const KINDS: readonly ReceiptKind[] = ["decision", "approval", "deferral", "outcome", "credential", "kernel"];
const EFFECTS: readonly DecisionEffect[] = ["ALLOW", "DENY", "MODIFY", "STEP_UP", "DEFER"];

function toolMatcher(patterns: readonly string[]): (tool: string) => boolean {
  const exact = new Set(patterns.filter((p) => !p.endsWith("*")));
  const prefixes = patterns.filter((p) => p.endsWith("*")).map((p) => p.slice(0, -1));
  return (tool) => exact.has(tool) || prefixes.some((p) => tool.startsWith(p));
}

function stringList(v: unknown, where: string): string | null {
  if (v === undefined) return null;
  if (!Array.isArray(v) || v.some((x) => typeof x !== "string" || x === ""))
    return `${where}: expected a list of non-empty strings`;
  return null;
}

/** A problem with a filter, or null. */
export function checkFilter(f: TelemetryFilter): string | null {
  for (const key of ["tools", "sessions"] as const) {
    const p = stringList(f[key], `filter.${key}`);
    if (p) return p;
  }
  const bad = (list: readonly string[] | undefined, allowed: readonly string[]) =>
    list?.find((x) => !allowed.includes(x));
  const kind = bad(f.kinds, KINDS);
  if (kind !== undefined)
    return `filter.kinds: unknown kind ${JSON.stringify(kind)} (one of ${KINDS.join(", ")})`;
  const effect = bad(f.decisions, EFFECTS);
  if (effect !== undefined)
    return `filter.decisions: unknown decision ${JSON.stringify(effect)} (one of ${EFFECTS.join(", ")})`;
  for (const key of ["human", "service", "agent", "role"] as const) {
    const p = stringList(f.identities?.[key], `filter.identities.${key}`);
    if (p) return p;
  }
  return null;
}

const nonEmpty = <T>(l: readonly T[] | undefined): l is readonly T[] => l !== undefined && l.length > 0;

/** Compile a filter into a predicate. Throws an Error naming the problem for an invalid filter. */
export function compileFilter(f: TelemetryFilter = {}): (r: Receipt) => boolean {
  const problem = checkFilter(f);
  if (problem) throw new Error(problem);
  const tests: ((r: Receipt) => boolean)[] = [];
  if (nonEmpty(f.kinds)) tests.push((r) => f.kinds!.includes(r.kind));
  if (nonEmpty(f.tools)) {
    const m = toolMatcher(f.tools);
    tests.push((r) => m(r.action.tool));
  }
  if (nonEmpty(f.decisions)) tests.push((r) => f.decisions!.includes(r.decision.result));
  if (nonEmpty(f.sessions)) tests.push((r) => f.sessions!.includes(r.context.session));
  const ids = f.identities ?? {};
  const idKeys = (["human", "service", "agent", "role"] as const).filter((k) => nonEmpty(ids[k]));
  if (idKeys.length > 0)
    tests.push((r) => idKeys.some((k) => r.identity[k] !== undefined && ids[k]!.includes(r.identity[k])));
  return (r) => tests.every((t) => t(r));
}
