/**
 * The JavaScript target: IR → evaluator module source.
 */
export { emitEvaluator, GENERATOR } from "./emit.js";
export { js, JsCode, JsName, safeString, Scope } from "./code.js";
