/**
 * docs/gateway.md cannot drift from the command: its JSON client configurations parse, every option they and the
 * options table use is an option of `aarm gateway`, and every option of `aarm gateway` is documented.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { gatewayCommand } from "../cli/gateway.js";

const text = readFileSync(new URL("./gateway.md", import.meta.url), "utf8");
const blocks = [...text.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]!);
const known = new Set(gatewayCommand.options.map((o) => o.name));

describe("docs/gateway.md", () => {
  it("has client configurations that are valid JSON", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(3);
    for (const b of blocks) expect(() => JSON.parse(b) as unknown).not.toThrow();
  });

  it("uses only options that aarm gateway has, in the Claude Desktop configuration and everywhere else", () => {
    const claude = JSON.parse(blocks[0]!) as { mcpServers: Record<string, { args: string[] }> };
    const args = Object.values(claude.mcpServers)[0]!.args;
    const own = args.slice(0, args.indexOf("--")).filter((a) => a.startsWith("--"));
    expect(own.filter((o) => !known.has(o.slice(2)))).toEqual([]);
    const mentioned = [...text.matchAll(/`--([a-z-]+)/g)].map((m) => m[1]!).filter((o) => o !== "");
    const others = new Set([
      "url",
      "identity",
      "key",
      "out",
      "name",
      "iss",
      "sub",
      "kind",
      "group",
      "comment",
      "keys",
    ]);
    expect(mentioned.filter((o) => !known.has(o) && !others.has(o))).toEqual([]);
  });

  it("documents every option of aarm gateway", () => {
    expect([...known].filter((o) => !text.includes(`--${o}`))).toEqual([]);
  });
});
