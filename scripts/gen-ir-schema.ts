/**
 * Writes docs/ir.schema.json, the published JSON Schema of the IR, from runtime/ir/schema.ts.
 * `--check` fails when the committed file is stale.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { irJsonSchema } from "../runtime/ir/index.js";

const target = fileURLToPath(new URL("../docs/ir.schema.json", import.meta.url));
const text = `${JSON.stringify(irJsonSchema(), null, 2)}\n`;
if (process.argv.includes("--check")) {
  let current = "";
  try {
    current = readFileSync(target, "utf8");
  } catch {
    // missing counts as stale
  }
  if (current !== text) {
    console.error("docs/ir.schema.json is stale: run `npm run gen`");
    process.exit(1);
  }
} else {
  writeFileSync(target, text);
}
