import { describe, expect, it } from "vitest";
import type { Expr, Node } from "./ast.js";
import { parse } from "./parser/index.js";
import { makeSource } from "./source.js";
import { childEntries, children, walk } from "./walk.js";

function policy(text: string) {
  const r = parse(makeSource("walk.aarm", text));
  expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return r.ast;
}

describe("children", () => {
  it("lists a rule's children in source order, skipping absent ones", () => {
    const ast = policy('policy "p"\n@id("r") deny a.b, c when x == 1 because "why"\n');
    const rule = ast.decls[0]!;
    expect(children(rule).map((n) => n.kind)).toEqual(["Annotation", "ToolPattern", "ToolPattern", "CompareExpr", "StringLit"]);
    const starts = children(rule).map((n) => n.span.start);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
  });

  it("gives keys and indexes", () => {
    const ast = policy('policy "p"\nallow a, b\n');
    expect(childEntries(ast.decls[0]!).map((e) => `${e.key}[${String(e.index)}]`)).toEqual(["tools[0]", "tools[1]"]);
    expect(childEntries(ast).map((e) => `${e.key}:${String(e.index)}`)).toEqual(["header:undefined", "decls:0"]);
  });

  it("has no children for leaves", () => {
    const ast = policy('policy "p"\ndefault deny\n');
    expect(children(ast.decls[0]!)).toEqual([]);
  });
});

describe("walk", () => {
  it("visits every node once, pre-order, with enter/leave nesting", () => {
    const ast = policy('policy "p"\ndeny x when not (a or b)\n');
    const events: string[] = [];
    walk(ast, {
      enter: (n, ctx) => void events.push(`+${n.kind}@${String(ctx.depth)}`),
      leave: (n) => void events.push(`-${n.kind}`),
    });
    expect(events.slice(0, 6)).toEqual(["+Policy@0", "+Header@1", "+StringLit@2", "-StringLit", "-Header", "+Rule@1"]);
    expect(events.filter((e) => e.startsWith("+")).length).toBe(events.filter((e) => e.startsWith("-")).length);
    expect(events.at(-1)).toBe("-Policy");
  });

  it("reports the parent and key of each node", () => {
    const ast = policy('policy "p"\nallow a\n');
    const seen: string[] = [];
    walk(ast, { enter: (n, ctx) => void seen.push(`${ctx.parent?.kind ?? "-"}.${ctx.key ?? "-"}>${n.kind}`) });
    expect(seen).toEqual(["-.->Policy", "Policy.header>Header", "Header.name>StringLit", "Policy.decls>Rule", "Rule.tools>ToolPattern"]);
  });

  it("skips the children of a node when enter returns false, still calling leave", () => {
    const ast = policy('policy "p"\ndeny x when a and b\n');
    const kinds: string[] = [];
    const left: string[] = [];
    walk(ast, {
      enter: (n) => {
        kinds.push(n.kind);
        return n.kind !== "Rule";
      },
      leave: (n) => void left.push(n.kind),
    });
    expect(kinds).toEqual(["Policy", "Header", "StringLit", "Rule"]);
    expect(left).toContain("Rule");
  });

  it("walks a very deep tree (a long and-chain built in code) without overflowing the stack", () => {
    const S = { start: 0, end: 0 };
    const leaf = (i: number): Expr => ({ kind: "BoolLit", span: S, value: i % 2 === 0 });
    let chain: Expr = leaf(0);
    for (let i = 1; i < 100_000; i++) chain = { kind: "LogicalExpr", span: S, op: "and", left: chain, right: leaf(i) };
    let count = 0;
    let maxDepth = 0;
    walk(chain, {
      enter: (_n: Node, ctx) => {
        count++;
        maxDepth = Math.max(maxDepth, ctx.depth);
      },
    });
    expect(maxDepth).toBe(99_999);
    expect(count).toBe(199_999);
  });
});
