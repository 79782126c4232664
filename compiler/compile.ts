/**
 * compile: check a policy, lower it to IR, and generate the JS evaluator. The façade the CLI, the tests and the
 * bundler use (cel-es's `run.ts` style: parse → check → plan).
 */
import type { IrPolicy } from "../runtime/ir/index.js";
import { emitEvaluator, GENERATOR } from "../targets/js/index.js";
import { emitKernel, type KernelArtifacts } from "../targets/bpf/index.js";
import type { CompilerHost } from "./host.js";
import { nodeHost } from "./host.js";
import { type CheckResult, checkFile, checkSource } from "./index.js";
import { lowerPolicy } from "./lower/index.js";
import { target, type Source } from "../language/index.js";

export interface CompileResult extends CheckResult {
  /** Present exactly when the policy checked without errors. */
  readonly ir?: IrPolicy;
  /** The generated evaluator module's source text (targets/js). */
  readonly evaluatorSource?: string;
  /** The kernel target's artifacts (targets/bpf): map contents, the C program, what the kernel enforces. */
  readonly kernel?: KernelArtifacts;
}

function finish(check: CheckResult): CompileResult {
  if (!check.model || !check.source) return check;
  const ir = lowerPolicy(check.model, check.source.text);
  const kernel = emitKernel(ir, GENERATOR);
  const firstForbid = ir.rules.find((r) => r.effect === "forbid");
  const diagnostics = firstForbid
    ? [
        ...check.diagnostics,
        target.kernelEnforcement(
          check.source.id,
          { start: firstForbid.at[0], end: firstForbid.at[1] },
          { summary: kernel.summary },
        ),
      ]
    : check.diagnostics;
  return { ...check, diagnostics, ir, evaluatorSource: emitEvaluator(ir), kernel };
}

/** Compile a policy file. Never throws for bad input: problems are diagnostics. */
export function compileFile(path: string, host: CompilerHost = nodeHost): CompileResult {
  return finish(checkFile(path, host));
}

/** Compile a policy already in memory (its `tools from` paths resolve against `source.id`). */
export function compileSource(source: Source, host: CompilerHost = nodeHost): CompileResult {
  return finish(checkSource(source, host));
}
