/**
 * Test harness for the checker (graphql-js style): build ToolSchema fixtures directly, check a policy fragment
 * after a fixed prelude, and get the diagnostics as `{code, message, at: "line:col"}` with lines counted from the
 * fragment's first line. Used by the colocated *.test.ts files only.
 */
import { lineCol, makeSource, parse, type Diagnostic, type ToolsDecl } from "../../../language/index.js";
import type { CheckedPolicy } from "../../model.js";
import type { NumberType, ObjectType, Property, StringType, ToolSchema, Type } from "../../types.js";
import { checkPolicy } from "../index.js";
import type { ToolFile } from "../tools.js";

/** A string type. */
export const str = (o: Omit<StringType, "kind"> = {}): StringType => ({ kind: "string", ...o });
/** A number type. */
export const num = (o: Omit<NumberType, "kind" | "integer"> = {}): NumberType => ({
  kind: "number",
  integer: false,
  ...o,
});
/** An integer type. */
export const int = (o: Omit<NumberType, "kind" | "integer"> = {}): NumberType => ({
  kind: "number",
  integer: true,
  ...o,
});
/** The boolean type. */
export const bool: Type = { kind: "boolean" };
/** The null type. */
export const nul: Type = { kind: "null" };
/** A list type. */
export const list = (element: Type, o: { maxItems?: number } = {}): Type => ({ kind: "list", element, ...o });
/** A union type. */
export const oneOf = (...members: Type[]): Type => ({ kind: "union", members });

/** An object type; names ending in `?` are optional. */
export function obj(props: Record<string, Type>, additional: Type | boolean = false): ObjectType {
  const properties = new Map<string, Property>();
  for (const [k, type] of Object.entries(props)) {
    const optional = k.endsWith("?");
    properties.set(optional ? k.slice(0, -1) : k, { type, required: !optional });
  }
  return { kind: "object", properties, additional };
}

/** A tool; argument names ending in `?` are optional. */
export function tool(name: string, args: Record<string, Type>, output?: Type): ToolSchema {
  return {
    name,
    input: obj(args),
    rawInputSchema: {},
    sourceFile: "tools.json",
    ...(output ? { output } : {}),
  };
}

/** The standard fixture tools. */
export const TOOLS: readonly ToolSchema[] = [
  tool("send_money", {
    recipient: str(),
    amount: num({ minimum: 0, maximum: 100000 }),
    currency: str({ enum: ["EUR", "USD", "GBP", "CHF"] }),
    "memo?": str({ maxLength: 140 }),
  }),
  tool("email.send", {
    to: list(str(), { maxItems: 50 }),
    "cc?": list(str()),
    subject: str({ maxLength: 200 }),
    body: str(),
  }),
  tool("slack.post_message", { channel: str(), text: str() }),
  tool(
    "db.query",
    {
      sql: str({ maxLength: 10000 }),
      table: str({ enum: ["customers", "orders", "employees"] }),
      "limit?": int({ minimum: 1, maximum: 1000 }),
      "rows?": int(),
      "options?": obj({ timeout: int(), "label?": str() }),
      "params?": obj({}, str()),
      "filters?": list(obj({ column: str(), value: str() })),
      "mode?": oneOf(str({ enum: ["ro", "rw"] }), nul),
    },
    obj({ rows: list(obj({}, true)), "count?": int() }),
  ),
  tool("db.delete", { table: str() }),
  tool("read_file", { path: str(), "encoding?": str({ enum: ["utf8", "base64"] }) }),
  tool("http.post", { url: str({ format: "uri" }), body: str(), "headers?": obj({}, str()) }),
  tool("calendar.list_events", { "day?": str() }),
  tool("calendar.create_event", { title: str(), attendees: list(str()) }),
  tool("get_webpage", { url: str() }, obj({ status: int(), body: str() })),
  tool("run-shell", { program: str(), "argv?": list(str()) }),
  tool("credentials.rotate", { name: str() }),
  tool("docs.share", { doc: str(), role: str({ enum: ["viewer", "editor"] }), recipients: list(str()) }),
];

/** What every fragment is checked after (3 lines). */
export const PRELUDE = 'policy "t" version "1.0.0"\ndefault deny\ntools from "tools.json"\n';
const PRELUDE_LINES = 3;

/** The checker's output for a test policy, with the parser's diagnostics. */
export interface Checked {
  readonly diagnostics: readonly Diagnostic[];
  readonly model: CheckedPolicy | undefined;
  readonly parseDiagnostics: readonly Diagnostic[];
}

/**
 * Check a policy. A text starting with `policy` is a whole file; anything else is a fragment checked after
 * PRELUDE. `tools` are given to every `tools from` declaration (or per path, as a record).
 */
export function checkText(
  text: string,
  tools: readonly ToolSchema[] | Record<string, readonly ToolSchema[]> = TOOLS,
): Checked {
  const whole = text.startsWith("policy");
  const source = makeSource("policy.aarm", whole ? text : PRELUDE + text);
  const parsed = parse(source);
  const decls = parsed.ast.decls.filter((d): d is ToolsDecl => d.kind === "ToolsDecl");
  const toolFiles: ToolFile[] = decls.map((decl) => ({
    decl,
    tools: Array.isArray(tools)
      ? (tools as readonly ToolSchema[])
      : ((tools as Record<string, readonly ToolSchema[]>)[decl.path.value] ?? []),
    failed: false,
  }));
  const syntaxErrors = parsed.diagnostics.some((d) => d.severity === "error");
  const out = checkPolicy({ source, ast: parsed.ast, toolFiles, syntaxErrors });
  return { diagnostics: out.diagnostics, model: out.model, parseDiagnostics: parsed.diagnostics };
}

/** A diagnostic as the tests compare it. */
export interface Shown {
  readonly code: string;
  readonly message: string;
  /** `line:col` of the span start, lines counted from the fragment's first line. */
  readonly at: string;
}

/** The checker's diagnostics of a fragment (or file), sorted by position. Fails on parse errors. */
export function diagnose(
  text: string,
  tools?: readonly ToolSchema[] | Record<string, readonly ToolSchema[]>,
): Shown[] {
  const whole = text.startsWith("policy");
  const c = checkText(text, tools);
  const syntaxErrors = c.parseDiagnostics.filter((d) => d.severity === "error");
  if (syntaxErrors.length > 0)
    throw new Error(`syntax errors: ${syntaxErrors.map((d) => d.message).join("; ")}`);
  const source = makeSource("policy.aarm", whole ? text : PRELUDE + text);
  const offset = whole ? 0 : PRELUDE_LINES;
  return [...c.diagnostics]
    .sort((a, b) => (a.span?.start ?? 0) - (b.span?.start ?? 0))
    .map((d) => {
      const lc = lineCol(source, d.span?.start ?? 0);
      return { code: d.code, message: d.message, at: `${lc.line - offset}:${lc.column}` };
    });
}

/** Just the codes, in position order. */
export function codes(
  text: string,
  tools?: readonly ToolSchema[] | Record<string, readonly ToolSchema[]>,
): string[] {
  return diagnose(text, tools).map((d) => d.code);
}
