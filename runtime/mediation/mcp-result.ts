/**
 * Adapter, the other way: what an MCP `tools/call` result means for the session (ToolOutcome). The output is what
 * `on result` rules see: `structuredContent` when present, else the text blocks, else the content blocks. Whatever
 * else in the result the model can read is `seen`, a provenance source as well: the text blocks beside
 * `structuredContent`, and the text, URI, name and description of embedded resources and resource links — a value
 * the model read there (an IBAN in an attached file) is still traced to the tool. An error result's error is its
 * text. Content without text blocks is the output itself (its JSON is indexed whole). Images and audio are not
 * text and are left out. Reads any input defensively (the gateway checks the result against the MCP schema first;
 * an imported log may hold anything).
 */
import type { ToolOutcome } from "../api.js";
import { isPlainObject } from "./action.js";

type Rec = Record<string, unknown>;

/** The text blocks' text, joined by newlines; undefined when there is none. */
function mcpText(content: unknown): string | undefined {
  if (!Array.isArray(content)) return undefined;
  const texts: string[] = [];
  for (const c of content as unknown[])
    if (isPlainObject(c) && c["type"] === "text" && typeof c["text"] === "string") texts.push(c["text"]);
  return texts.length > 0 ? texts.join("\n") : undefined;
}

/** The readable text of the other blocks (embedded resources, resource links); undefined when there is none. */
function resourceText(content: unknown): string | undefined {
  if (!Array.isArray(content)) return undefined;
  const parts: string[] = [];
  const add = (o: Rec, keys: readonly string[]) => {
    for (const k of keys) if (typeof o[k] === "string" && o[k] !== "") parts.push(o[k] as string);
  };
  for (const c of content as unknown[]) {
    if (!isPlainObject(c)) continue;
    if (c["type"] === "resource" && isPlainObject(c["resource"])) add(c["resource"], ["uri", "text"]);
    else if (c["type"] === "resource_link") add(c, ["uri", "name", "title", "description"]);
  }
  return parts.length > 0 ? parts.join("\n") : undefined;
}

const joined = (...parts: (string | undefined)[]): string | undefined => {
  const present = parts.filter((p): p is string => p !== undefined);
  return present.length > 0 ? present.join("\n") : undefined;
};

/** The outcome of an MCP `tools/call` result (see the module's comment). */
export function mcpResultOutcome(result: unknown): ToolOutcome {
  const r = isPlainObject(result) ? result : {};
  const text = mcpText(r["content"]);
  const resources = resourceText(r["content"]);
  if (r["isError"] === true) return { error: text ?? "the tool reported an error" };
  const structured = r["structuredContent"];
  const [output, seen] =
    structured !== undefined
      ? [structured, joined(text, resources)]
      : text !== undefined
        ? [text, resources]
        : [r["content"] ?? [], undefined];
  return seen !== undefined ? { output, seen } : { output };
}
