/**
 * "Without cascades": one single-token mistake gives one syntax error, and N mistakes in N different rules
 * give exactly N errors, however the mistakes interact with error recovery.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { lex } from "../lexer/lexer.js";
import { makeSource } from "../source.js";
import type { ParseResult } from "./index.js";
import { errorCount, parseChecked, seedPolicies } from "./test-support/invariants.js";

const SEED = Number(process.env["FUZZ_SEED"] ?? 20261122);
const SCALE = Number(process.env["FUZZ_RUNS"] ?? 1);

const HEADER = 'policy "p" version "1.0.0"\ndefault deny\n';

/**
 * Syntax errors: everything except the literal-value diagnostics (AARM1006 escape, AARM1007 number, port,
 * address), which judge a token on its own. A stray `"s"` where an address is expected is both a bad address
 * and a missing comma; that is two true statements, not a cascade.
 */
const syntaxErrors = (r: ParseResult) =>
  r.diagnostics.filter((d) => d.code !== "AARM1006" && d.code !== "AARM1007").length;

/** Every rule of the seed policies, as text (annotations included). */
const statements: readonly string[] = seedPolicies().flatMap((s) => {
  const r = parseChecked(s.text);
  if (r.diagnostics.length > 0) return [];
  return r.ast.decls
    .filter((d) => d.kind === "Rule" || d.kind === "TagRule")
    .map((d) => s.text.slice(d.span.start, d.span.end));
});

/** Tokens a user might mistype into a rule (no quote or comment openers: those swallow the rest of a line). */
const stray = [
  "when",
  "and",
  "or",
  "not",
  ")",
  "(",
  "]",
  "[",
  ",",
  ";",
  ".",
  "==",
  "in",
  "1",
  '"s"',
  "x",
  "{",
  "}",
  "@",
  "because",
  "deny",
  "labels",
];

/**
 * One mistake at token `at` (never the first token: without its leading keyword a rule is no longer a rule of
 * its own but the continuation of the one before, and then two mistakes are in one rule).
 */
type Mistake = {
  readonly op: "delete" | "duplicate" | "swap" | "insert";
  readonly at: number;
  readonly token: string;
};

function mistake(rule: string, m: Mistake): string {
  const tokens = lex(makeSource("r", rule)).tokens;
  const i = 1 + (m.at % Math.max(1, tokens.length - 1));
  const t = tokens[i] ?? tokens[0]!;
  const start = t.startOffset;
  const end = start + t.image.length;
  switch (m.op) {
    case "delete":
      return rule.slice(0, start) + rule.slice(end);
    case "duplicate":
      return `${rule.slice(0, end)} ${t.image}${rule.slice(end)}`;
    case "insert":
      // After the token, so an inserted `deny` never begins a line (where it would begin a new rule).
      return `${rule.slice(0, end)} ${m.token} ${rule.slice(end)}`;
    case "swap": {
      const u = tokens[i + 1];
      if (!u) return rule.slice(0, start) + rule.slice(end);
      // Spaces keep the swapped tokens from gluing into a different token (`22, 3389` → `223389 ,`).
      const between = rule.slice(end, u.startOffset);
      return `${rule.slice(0, start)} ${u.image} ${between} ${t.image} ${rule.slice(u.startOffset + u.image.length)}`;
    }
  }
}

const mistakeArb: fc.Arbitrary<Mistake> = fc.record({
  op: fc.constantFrom("delete", "duplicate", "swap", "insert" as const),
  at: fc.nat(),
  token: fc.constantFrom(...stray),
}) as fc.Arbitrary<Mistake>;

describe("without cascades", () => {
  it("has a corpus of statements", () => {
    expect(statements.length).toBeGreaterThan(30);
  });

  it("reports exactly one error for each of ten hand-written mistakes", () => {
    const text = `${HEADER}deny email.send when args.to ==
deny db.query when args.sql matches /x/ because
allow calendar.* when and args.x > 1
forbid file.open path
@id("a") step_up db.delete approvers any ["a"] timeout
deny x when (args.a > 1
modify db.query { set args.limit 100 }
deny y when session.labels has PII and any domain(args.to) in [1, 2
allow z,
deny w when context.env == "prod" and args.a >
allow ok
`;
    expect(errorCount(parseChecked(text))).toBe(10);
  });

  it("one mistake per rule in N rules gives exactly N errors", () => {
    const arb = fc.array(
      fc.tuple(fc.nat({ max: statements.length - 1 }), fc.option(mistakeArb, { freq: 2 })),
      {
        minLength: 1,
        maxLength: 12,
      },
    );
    fc.assert(
      fc.property(arb, (picks) => {
        let expected = 0;
        const rules = picks.map(([i, m]) => {
          const rule = m ? mistake(statements[i]!, m) : statements[i]!;
          const alone = syntaxErrors(parseChecked(`${HEADER}${rule}\n`));
          if (alone > 1) throw new Error(`one mistake, ${alone} errors:\n${rule}`);
          expected += alone;
          return rule;
        });
        const all = parseChecked(`${HEADER}${rules.join("\n")}\n`);
        if (syntaxErrors(all) !== expected) {
          const got = all.diagnostics.map((d) => `${d.code} ${d.message} @${d.span?.start}`).join("\n");
          throw new Error(
            `expected ${expected} errors, got ${syntaxErrors(all)}:\n${got}\n---\n${rules.join("\n")}`,
          );
        }
      }),
      { seed: SEED, numRuns: Math.max(1, Math.round(400 * SCALE)) },
    );
  });
});
