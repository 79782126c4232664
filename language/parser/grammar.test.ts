import { describe, expect, it } from "vitest";
import { createPolicyLexer } from "../lexer/lexer.js";
import { PolicyParser } from "./parser.js";

// The shared lexer and parser skip Chevrotain's definition checks at start-up; they run here instead (with them on,
// Chevrotain throws on the first definition error).
describe("grammar definition", () => {
  it("the token set passes Chevrotain's lexer checks (no unreachable or empty patterns)", () => {
    expect(createPolicyLexer(true).lexerDefinitionErrors).toEqual([]);
  });

  it("the grammar passes Chevrotain's validations (no ambiguity, left recursion or duplicate rule)", () => {
    expect(() => new PolicyParser({ validate: true })).not.toThrow();
  });
});
