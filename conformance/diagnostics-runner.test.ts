/**
 * Golden diagnostics: for each conformance/diagnostics/<case>/, `checkFile(<case>/policy.aarm)` must produce
 * exactly `<case>/expected.errors.txt` (see baseline.ts for the format). `UPDATE_GOLDEN=1` rewrites the files.
 * A case without diagnostics has no expected file. Together the cases must exercise every catalog code.
 */
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { checkFile, language } from "../index.js";
import { baselineCodes, renderBaseline } from "./baseline.js";
import { unexercised } from "./diagnostics/unexercised.js";

type Diagnostic = language.Diagnostic;
const { allEntries } = language;

const casesDir = fileURLToPath(new URL("./diagnostics/", import.meta.url));
const update = process.env["UPDATE_GOLDEN"] === "1";
const EXPECTED = "expected.errors.txt";

const cases = readdirSync(casesDir)
  .filter((name) => statSync(join(casesDir, name)).isDirectory())
  .sort();

const normalise = (s: string) => s.replace(/\r\n?/g, "\n").trimEnd();

/** Source ids relative to the case directory, with `/` separators; absolute paths in messages shortened too. */
function relativise(caseDir: string, id: string): string {
  return relative(caseDir, id).split(sep).join("/");
}

function render(caseDir: string): string {
  const r = checkFile(join(caseDir, "policy.aarm"));
  const prefix = caseDir.endsWith(sep) ? caseDir : caseDir + sep;
  const strip = (text: string) => text.split(prefix).join("").split(caseDir).join(".");
  const ids = (d: Diagnostic): Diagnostic => ({
    ...d,
    sourceId: relativise(caseDir, d.sourceId),
    message: strip(d.message),
    ...(d.help !== undefined ? { help: strip(d.help) } : {}),
    ...(d.related
      ? { related: d.related.map((x) => ({ ...x, sourceId: relativise(caseDir, x.sourceId) })) }
      : {}),
  });
  const texts = new Map([...r.sources.values()].map((s) => [relativise(caseDir, s.id), s.text]));
  return renderBaseline(texts, r.diagnostics.map(ids));
}

describe("golden diagnostics (conformance/diagnostics)", () => {
  it("has cases", () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  for (const name of cases) {
    it(name, () => {
      const caseDir = join(casesDir, name);
      const expectedPath = join(caseDir, EXPECTED);
      const actual = render(caseDir);
      const exists = existsSync(expectedPath);
      if (update) {
        if (actual === "") {
          if (exists) rmSync(expectedPath);
        } else {
          writeFileSync(expectedPath, actual);
        }
        return;
      }
      if (actual === "") {
        const stale = exists ? normalise(readFileSync(expectedPath, "utf8")) : "";
        expect(stale, `${name} has no diagnostics; delete ${EXPECTED} (or run UPDATE_GOLDEN=1)`).toBe("");
        return;
      }
      expect(exists, `${name}/${EXPECTED} is missing; run UPDATE_GOLDEN=1 npx vitest run conformance`).toBe(
        true,
      );
      expect(normalise(actual)).toBe(normalise(readFileSync(expectedPath, "utf8")));
    });
  }

  it("every diagnostic code in the catalog is exercised", () => {
    const exercised = new Map<string, string[]>();
    for (const name of cases) {
      const p = join(casesDir, name, EXPECTED);
      if (!existsSync(p)) continue;
      for (const code of baselineCodes(readFileSync(p, "utf8")))
        exercised.set(code, [...(exercised.get(code) ?? []), name]);
    }
    const catalog = new Set<string>(allEntries.map((e) => e.code));
    const missing = allEntries
      .filter((e) => !exercised.has(e.code) && !(e.code in unexercised))
      .map((e) => `  ${e.code} ${e.name}: "${e.title}"`);
    const unknown = [...exercised.keys()]
      .filter((c) => !catalog.has(c))
      .map((c) => `  ${c} (in ${exercised.get(c)!.join(", ")})`);
    const staleSkips = Object.keys(unexercised)
      .filter((c) => exercised.has(c) || !catalog.has(c))
      .map(
        (c) =>
          `  ${c}: ${exercised.has(c) ? "now exercised" : "not in the catalog"}; remove it from unexercised.ts`,
      );
    const report = [
      ...(missing.length
        ? [`${missing.length} catalog code(s) have no golden case in conformance/diagnostics/:`, ...missing]
        : []),
      ...(unknown.length ? ["expected files mention codes that are not in the catalog:", ...unknown] : []),
      ...(staleSkips.length
        ? ["stale entries in conformance/diagnostics/unexercised.ts:", ...staleSkips]
        : []),
    ].join("\n");
    expect(report, report).toBe("");
  });
});
