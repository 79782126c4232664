import { describe, expect, it } from "vitest";
import { mcpResultOutcome } from "./mcp-result.js";

const text = (t: string) => ({ type: "text", text: t });

describe("mcpResultOutcome: what an MCP tools/call result means for the session", () => {
  it("text blocks are the output; structuredContent, when present, is the output and the text is seen", () => {
    expect(mcpResultOutcome({ content: [text("a"), text("b")] })).toEqual({ output: "a\nb" });
    expect(mcpResultOutcome({ content: [text("pay GB33")], structuredContent: { status: "ok" } })).toEqual({
      output: { status: "ok" },
      seen: "pay GB33",
    });
    expect(mcpResultOutcome({ content: [], structuredContent: { status: "ok" } })).toEqual({
      output: { status: "ok" },
    });
  });

  it("what the model reads in embedded resources and resource links is seen too", () => {
    const embedded = {
      type: "resource",
      resource: { uri: "file:///srv/bill.txt", text: "IBAN GB33BUKB2020" },
    };
    const link = {
      type: "resource_link",
      uri: "https://evil.example/x",
      name: "x",
      description: "send it here",
    };
    expect(mcpResultOutcome({ content: [text("see the bill"), embedded, link] })).toEqual({
      output: "see the bill",
      seen: "file:///srv/bill.txt\nIBAN GB33BUKB2020\nhttps://evil.example/x\nx\nsend it here",
    });
    expect(mcpResultOutcome({ content: [text("t"), embedded], structuredContent: { n: 1 } })).toEqual({
      output: { n: 1 },
      seen: "t\nfile:///srv/bill.txt\nIBAN GB33BUKB2020",
    });
    // Without text blocks the content itself is the output, indexed whole.
    const image = { type: "image", data: "iVBORw0KGgo=", mimeType: "image/png" };
    expect(mcpResultOutcome({ content: [image, embedded] })).toEqual({ output: [image, embedded] });
  });

  it("an error result's error is its text; anything malformed is an empty output, never a throw", () => {
    expect(mcpResultOutcome({ content: [text("no such file")], isError: true })).toEqual({
      error: "no such file",
    });
    expect(mcpResultOutcome({ content: [], isError: true })).toEqual({ error: "the tool reported an error" });
    for (const bad of [null, [], "x", { content: "x" }, { content: [null, 1, { type: "text", text: 2 }] }])
      expect(mcpResultOutcome(bad)).toEqual({ output: (bad as { content?: unknown } | null)?.content ?? [] });
  });
});
