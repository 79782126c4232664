import { describe, expect, it } from "vitest";
import { compileSource } from "../compiler/compile.js";
import { memoryHost } from "../compiler/index.js";
import { makeSource } from "../language/source.js";
import type { IrPolicy } from "../runtime/index.js";
import { allowableTools } from "./listing.js";

function ir(rules: string, posture = "deny"): IrPolicy {
  const tools = ["a", "b", "c", "d", "e"].map((name) => ({ name, inputSchema: { type: "object" } }));
  const text = `policy "p" version "1"\ndefault ${posture}\ntools from "t.json"\n${rules}\n`;
  const r = compileSource(makeSource("p.aarm", text), memoryHost({ "t.json": JSON.stringify({ tools }) }));
  if (!r.ir) throw new Error(JSON.stringify(r.diagnostics.map((d) => d.message)));
  return r.ir;
}

describe("tools the policy can ever allow (tools/list filtering)", () => {
  it("default deny: only tools some rule may let run", () => {
    const p = ir(`allow a\nstep_up b approvers any ["x"] timeout 1m\nallow c when args.n == 1\ndeny d`);
    expect([...allowableTools(p)].filter((t) => t.length === 1).sort()).toEqual(["a", "b", "c"]);
  });

  it("default allow: every tool but those an unconditional forbid or deny covers", () => {
    const p = ir(`forbid a because "never"\ndeny b\ndeny c when args.n == 1`, "allow");
    expect([...allowableTools(p)].filter((t) => t.length === 1).sort()).toEqual(["c", "d", "e"]);
  });

  it("an unconditional deny outranks allows below it, not an exception above it", () => {
    const p = ir(`deny a, b\nallow a\n@priority(60) allow b when args.n == 1`);
    expect([...allowableTools(p)].filter((t) => t.length === 1).sort()).toEqual(["b"]);
  });
});
