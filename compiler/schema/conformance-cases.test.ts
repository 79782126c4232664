import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { ToolsDecl } from "../../language/index.js";
import { makeSource, parse, schema } from "../../language/index.js";
import { nodeHost } from "../host.js";
import { loadTools } from "./index.js";

// Every AARM3xxx code has a golden case under conformance/diagnostics/<kebab-case factory name>/ whose tools file
// produces exactly that code (the golden runner renders them; this guards that each case still means what it says).
const root = fileURLToPath(new URL("../../conformance/diagnostics/", import.meta.url));
const kebab = (name: string): string => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

describe("conformance/diagnostics cases for AARM3xxx", () => {
  const dirs = new Set(readdirSync(root));
  for (const [name, entry] of Object.entries(schema)) {
    it(`${entry.code} ${name}`, () => {
      const dir = kebab(name);
      expect(dirs.has(dir)).toBe(true);
      const policyPath = `${root}${dir}/policy.aarm`;
      const { ast, diagnostics } = parse(makeSource(policyPath, readFileSync(policyPath, "utf8")));
      expect(diagnostics).toEqual([]);
      const decl = ast.decls.find((d): d is ToolsDecl => d.kind === "ToolsDecl");
      if (decl === undefined) throw new Error("no tools declaration");
      const loaded = loadTools(nodeHost, policyPath, decl);
      expect(loaded.diagnostics.map((d) => d.code)).toEqual([entry.code]);
    });
  }
});
