/**
 * Test helpers for hosts and the project's own tests: load a generated evaluator module from its source text.
 * (Uses a data: URL import, which Node, Deno and browsers support.)
 */
import { compiledEvaluator, type EvaluatorModule } from "./compiled.js";
import type { Evaluator } from "./decide/core.js";

/** Import generated evaluator source and instantiate it. */
export async function evaluatorFromSource(source: string, sourceSha256?: string): Promise<Evaluator & { readonly calls: number }> {
  const b64 = typeof Buffer !== "undefined" ? Buffer.from(source, "utf8").toString("base64") : btoa(unescape(encodeURIComponent(source)));
  const mod = (await import(`data:text/javascript;base64,${b64}`)) as EvaluatorModule;
  return compiledEvaluator(mod, sourceSha256);
}
