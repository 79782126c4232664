/**
 * Instantiating a generated evaluator module (targets/js). The host imports the module (from a bundle file, or
 * any other way its platform allows) and hands it here; the runtime gives it the operator functions it needs, so
 * the generated code imports nothing and shares its semantics with the interpreter.
 */
import type { Evaluator } from "./decide/core.js";
import * as ops from "./eval/ops.js";

/** The shape of a generated module. */
export interface EvaluatorModule {
  readonly meta: { readonly irVersion: number; readonly policy: string; readonly sourceSha256: string };
  create(rt: typeof ops): Evaluator & { readonly calls: number };
}

/** Build the Evaluator of a generated module, checking that it was generated from the same policy source. */
export function compiledEvaluator(mod: EvaluatorModule, expectedSourceSha256?: string): Evaluator & { readonly calls: number } {
  if (typeof mod?.create !== "function" || typeof mod.meta !== "object") {
    throw new Error("not an aarm evaluator module (no create/meta export)");
  }
  if (expectedSourceSha256 !== undefined && mod.meta.sourceSha256 !== expectedSourceSha256) {
    throw new Error(`evaluator was generated from another policy source (${mod.meta.sourceSha256})`);
  }
  return mod.create(ops);
}

/**
 * Import generated evaluator source from its text (a data: URL import, which Node, Deno, Bun and browsers
 * support) and instantiate it. Used to load a bundle's evaluator from the very bytes that were verified.
 */
export async function evaluatorFromSource(source: string, sourceSha256?: string): Promise<Evaluator & { readonly calls: number }> {
  const bytes = new TextEncoder().encode(source);
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  const mod = (await import(`data:text/javascript;base64,${btoa(bin)}`)) as EvaluatorModule;
  return compiledEvaluator(mod, sourceSha256);
}
