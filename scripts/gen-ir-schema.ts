/**
 * Writes docs/ir.schema.json, the published JSON Schema of the IR, from runtime/ir/schema.ts.
 * `--check` fails when the committed file is stale.
 */
import { fileURLToPath } from "node:url";
import { irJsonSchema } from "../runtime/ir/index.js";
import { writeGenerated } from "./generated-file.js";

const target = fileURLToPath(new URL("../docs/ir.schema.json", import.meta.url));
const text = `${JSON.stringify(irJsonSchema(), null, 2)}\n`;
process.exit(writeGenerated(target, text, "docs/ir.schema.json", process.argv));
