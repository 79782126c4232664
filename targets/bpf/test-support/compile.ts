/**
 * Compiling small policies for the kernel target's tests: kernel rules need no tool schemas, so the policy is
 * the header and the declarations.
 */
import { compileSource, type CompileResult } from "../../../compiler/compile.js";
import { memoryHost } from "../../../compiler/index.js";
import { makeSource } from "../../../language/index.js";
import type { IrPolicy } from "../../../runtime/ir/index.js";

const TOOLS = JSON.stringify({
  tools: [
    {
      name: "fetch",
      inputSchema: {
        type: "object",
        properties: { url: { type: "string", maxLength: 2048 } },
        required: ["url"],
      },
    },
    {
      name: "read",
      inputSchema: {
        type: "object",
        properties: { path: { type: "string", maxLength: 4096 } },
        required: ["path"],
      },
    },
  ],
});

/** Compile declarations after a header; throws with the diagnostics when there is an error. */
export function compileKernelPolicy(decls: string): CompileResult & { ir: IrPolicy } {
  const text = `policy "k" version "1.0.0"\ndefault allow\ntools from "./tools.json"\n${decls}\n`;
  const r = compileSource(
    makeSource("policy.aarm", text),
    memoryHost({ "policy.aarm": text, "tools.json": TOOLS }),
  );
  if (!r.ir) throw new Error(r.diagnostics.map((d) => `${d.code} ${d.message}`).join("\n"));
  return r as CompileResult & { ir: IrPolicy };
}
