/**
 * Compiling a generated policy in memory and loading it with its generated evaluator (or the interpreter).
 */
import { compileSource, type CompileResult } from "../../compiler/compile.js";
import { memoryHost } from "../../compiler/host.js";
import { makeSource } from "../../language/index.js";
import { loadPolicy, type Policy } from "../../runtime/api.js";
import { evaluatorFromSource } from "../../runtime/compiled.js";
import { toolsJson } from "./policy.js";

/** Compile policy text written against the benchmark tools; throws if it has errors. */
export function compileBench(
  text: string,
): CompileResult & Required<Pick<CompileResult, "ir" | "evaluatorSource">> {
  const r = compileSource(
    makeSource("/bench/policy.aarm", text),
    memoryHost({ "/bench/tools.json": toolsJson() }),
  );
  if (!r.ir || r.evaluatorSource === undefined) {
    const first = r.diagnostics.find((d) => d.severity === "error");
    throw new Error(
      `generated policy does not compile: ${first ? `${first.code} ${first.message}` : "no IR"}`,
    );
  }
  return r as CompileResult & Required<Pick<CompileResult, "ir" | "evaluatorSource">>;
}

/** Both loaded forms of a compiled policy: with the generated evaluator, and with the reference interpreter. */
export async function loadBoth(
  compiled: ReturnType<typeof compileBench>,
): Promise<{ compiled: Policy; interpreted: Policy }> {
  const evaluator = await evaluatorFromSource(compiled.evaluatorSource, compiled.ir.source.sha256);
  return { compiled: loadPolicy(compiled.ir, { evaluator }), interpreted: loadPolicy(compiled.ir) };
}
