/**
 * Conditions as `aarm test --coverage` and `aarm explain` show them: the atoms of a condition, and the IR printed
 * back in the language's syntax (for bundles, which carry no source) or sliced from the source when it is at hand.
 */
import { describe, expect, it } from "vitest";
import { compileSource } from "../compiler/compile.js";
import { memoryHost } from "../compiler/host.js";
import { makeSource } from "../language/index.js";
import { atomsOf, irText, policyAtoms, policyText } from "./conditions.js";

const str = { type: "string" };
const TOOLS = JSON.stringify({
  tools: [
    {
      name: "send",
      inputSchema: { type: "object", properties: { to: { type: "array", items: str }, body: str } },
    },
    { name: "read", inputSchema: { type: "object", properties: { path: str } } },
  ],
});
const POLICY = `policy "text" version "1"
default deny
tools from "tools.json"
labels PII
context env: "prod" | "staging", limits: list<number>
const safe = ["corp.example"]
@id("a") deny send when not (session.labels has PII or identity.role == "admin") and all domain(args.to) not in safe
@id("b") deny send when seen(read within 1h) and count(send, read) >= 3 and sequence(read, send within 30m)
@id("c") deny send when provenance(args.body) has any [request, result(read)] and context.env is known
@id("d") deny send when len(args.body) > 10 or lower(args.body) matches /x+/i
allow send, read
`;
const ir = compileSource(makeSource("/p/policy.aarm", POLICY), memoryHost({ "/p/tools.json": TOOLS })).ir!;
const cond = (id: string) => ir.rules.find((r) => r.id === id)!.cond!;

describe("conditions", () => {
  it("prints IR in the language's syntax, constants by value", () => {
    expect(["a", "b", "c", "d"].map((id) => irText(cond(id)))).toEqual([
      'not (session.labels has "PII" or identity.role == "admin") and all domain(args.to) not in ["corp.example"]',
      "seen(read within 1h) and count(read, send) >= 3 and sequence(read, send within 30m)",
      "provenance(args.body) has any [request, result(read)] and context.env is known",
      "len(args.body) > 10 or lower(args.body) matches /x+/i",
    ]);
  });

  it("finds the atoms under and / or / not, and shows them in the policy's own words", () => {
    const text = policyText(POLICY);
    expect(atomsOf(cond("a")).map((e) => text.expr(e))).toEqual([
      "session.labels has PII",
      'identity.role == "admin"',
      "all domain(args.to) not in safe",
    ]);
    expect(text.where(ir.rules[1]!.at)).toBe("line 8");
    expect(policyAtoms(ir).map((a) => a.owner.id)).toEqual([
      "a",
      "a",
      "a",
      "b",
      "b",
      "b",
      "c",
      "c",
      "d",
      "d",
    ]);
    expect(policyText().where(ir.rules[1]!.at)).toBe("");
  });
});
