/**
 * Test helpers for hosts and the project's own tests: load a generated evaluator module from its source text.
 */
export { evaluatorFromSource } from "./compiled.js";
