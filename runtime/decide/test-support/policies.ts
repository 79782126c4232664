/**
 * Compiling small policies for the decision-procedure tests, and loading each with either evaluator, so that every
 * test of the procedure also checks that the interpreter and the generated code agree.
 */
import { compileSource } from "../../../compiler/compile.js";
import { memoryHost } from "../../../compiler/host.js";
import { makeSource } from "../../../language/source.js";
import { type LoadOptions, loadPolicy, type Policy } from "../../api.js";
import type { IrPolicy } from "../../ir/index.js";
import { evaluatorFromSource } from "../../testing.js";

/** The tools the tests' policies are written against (an MCP tools/list result). */
export const TOOLS = JSON.stringify({
  tools: [
    {
      name: "send_money",
      inputSchema: {
        type: "object",
        properties: {
          recipient: { type: "string", maxLength: 34 },
          amount: { type: "number", minimum: 0, maximum: 100000 },
          currency: { type: "string", enum: ["EUR", "USD", "CHF"] },
          memo: { type: "string", maxLength: 140 },
        },
        required: ["recipient", "amount", "currency"],
        additionalProperties: false,
      },
    },
    {
      name: "db.query",
      inputSchema: {
        type: "object",
        properties: {
          sql: { type: "string" },
          table: { type: "string", enum: ["customers", "test_data"] },
          limit: { type: "integer", minimum: 1, maximum: 1000 },
        },
        required: ["sql", "table"],
        additionalProperties: false,
      },
    },
    {
      name: "read_file",
      inputSchema: {
        type: "object",
        properties: { path: { type: "string" }, encoding: { type: "string", enum: ["utf-8", "base64"] } },
        required: ["path"],
        additionalProperties: false,
      },
    },
    {
      name: "email.send",
      inputSchema: {
        type: "object",
        properties: { to: { type: "array", items: { type: "string" } }, body: { type: "string" } },
        required: ["to", "body"],
        additionalProperties: false,
      },
    },
  ],
});

/** Compile policy declarations (the header is added) against TOOLS. Throws with the diagnostics on an error. */
export function compileTest(
  decls: string,
  posture: "allow" | "deny" = "deny",
): { ir: IrPolicy; evaluatorSource: string } {
  const text = `policy "t" version "1.0.0"\ndefault ${posture}\ntools from "./tools.json"\n${decls}\n`;
  const r = compileSource(
    makeSource("policy.aarm", text),
    memoryHost({ "policy.aarm": text, "tools.json": TOOLS }),
  );
  if (!r.ir || !r.evaluatorSource)
    throw new Error(r.diagnostics.map((d) => `${d.code} ${d.message}`).join("\n"));
  return { ir: r.ir, evaluatorSource: r.evaluatorSource };
}

export type EvaluatorKind = "interpreter" | "compiled";

/** Compile and load a policy with the interpreter or with its generated evaluator. */
export async function loadTest(
  kind: EvaluatorKind,
  decls: string,
  options: LoadOptions & { posture?: "allow" | "deny" } = {},
): Promise<Policy> {
  const { posture, ...load } = options;
  const c = compileTest(decls, posture);
  if (kind === "interpreter") return loadPolicy(c.ir, { clock: () => 1_000, ...load });
  const evaluator = await evaluatorFromSource(c.evaluatorSource, c.ir.source.sha256);
  return loadPolicy(c.ir, { clock: () => 1_000, ...load, evaluator });
}

/** The parts of a decision record that the decision procedure decides (no action or policy info). */
export function outcome(r: object): Record<string, unknown> {
  const { action: _a, policy: _p, ...rest } = r as Record<string, unknown>;
  return rest;
}
