#!/usr/bin/env node
// The `aarmc` command. The implementation is the compiled TypeScript in dist/ (built by `npm run build`).
import { existsSync } from "node:fs";

const entry = new URL("../dist/cli/index.js", import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write("aarmc: the compiled code is missing: run npm run build\n");
  process.exit(2);
}
try {
  const { main } = await import(entry.href);
  await main("aarmc");
} catch (e) {
  process.stderr.write(`aarmc: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
  if (process.env.AARM_DEBUG === "1" && e instanceof Error) process.stderr.write(`${e.stack}\n`);
  process.exit(2);
}
