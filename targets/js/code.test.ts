import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { compileSource } from "../../compiler/compile.js";
import { memoryHost } from "../../compiler/host.js";
import { makeSource } from "../../language/source.js";
import type { SessionView } from "../../runtime/eval/env.js";
import { irEvaluator } from "../../runtime/eval/ir-evaluator.js";
import type { IrPolicy } from "../../runtime/ir/index.js";
import { evaluatorFromSource } from "../../runtime/testing.js";
import { js, JsCode, JsName, jsonLiteral, safeComment, safeString, Scope } from "./code.js";
import { emitEvaluator } from "./emit.js";

declare global {
  var __pwned: unknown;
}

/** Strings that break out of naive code generation, and a canary that proves they did not. */
const HOSTILE = [
  '"; globalThis.__pwned = 1; "',
  "'; globalThis.__pwned = 1; '",
  "*/ globalThis.__pwned = 1; /*",
  "\u2028globalThis.__pwned = 1; //",
  "\u2029globalThis.__pwned = 1; //",
  "\n globalThis.__pwned = 1; //",
  "\r globalThis.__pwned = 1; //",
  "${globalThis.__pwned = 1}",
  "`; globalThis.__pwned = 1; `",
  "</script><script>globalThis.__pwned = 1</script>",
  "\\",
  '\\\\"',
  "\ud800 lone surrogate \udc00",
  "__proto__",
  "",
];
const unicode = fc.oneof(
  fc.string({ unit: "binary" }),
  fc.constantFrom(...HOSTILE),
  fc.string({ unit: "grapheme" }),
);
const evaluate = (code: string): unknown => new Function(`"use strict"; return (${code});`)();

afterEach(() => {
  expect(globalThis.__pwned).toBeUndefined();
});

describe("code building", () => {
  it("strings become string literals that evaluate to exactly the string", () => {
    fc.assert(
      fc.property(unicode, (s) => {
        const lit = safeString(s);
        expect(lit).not.toMatch(/[\n\r\u2028\u2029]/);
        expect(evaluate(lit)).toBe(s);
        expect(evaluate(js`${s}`.text)).toBe(s);
      }),
      { numRuns: 500 },
    );
  });

  it("comments cannot be closed or ended from inside", () => {
    fc.assert(
      fc.property(unicode, (s) => {
        expect(new Function(`/* ${safeComment(s).text} */ return 1;`)()).toBe(1);
        expect(new Function(`// ${safeComment(s).text}\nreturn 2;`)()).toBe(2);
      }),
      { numRuns: 500 },
    );
  });

  it("JSON values become expressions equal to them, __proto__ keys included", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(evaluate(jsonLiteral(v).text)).toEqual(v);
      }),
    );
    const tricky = JSON.parse('{"__proto__": {"polluted": true}, "a": ["__proto__"]}') as Record<
      string,
      unknown
    >;
    const back = evaluate(jsonLiteral(tricky).text) as Record<string, unknown>;
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.keys(back)).toEqual(["__proto__", "a"]);
    expect(back).toEqual(tricky);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });

  it("interpolates only code, names, strings, finite numbers, booleans, null, bigints and lists of them", () => {
    expect(
      js`f(${'a"b'}, ${-0}, ${1.5}, ${true}, ${null}, ${10n}, ${[1, "x"]}, ${new JsCode("g()")})`.text,
    ).toBe('f("a\\"b", -0, 1.5, true, null, 10n, [1, "x"], g())');
    expect(() => js`${Number.NaN}`).toThrow("non-finite");
    expect(() => js`${Number.POSITIVE_INFINITY}`).toThrow("non-finite");
    expect(() => js`${{ a: 1 } as never}`).toThrow("cannot interpolate a object");
    expect(() => js`${undefined as never}`).toThrow("cannot interpolate a undefined");
  });

  it("names must be identifiers, and not reserved words", () => {
    expect(new JsName("K0").text).toBe("K0");
    expect(new JsName("$_x9").text).toBe("$_x9");
    for (const bad of [
      "",
      "1a",
      "a-b",
      "a b",
      "a;b",
      "return",
      "await",
      "eval",
      "undefined",
      "\u2028",
      "a\u00e9",
    ]) {
      expect(() => new JsName(bad), bad).toThrow("invalid JS identifier");
    }
    expect(() => new JsName("a;b", Symbol("checked")), "only the scope's own token skips the check").toThrow(
      "invalid JS identifier",
    );
  });

  it("a scope numbers names per prefix, and a bad prefix fails on every use", () => {
    const scope = new Scope();
    expect([scope.name("K"), scope.name("t"), scope.name("K"), scope.name("K")].map((n) => n.text)).toEqual([
      "K0",
      "t0",
      "K1",
      "K2",
    ]);
    for (const bad of ["", "1", "a;b", "x=1;a"]) {
      expect(() => scope.name(bad), bad).toThrow("invalid JS identifier");
      expect(() => scope.name(bad), `${bad} again`).toThrow("invalid JS identifier");
    }
  });

  it("string literals escape the line separators JSON leaves as they are", () => {
    expect(safeString("a\u2028b\u2029c")).toBe('"a\\u2028b\\u2029c"');
    expect(safeString('plain "quoted"')).toBe('"plain \\"quoted\\""');
  });
});

const TEMPLATE_TOOLS = JSON.stringify({
  tools: [
    { name: "t.x", inputSchema: { type: "object", properties: { a: { type: "string" } }, required: ["a"] } },
  ],
});
const TEMPLATE = `policy "p" version "1"
default deny
tools from "./tools.json"
@id("R0") deny t.x when args.a == "v" and seen(t.x within 1h) and provenance(args.a) has result(t.x) because "why"
@id("R1") deny t.x when args.a matches /x/i or args.a in ["v", "w"]
on result t.x when result.a == "v" { label RESTRICTED }
validate t.x { len(args.a) < 1000 because "short" }
`;
const template = compileSource(
  makeSource("p.aarm", TEMPLATE),
  memoryHost({ "p.aarm": TEMPLATE, "tools.json": TEMPLATE_TOOLS }),
).ir!;
const REGEXES = [
  "\\*\\/ x",
  '"; globalThis.__pwned = 1; "',
  "\\x{2028}",
  "\u2028",
  "</script>",
  "\\$\\{x\\}",
  "[`'\"]",
  "a\\/b",
];

/** The template's IR with hostile names everywhere they reach generated code. */
function hostileIr(s: {
  id: string;
  tool: string;
  arg: string;
  value: string;
  name: string;
  file: string;
  regex: string;
}): IrPolicy {
  // The template's only strings "t.x", "a" and "v" are its tool, its argument and its literal.
  const names: Record<string, string> = { "t.x": s.tool, a: s.arg, v: s.value };
  const rename = (x: unknown): unknown => {
    if (typeof x === "string") return names[x] ?? x;
    if (Array.isArray(x)) return x.map(rename);
    if (x && typeof x === "object") {
      return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, k === "regex" ? s.regex : rename(v)]));
    }
    return x;
  };
  const ir = rename(template) as IrPolicy & { rules: { id: string }[]; tools: Record<string, unknown> };
  return {
    ...ir,
    name: s.name,
    source: { ...ir.source, file: s.file },
    tools: { [s.tool]: ir.tools["t.x"] } as IrPolicy["tools"],
    rules: ir.rules.map((r, i) => ({ ...r, id: `${s.id}${i}` })),
    tagRules: ir.tagRules.map((t) => ({ ...t, id: s.id })),
  } as IrPolicy;
}

function session(tool: string): SessionView {
  return {
    request: "r",
    identity: () => "x",
    labels: new Set(),
    level: 0,
    drift: 0,
    actions: 1,
    context: () => null,
    seen: (tools) => tools.includes(tool),
    count: () => 1,
    sequence: () => false,
    provenance: () => new Set([`tool:${tool}`]),
  };
}

describe("generated modules", () => {
  it("stay intact with hostile rule ids, tool and argument names, strings, regexes, policy and file names", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          id: unicode,
          tool: unicode,
          arg: unicode,
          value: unicode,
          name: unicode,
          file: unicode,
          regex: fc.constantFrom(...REGEXES),
        }),
        async (s) => {
          const ir = hostileIr(s);
          const source = emitEvaluator(ir);
          expect(source).not.toMatch(/[\u2028\u2029]/);
          const compiled = await evaluatorFromSource(source);
          const interpreted = irEvaluator(ir);
          for (const value of [s.value, `${s.value}!`, "x"]) {
            const env = {
              tool: s.tool,
              args: { [s.arg]: value },
              now: 0,
              session: session(s.tool),
              drift: 0,
              result: { [s.arg]: value },
            };
            for (const i of [0, 1]) expect(compiled.rule(i, env)).toEqual(interpreted.rule(i, env));
            expect(compiled.tag(0, env)).toEqual(interpreted.tag(0, env));
            expect(compiled.constraint(0, 0, env)).toEqual(interpreted.constraint(0, 0, env));
          }
          const hit = {
            tool: s.tool,
            args: { [s.arg]: s.value },
            now: 0,
            session: session(s.tool),
            drift: 0,
          };
          expect(compiled.rule(0, hit)).toBe(true);
          expect(compiled.rule(1, hit)).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("read an argument by name exactly as getPath does: own members only, absent and undefined as null", async () => {
    for (const arg of ["a", "__proto__", "constructor", "toString", "hasOwnProperty", "length", "0"]) {
      const ir = hostileIr({ id: "r", tool: "t", arg, value: "v", name: "p", file: "p.aarm", regex: "x" });
      const compiled = await evaluatorFromSource(emitEvaluator(ir));
      const interpreted = irEvaluator(ir);
      const inherited = Object.create({ [arg]: "v" }) as Record<string, unknown>;
      const own = JSON.parse(`{${JSON.stringify(arg)}: "v"}`) as Record<string, unknown>;
      const argsList: unknown[] = [
        {},
        { [arg]: undefined },
        { [arg]: null },
        own,
        inherited,
        Object.assign(Object.create(null) as object, { [arg]: "v" }),
        ["v"],
        null,
        undefined,
        "v",
        7,
      ];
      for (const args of argsList) {
        const env = { tool: "t", args: args as Record<string, unknown>, now: 0, session: session("t"), drift: 0 };
        for (const i of [0, 1]) expect(compiled.rule(i, env)).toEqual(interpreted.rule(i, env));
      }
      const env = { tool: "t", args: own, now: 0, session: session("t"), drift: 0 };
      expect(compiled.rule(1, env)).toBe(true);
    }
  });

  it("comment every function with the rule it comes from, safely", () => {
    const ir = hostileIr({
      id: "*/ evil",
      tool: "t.x",
      arg: "a",
      value: "v",
      name: "n",
      file: "f */.aarm",
      regex: "x",
    });
    const source = emitEvaluator(ir);
    expect(source).toContain('/* rule "* / evil0" f * /.aarm[');
    expect(source.split("\n")[0]).toMatch(
      /^\/\/ Generated by aarmc [\d.]+ from f \* \/\.aarm \(sha256 [0-9a-f]{64}\), policy "n"\. Do not edit\.$/,
    );
  });

  it("hoists one constant per distinct span, whatever the offsets", () => {
    const HOISTS_SPAN = new Set(["and", "or", "not", "cmp", "call"]);
    // Spans the compiler never makes (past 2^26, negative, fractional) next to ones that would collide if
    // start and end were packed into one number without bounds.
    const spans: [number, number][] = [
      [0, 2 ** 26],
      [1, 0],
      [2 ** 26, 0],
      [0, 0],
      [-1, 5],
      [1.5, 2],
      [1, 0],
    ];
    let k = 0;
    const respan = (x: unknown): unknown => {
      if (Array.isArray(x)) return x.map(respan);
      if (x && typeof x === "object") {
        return Object.fromEntries(
          Object.entries(x).map(([key, v]) => [
            key,
            key === "at" && HOISTS_SPAN.has((x as { op?: string }).op ?? "")
              ? spans[k++ % spans.length]
              : respan(v),
          ]),
        );
      }
      return x;
    };
    const ir = {
      ...template,
      rules: template.rules.map((r) => ({ ...r, cond: respan(r.cond) })),
    } as IrPolicy;
    const hoisted = [
      ...emitEvaluator(ir).matchAll(/const K\d+ = Object\.freeze\(\[(-?[\d.]+), (-?[\d.]+)\]\);/g),
    ].map((m) => `${m[1]},${m[2]}`);
    expect(k).toBeGreaterThanOrEqual(spans.length);
    expect(hoisted.length, "no span hoisted twice").toBe(new Set(hoisted).size);
    for (const [a, b] of spans) expect(hoisted).toContain(`${a},${b}`);
  });

  it("is deterministic", () => {
    expect(emitEvaluator(template)).toBe(emitEvaluator(structuredClone(template)));
  });
});
