/**
 * Adapter: an MCP `tools/call` JSON-RPC request → ActionRequest. The tool is `params.name` (prefixed like a policy's
 * `tools from "..." as prefix`), the arguments are `params.arguments` (absent means `{}`), and the JSON-RPC id is
 * the nonce that tells two identical calls apart.
 */
import { z } from "zod";
import {
  type AdapterResult,
  failure,
  fromZod,
  isPlainObject,
  jsonObjectSnapshot,
  typeError,
  JsonObject,
  TOOL_NAME,
  ToolName,
} from "./action.js";

const Envelope = z.object(
  {
    jsonrpc: z.literal("2.0", { error: 'must be "2.0"' }),
    id: z.union([z.string(), z.number().finite()], {
      error: "must be a string or a number (a request, not a notification)",
    }),
    method: z.string({ error: "must be a string" }),
    params: z.unknown().optional(),
  },
  typeError("must be a JSON-RPC request object"),
);

const Params = z.object(
  {
    name: ToolName,
    arguments: JsonObject.optional(),
    _meta: z.record(z.string(), z.unknown()).optional(),
  },
  typeError("must be an object"),
);

/** A tool-name prefix: no whitespace or `*` (and not empty). */
const PREFIX = /^[^\s*]+$/;

const Options = z
  .object({
    prefix: z.string().regex(PREFIX, "must be a tool-name prefix").optional(),
  })
  .strict();

/** Options of fromMcp. */
export type McpOptions = z.input<typeof Options>;

/**
 * The request as a client sends it — a plain JSON-RPC `tools/call` with a valid tool name, JSON arguments (or none)
 * and no `_meta` — converted by hand, and `options` with at most a valid prefix. Null for anything else, which the
 * schemas then judge; for these they accept exactly what this accepts and convert it alike (a differential test
 * holds them together).
 */
function plainCall(message: unknown, options: unknown): AdapterResult | null {
  if (!isPlainObject(options)) return null;
  for (const k in options) if (k !== "prefix") return null;
  const prefix = options["prefix"];
  if (prefix !== undefined && (typeof prefix !== "string" || !PREFIX.test(prefix))) return null;
  if (!isPlainObject(message)) return null;
  const { jsonrpc, id, method, params } = message;
  if (jsonrpc !== "2.0" || method !== "tools/call" || !isPlainObject(params)) return null;
  if (typeof id !== "string" && !(typeof id === "number" && Number.isFinite(id))) return null;
  const { name, arguments: given, _meta } = params;
  if (typeof name !== "string" || !TOOL_NAME.test(name) || _meta !== undefined) return null;
  const args = given === undefined ? {} : jsonObjectSnapshot(given);
  if (args === null) return null;
  return {
    ok: true,
    request: {
      tool: prefix === undefined ? name : `${prefix}.${name}`,
      operation: "tools/call",
      args,
      source: { kind: "mcp", requestId: id },
      nonce: id,
    },
  };
}

/** Convert an MCP `tools/call` request. Other methods and malformed params are errors naming the field. */
export function fromMcp(message: unknown, options: McpOptions = {}): AdapterResult {
  return plainCall(message, options) ?? fromMcpBySchema(message, options);
}

/** fromMcp with every request judged by the schemas. */
export function fromMcpBySchema(message: unknown, options: McpOptions = {}): AdapterResult {
  const o = Options.safeParse(options);
  if (!o.success) return fromZod(o.error, "options");
  const env = Envelope.safeParse(message);
  if (!env.success) return fromZod(env.error);
  const { id, method, params } = env.data;
  if (method !== "tools/call") {
    return failure(
      "unsupported_method",
      "method",
      `expected "tools/call", got ${JSON.stringify(method)}; only tool calls are actions`,
    );
  }
  if (params === undefined) return failure("invalid_request", "params", "is required for tools/call");
  const p = Params.safeParse(params);
  if (!p.success) return fromZod(p.error, "params");
  const prefix = o.data.prefix;
  return {
    ok: true,
    request: {
      tool: prefix === undefined ? p.data.name : `${prefix}.${p.data.name}`,
      operation: "tools/call",
      args: p.data.arguments ?? {},
      source: { kind: "mcp", requestId: id },
      nonce: id,
    },
  };
}
