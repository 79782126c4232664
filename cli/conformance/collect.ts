/**
 * From test results to a conformance report: which tests claim which requirement, table row or catalogue item
 * (see catalog.ts for the naming rule), and whether they passed. Input is vitest's JSON report (the Jest-compatible
 * shape: testResults[].assertionResults[] with fullName and status).
 */
import { CATALOGUE, type Level, REQUIREMENTS, type Requirement, type Row, TABLE } from "./catalog.js";
import { type Item, ITEMS } from "./items.js";

export interface TestOutcome {
  readonly file: string;
  readonly name: string;
  readonly passed: boolean;
}

export interface RequirementResult {
  readonly id: string;
  readonly numbering: "current" | "seed";
  readonly level: Level;
  readonly title: string;
  readonly tests: number;
  readonly passed: number;
}

export interface RowResult extends Row {
  readonly tests: number;
  readonly passed: number;
}

export interface ItemResult extends Item {
  readonly tests: number;
  readonly passed: number;
}

export interface ConformanceReport {
  readonly requirements: readonly RequirementResult[];
  /** The requirement items (the bullets of each requirement), proven through rows or `[R4.5]` tags. */
  readonly items: readonly ItemResult[];
  readonly rows: readonly RowResult[];
  /** Every MUST requirement (both numberings), item and row has tests, and all of them passed. */
  readonly ok: boolean;
}

/** Read vitest's JSON report. Throws an Error with a precise message on anything else. */
export function parseVitestJson(text: string): TestOutcome[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new Error("the test results are not JSON");
  }
  const files = (data as { testResults?: unknown } | null)?.testResults;
  if (!Array.isArray(files))
    throw new Error("the test results have no testResults list (expected vitest's JSON reporter output)");
  const out: TestOutcome[] = [];
  for (const f of files as { name?: unknown; assertionResults?: unknown }[]) {
    if (!Array.isArray(f.assertionResults)) continue;
    for (const a of f.assertionResults as { fullName?: unknown; status?: unknown }[]) {
      if (typeof a.fullName !== "string") continue;
      if (a.status === "pending" || a.status === "todo" || a.status === "skipped") continue;
      out.push({
        file: typeof f.name === "string" ? f.name : "",
        name: a.fullName,
        passed: a.status === "passed",
      });
    }
  }
  return out;
}

const CURRENT_TAG = /(?<![A-Za-z0-9])R([1-9])(?![A-Za-z0-9])/g;
const ROW_TAG = /\[([TC]\d+|R[1-9]\.\d+)\]/g;

/** The current requirements a test name claims. */
export function requirementTags(name: string): Set<string> {
  return new Set([...name.matchAll(CURRENT_TAG)].map((m) => `R${m[1]}`));
}

function rowTags(name: string): Set<string> {
  return new Set([...name.matchAll(ROW_TAG)].map((m) => m[1]!));
}

function claims(r: Requirement, t: TestOutcome, tags: Set<string>): boolean {
  if (r.numbering === "current") return tags.has(r.id);
  const f = r.from!;
  if (!tags.has(f.current)) return false;
  if (f.only && !f.only.test(t.name)) return false;
  return !(f.except && f.except.test(t.name));
}

/** Tally the outcomes against the catalog. */
export function conformanceReport(outcomes: readonly TestOutcome[]): ConformanceReport {
  const tagged = outcomes.map((t) => ({ t, req: requirementTags(t.name), rows: rowTags(t.name) }));
  const requirements = REQUIREMENTS.map((r): RequirementResult => {
    const mine = tagged.filter((x) => claims(r, x.t, x.req));
    const { from: _from, ...rest } = r;
    return { ...rest, tests: mine.length, passed: mine.filter((x) => x.t.passed).length };
  });
  const rows = [...TABLE, ...CATALOGUE].map((row): RowResult => {
    const mine = tagged.filter((x) => x.rows.has(row.key));
    return { ...row, tests: mine.length, passed: mine.filter((x) => x.t.passed).length };
  });
  const items = ITEMS.map((item): ItemResult => {
    const mine = tagged.filter((x) => x.rows.has(item.key) || item.rows.some((r) => x.rows.has(r)));
    return { ...item, tests: mine.length, passed: mine.filter((x) => x.t.passed).length };
  });
  const good = (x: { level: Level; tests: number; passed: number }) =>
    x.level !== "MUST" || (x.tests > 0 && x.passed === x.tests);
  return { requirements, items, rows, ok: requirements.every(good) && items.every(good) && rows.every(good) };
}
