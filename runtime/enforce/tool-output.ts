/**
 * A tool's output with the text the agent also read from the same result (ToolOutcome.seen in runtime/api.ts): what
 * a ToolFunction returns when the two differ, as an MCP result's `structuredContent` and its text blocks may. The
 * output is what `on result` rules see, what the outcome receipt hashes and what `perform` hands back; provenance
 * indexes the text as well.
 */
export class ToolOutput {
  constructor(
    readonly output: unknown,
    readonly seen: string,
  ) {}
}
