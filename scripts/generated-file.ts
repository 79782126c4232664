/**
 * The one write-or-check step every generator shares: write `text` to `target`, or with `--check` report whether
 * the committed file is stale. Returns the process exit code.
 */
import { readFileSync, writeFileSync } from "node:fs";

/** Write the generated file, or check it is current (`--check` in argv). */
export function writeGenerated(target: string, text: string, label: string, argv: readonly string[]): number {
  if (!argv.includes("--check")) {
    writeFileSync(target, text);
    return 0;
  }
  let current = "";
  try {
    current = readFileSync(target, "utf8");
  } catch {
    // a missing file is stale
  }
  if (current === text) return 0;
  console.error(`${label} is stale: run \`npm run gen\``);
  return 1;
}
