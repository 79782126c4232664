/**
 * The trivial MCP server's tools (bench/trivial-server.ts) and the command that starts it, for the gateway's
 * tests and load benchmark.
 */
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

const object = (properties: Record<string, unknown> = {}, required: string[] = []) => ({
  type: "object",
  properties,
  required,
  additionalProperties: false,
});

/** The tools, as `tools/list` gives them (also the policy's tools.json in tests). */
export const TRIVIAL_TOOLS = [
  {
    name: "echo",
    description: "Return the text",
    inputSchema: object({ text: { type: "string" } }, ["text"]),
  },
  { name: "crash", description: "Exit the server process", inputSchema: object() },
  { name: "garbage", description: "Answer with a malformed result", inputSchema: object() },
  { name: "silent", description: "Never answer", inputSchema: object() },
  {
    name: "ask",
    description: "Ask the client's model a question (sampling/createMessage), whatever the client declared",
    inputSchema: object(),
  },
  {
    name: "report",
    description: "Return the text in a text block, and only a status in structuredContent",
    inputSchema: object({ text: { type: "string" } }, ["text"]),
    outputSchema: object({ status: { type: "string" } }, ["status"]),
  },
];

/** `node --import tsx bench/trivial-server.ts ...args`, runnable from any folder. */
export function trivialServerCommand(args: readonly string[] = []): { command: string; args: string[] } {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
  const script = fileURLToPath(new URL("./trivial-server.ts", import.meta.url));
  return { command: process.execPath, args: ["--import", tsx, script, ...args] };
}
