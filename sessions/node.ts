/**
 * Node edge of sessions/: reading recorded-session files (`.jsonl`, or gzip-compressed `.jsonl.gz`) and the
 * AgentDojo data set's gzip JSONL, one record at a time. Kept out of index.ts so that the format, the importers
 * and replay stay portable.
 */
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { importAgentDojo, type AgentDojoOptions } from "./agentdojo.js";
import type { RecordedSession } from "./format.js";

/** The text of a file, gunzipped when its name ends in `.gz`. Throws an Error naming the file. */
export function readText(path: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new Error(`${path}: cannot read (${(e as { code?: string }).code ?? String(e)})`);
  }
  if (path.endsWith(".gz")) {
    try {
      bytes = gunzipSync(bytes);
    } catch {
      throw new Error(`${path}: not a gzip file`);
    }
  }
  return bytes.toString("utf8");
}

/** Every AgentDojo session of a data-set file (gzip JSONL), imported; `filter` sees the raw record first. */
export function readAgentDojo(
  path: string,
  options: AgentDojoOptions & { readonly filter?: (record: Record<string, unknown>) => boolean } = {},
): RecordedSession[] {
  const out: RecordedSession[] = [];
  readText(path)
    .split("\n")
    .forEach((line, i) => {
      if (line.trim() === "") return;
      let record: Record<string, unknown>;
      try {
        record = JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new Error(`${path}:${i + 1}: not valid JSON`);
      }
      if (options.filter && !options.filter(record)) return;
      try {
        out.push(importAgentDojo(record, options));
      } catch (e) {
        throw new Error(`${path}:${i + 1}: ${e instanceof Error ? e.message : String(e)}`);
      }
    });
  return out;
}
