import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { names, target } from "../../language/index.js";
import { unexercised } from "../../conformance/diagnostics/unexercised.js";
import { nodeHost } from "../host.js";
import { checkFile } from "../index.js";

// Every AARM2xxx and AARM4xxx code has a golden case under conformance/diagnostics/<kebab-case factory name>/
// whose policy reports exactly that code (the golden runner renders them; this guards that each case still
// means what it says).
const root = fileURLToPath(new URL("../../conformance/diagnostics/", import.meta.url));
const kebab = (name: string): string => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

describe("conformance/diagnostics cases for AARM2xxx and AARM4xxx", () => {
  const dirs = new Set(readdirSync(root));
  for (const [name, entry] of Object.entries({ ...names, ...target })) {
    if (entry.code in unexercised) continue;
    it(`${entry.code} ${name}`, () => {
      const dir = kebab(name);
      expect(dirs.has(dir), `conformance/diagnostics/${dir}/ is missing`).toBe(true);
      const result = checkFile(`${root}${dir}/policy.aarm`, nodeHost);
      const codes = [...new Set(result.diagnostics.map((d) => d.code))];
      expect(codes, result.diagnostics.map((d) => d.message).join("\n")).toEqual([entry.code]);
    });
  }
});
