/**
 * The package entry point: the public API.
 */
export * from "./compiler/index.js";
export * as language from "./language/index.js";
