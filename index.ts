/**
 * The package entry point (`aarm`): the compiler and the language. The other entry points are `aarm/runtime`
 * (loading compiled policies, deciding, enforcing, receipts; no Node module, no compiler), `aarm/host` (the Node
 * edge: bundle folders, key files, the receipt file, the approvals endpoint), `aarm/sessions` (recorded sessions,
 * replay, `aarm test`) and `aarm/gateway` (the MCP gateway).
 */
export * from "./compiler/index.js";
export { compileFile, compileSource, type CompileResult } from "./compiler/compile.js";
export * as language from "./language/index.js";
