import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CHILD_KEYS, type NodeKind } from "../ast.js";
import { parse } from "../parser/index.js";
import { makeSource } from "../source.js";
import { debugAst } from "./debug.js";
import { corpus, TESTDATA } from "./test-support/corpus.js";

function dump(text: string, id = "d.aarm"): string {
  const source = makeSource(id, text);
  return debugAst(parse(source).ast, source);
}

describe("debugAst", () => {
  it("prints one line per node with key, kind, span and scalar fields", () => {
    const text = 'policy "p"\ndefault deny\n@priority(60) deny x.y when any args.to[0] != "a" // why\n';
    expect(dump(text)).toBe(
      [
        "Policy @1:1-4:1",
        "  header: Header @1:1-1:11",
        '    name: StringLit @1:8-1:11 value="p"',
        '  decls[0]: DefaultDecl @2:1-2:13 posture="deny"',
        '  decls[1]: Rule @3:1-3:50 effect="deny" effectSpan=@3:15-3:19',
        "    annotations[0]: Annotation @3:1-3:14",
        '      name: Identifier @3:2-3:10 name="priority"',
        '      value: NumberLit @3:11-3:13 value=60 raw="60"',
        '    tools[0]: ToolPattern @3:20-3:23 text="x.y" quoted=false',
        '    condition: CompareExpr @3:29-3:50 op="!=" opSpan=@3:44-3:46 quantifier="any"',
        "      left: Ref @3:33-3:43",
        '        root: Identifier @3:33-3:37 name="args"',
        '        segments[0]: FieldSegment @3:38-3:40 name="to"',
        "        segments[1]: IndexSegment @3:41-3:42 index=0",
        '      right: StringLit @3:47-3:50 value="a"',
        '  comments[0]: Comment @3:51-3:57 text="// why" block=false',
        "",
      ].join("\n"),
    );
  });

  it("covers every node kind in the corpus (so no kind is missing from CHILD_KEYS)", () => {
    const kinds = new Set<string>();
    for (const { name, text } of corpus()) {
      for (const line of dump(text, name).split("\n")) {
        const m = /^\s*(?:[a-zA-Z]+(?:\[\d+\])?: )?([A-Z][A-Za-z]+) @/.exec(line);
        if (m) kinds.add(m[1]!);
      }
    }
    const missing = (Object.keys(CHILD_KEYS) as NodeKind[]).filter((k) => !kinds.has(k) && k !== "ErrorExpr");
    expect(missing).toEqual([]);
  });

  describe.each(["all-constructs.aarm", "comments-rule.aarm"])("golden ast.txt: %s", (name) => {
    it("matches (UPDATE_GOLDEN=1 rewrites it)", () => {
      const text = readFileSync(join(TESTDATA, name), "utf8");
      const out = dump(text, name);
      const path = join(TESTDATA, "ast", name.replace(/\.aarm$/, ".txt"));
      if (process.env["UPDATE_GOLDEN"] === "1") {
        mkdirSync(join(TESTDATA, "ast"), { recursive: true });
        writeFileSync(path, out);
      }
      expect(existsSync(path), `missing ${path}: run with UPDATE_GOLDEN=1`).toBe(true);
      expect(out).toBe(readFileSync(path, "utf8"));
    });
  });
});
