/**
 * Strict JSON with positions: jsonc-parser's syntax tree (comments and trailing commas rejected), plus the helpers
 * the loader needs to turn tree nodes into spans and plain values.
 */
import jsonc from "jsonc-parser";
import type { Diagnostic, Source, Span } from "../../language/index.js";
import { schema as codes } from "../../language/index.js";

/** A node of jsonc-parser's syntax tree (offsets are UTF-16, like Span). */
export type JsonNode = jsonc.Node;

/** A JSON pointer as segments: property names and array indexes. */
export type JsonPath = readonly (string | number)[];

/** Arrays and objects may nest at most this deep (AARM3016). */
export const MAX_JSON_DEPTH = 128;

/** The result of parsing a tools file: the tree (when the text is JSON) and any problems. */
export interface ParsedJson {
  readonly root: JsonNode | undefined;
  readonly diagnostics: readonly Diagnostic[];
}

const errorText: Readonly<Record<number, string>> = {
  1: "unexpected character",
  2: "invalid number",
  3: "expected a property name in double quotes",
  4: "expected a value",
  5: "expected ':'",
  6: "expected ',' between elements",
  7: "expected '}'",
  8: "expected ']'",
  9: "expected the end of the file",
  10: "comments are not allowed",
  11: "unterminated comment",
  12: "unterminated string",
  13: "unterminated number",
  14: "invalid unicode escape",
  15: "invalid escape character",
  16: "invalid character in string",
};

/** A span of at least one character where the text allows it (zero-width squiggles are invisible). */
function visibleSpan(text: string, start: number, length: number): Span {
  const s = Math.min(start, text.length);
  return { start: s, end: Math.min(text.length, Math.max(s + length, s + 1)) };
}

/** Offset of the first bracket that opens nesting level `MAX_JSON_DEPTH + 1`, or -1. Strings are skipped. */
export function excessiveNesting(text: string, limit: number = MAX_JSON_DEPTH): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 /* [ */ || c === 123 /* { */) {
      if (++depth > limit) return i;
    } else if (c === 93 /* ] */ || c === 125 /* } */) depth--;
  }
  return -1;
}

/** Parse strict JSON. Reports the first syntax error only (later ones are usually its cascade). */
export function parseJson(source: Source): ParsedJson {
  const text = source.text;
  const deep = excessiveNesting(text);
  if (deep >= 0) {
    return {
      root: undefined,
      diagnostics: [codes.schemaTooDeep(source.id, visibleSpan(text, deep, 1), { limit: MAX_JSON_DEPTH })],
    };
  }
  const errors: jsonc.ParseError[] = [];
  const root = jsonc.parseTree(text, errors, { disallowComments: true, allowTrailingComma: false });
  const first = errors[0];
  if (first !== undefined || root === undefined) {
    const offset = first?.offset ?? 0;
    const reason =
      text.trim() === ""
        ? "the file is empty"
        : first === undefined
          ? "expected a value"
          : describeError(text, first);
    return {
      root: undefined,
      diagnostics: [codes.invalidJson(source.id, visibleSpan(text, offset, first?.length ?? 0), { reason })],
    };
  }
  return { root, diagnostics: duplicateKeys(source.id, root) };
}

function describeError(text: string, e: jsonc.ParseError): string {
  const at = text[e.offset];
  if (
    (e.error === 3 || e.error === 4) &&
    (at === "}" || at === "]") &&
    /,\s*$/.test(text.slice(0, e.offset))
  ) {
    return "trailing comma";
  }
  if (e.error === 1) {
    const t = text.slice(e.offset, e.offset + Math.min(e.length, 24));
    if (t.startsWith("'")) return "strings and keys need double quotes, not single quotes";
    if (/^[A-Za-z_$]/.test(t)) return `unexpected word ${t}; strings and keys need double quotes`;
  }
  if (e.offset >= text.length && e.error !== 9)
    return `unexpected end of file (${errorText[e.error] ?? "syntax error"})`;
  return errorText[e.error] ?? "syntax error";
}

/** AARM3018 for every repeated key, with the first occurrence as related information. */
function duplicateKeys(sourceId: string, root: JsonNode): Diagnostic[] {
  const out: Diagnostic[] = [];
  const stack: JsonNode[] = [root];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (node.type === "object") {
      const seen = new Map<string, JsonNode>();
      for (const prop of node.children ?? []) {
        const key = prop.children?.[0];
        if (key === undefined || typeof key.value !== "string") continue;
        const first = seen.get(key.value);
        if (first === undefined) seen.set(key.value, key);
        else {
          out.push(
            codes.duplicateKey(
              sourceId,
              spanOf(key),
              { key: JSON.stringify(key.value) },
              {
                related: [{ sourceId, span: spanOf(first), message: "first occurrence" }],
              },
            ),
          );
        }
      }
    }
    for (const child of node.children ?? []) stack.push(child);
  }
  return out.sort((a, b) => (a.span?.start ?? 0) - (b.span?.start ?? 0));
}

/** The span a node covers. */
export function spanOf(node: JsonNode): Span {
  return { start: node.offset, end: node.offset + node.length };
}

/**
 * A short span that names a node: for an object or array that is a property's value, the property's key
 * (`"inputSchema"`); for another object or array, its opening bracket; otherwise the node itself.
 */
export function anchorSpan(node: JsonNode): Span {
  if (node.type !== "object" && node.type !== "array") return spanOf(node);
  const parent = node.parent;
  const key = parent?.type === "property" ? parent.children?.[0] : undefined;
  return key !== undefined ? spanOf(key) : { start: node.offset, end: node.offset + 1 };
}

/** The value node of property `key` of an object node (the last one, as JSON.parse keeps the last). */
export function member(node: JsonNode, key: string): JsonNode | undefined {
  if (node.type !== "object") return undefined;
  let found: JsonNode | undefined;
  for (const prop of node.children ?? []) {
    if (prop.children?.[0]?.value === key) found = prop.children[1];
  }
  return found;
}

/** Follow a path from a node; undefined when some segment does not exist. */
export function nodeAt(node: JsonNode, path: JsonPath): JsonNode | undefined {
  let cur: JsonNode | undefined = node;
  for (const seg of path) {
    if (cur === undefined) return undefined;
    if (cur.type === "array") {
      const i = typeof seg === "number" ? seg : /^(0|[1-9][0-9]*)$/.test(seg) ? Number(seg) : -1;
      cur = cur.children?.[i];
    } else {
      cur = member(cur, String(seg));
    }
  }
  return cur;
}

/** Split a JSON pointer ("/a/b~1c") into segments. */
export function pointerSegments(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/**
 * The plain value of a node, with JSON.parse's semantics: ordinary objects, the last duplicate key wins, and a
 * `"__proto__"` key becomes an own property (never the prototype).
 */
export function nodeToValue(node: JsonNode): unknown {
  switch (node.type) {
    case "object": {
      const obj: Record<string, unknown> = {};
      for (const prop of node.children ?? []) {
        const [k, v] = prop.children ?? [];
        if (k === undefined || v === undefined || typeof k.value !== "string") continue;
        Object.defineProperty(obj, k.value, {
          value: nodeToValue(v),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return obj;
    }
    case "array":
      return (node.children ?? []).map(nodeToValue);
    case "property":
      return undefined;
    default:
      return node.value as unknown;
  }
}

/** "an object", "a string", ... for messages. */
export function describeNode(node: JsonNode): string {
  switch (node.type) {
    case "object":
      return "an object";
    case "array":
      return "an array";
    case "string":
      return "a string";
    case "number":
      return "a number";
    case "boolean":
      return "a boolean";
    case "null":
      return "null";
    default:
      return "a property";
  }
}
