/**
 * `aarm approvals list|show|approve|reject`: the approval service's HTTP endpoint (host/approvals-http.ts) from
 * the command line. The endpoint is on loopback (`--url`, or AARM_APPROVALS_URL, default http://127.0.0.1:7420);
 * the caller's signed identity assertion comes from `--identity FILE` (as `aarm identity issue` prints it) or the
 * AARM_IDENTITY variable, and is never sent anywhere but loopback.
 */
import { readFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { DEFAULT_APPROVALS_PORT, isLoopback } from "../host/approvals-http.js";
import type { ApprovalSummary, ApprovalView } from "../runtime/approvals/index.js";
import type { ParsedArgs, UsageError } from "./args.js";
import { renderList, renderView } from "./approvals-render.js";
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type Command } from "./command.js";
import type { Io } from "./io.js";

const ACTIONS = ["list", "show", "approve", "reject"] as const;
type Action = (typeof ACTIONS)[number];

function option(args: ParsedArgs, name: string): string | undefined {
  const v = args.options.get(name);
  return typeof v === "string" ? v : undefined;
}

function endpoint(args: ParsedArgs, io: Io): URL | UsageError {
  const text =
    option(args, "url") ?? io.env["AARM_APPROVALS_URL"] ?? `http://127.0.0.1:${DEFAULT_APPROVALS_PORT}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { error: `invalid --url '${text}' (expected http://127.0.0.1:PORT)` };
  }
  if (url.protocol !== "http:")
    return { error: `invalid --url '${text}': the endpoint speaks plain http on loopback` };
  if (!isLoopback(url.hostname))
    return {
      error: `refusing --url '${text}': the approval endpoint is on loopback only, and identity assertions are not sent elsewhere`,
    };
  return url;
}

function identity(args: ParsedArgs, io: Io): string | { error: string; usage: boolean } {
  const file = option(args, "identity");
  if (file !== undefined) {
    try {
      const token = readFileSync(isAbsolute(file) ? file : join(io.cwd, file), "utf8").trim();
      if (token === "") return { error: `${file}: the identity file is empty`, usage: false };
      return token;
    } catch (e) {
      return {
        error: `${file}: cannot read the identity file (${(e as { code?: string }).code ?? String(e)})`,
        usage: false,
      };
    }
  }
  const env = io.env["AARM_IDENTITY"]?.trim();
  if (env) return env;
  return { error: "an identity assertion is required: --identity FILE or AARM_IDENTITY", usage: true };
}

interface Reply {
  readonly status: number;
  readonly body: {
    approvals?: ApprovalSummary[];
    approval?: ApprovalView;
    error?: { code: string; message: string };
  };
}

async function call(
  url: URL,
  token: string,
  method: "GET" | "POST",
  path: string,
  body?: unknown,
): Promise<Reply | string> {
  let res: Response;
  try {
    res = await fetch(new URL(path, url), {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    const why = cause?.code ?? cause?.message ?? (e instanceof Error ? e.message : String(e));
    return `cannot reach the approval endpoint at ${url.origin} (${why})`;
  }
  try {
    return { status: res.status, body: (await res.json()) as Reply["body"] };
  } catch {
    return `the approval endpoint at ${url.origin} sent a reply that is not JSON (HTTP ${res.status})`;
  }
}

interface Invocation {
  readonly action: Action;
  readonly id: string | undefined;
  readonly comment: string | undefined;
}

function invocation(args: ParsedArgs): Invocation | UsageError {
  const [verb, id, ...rest] = args.positionals;
  if (verb === undefined) return { error: "expected list, show, approve or reject" };
  if (!(ACTIONS as readonly string[]).includes(verb))
    return { error: `unknown action '${verb}' (expected list, show, approve or reject)` };
  const action = verb as Action;
  const extra = action === "list" ? id : rest[0];
  if (extra !== undefined) return { error: `unexpected operand '${extra}'` };
  if (action !== "list" && (id === undefined || id === ""))
    return { error: `${action} needs the request id (see 'aarm approvals list')` };
  const comment = option(args, "comment");
  if (comment !== undefined && (action === "list" || action === "show"))
    return { error: "--comment applies to approve and reject only" };
  return { action, id, comment };
}

function print(inv: Invocation, body: Reply["body"], json: boolean, io: Io): void {
  const now = Date.now();
  if (json) io.out(`${JSON.stringify(inv.action === "list" ? body.approvals : body.approval, null, 2)}\n`);
  else if (inv.action === "list") io.out(renderList(body.approvals ?? [], now));
  else if (inv.action === "show") io.out(renderView(body.approval!, now));
  else
    io.out(
      `${inv.action === "approve" ? "approved" : "rejected"} ${body.approval!.id}: the request is now ${body.approval!.status}\n`,
    );
}

async function run(args: ParsedArgs, io: Io): Promise<number | UsageError> {
  const inv = invocation(args);
  if ("error" in inv) return inv;
  const url = endpoint(args, io);
  if ("error" in url) return url;
  const token = identity(args, io);
  if (typeof token !== "string") {
    if (token.usage) return { error: token.error };
    io.err(`aarm approvals: ${token.error}\n`);
    return EXIT_USAGE;
  }
  const decide = inv.action === "approve" || inv.action === "reject";
  const path = `/v1/approvals${inv.id === undefined ? "" : `/${encodeURIComponent(inv.id)}`}${decide ? `/${inv.action}` : ""}`;
  const body = decide ? (inv.comment !== undefined ? { comment: inv.comment } : {}) : undefined;
  const reply = await call(url, token, decide ? "POST" : "GET", path, body);
  if (typeof reply === "string") {
    io.err(`aarm approvals: ${reply}\n`);
    return EXIT_USAGE;
  }
  if (reply.status !== 200 || reply.body.error) {
    const e = reply.body.error;
    io.err(`aarm approvals: ${e ? `${e.message} (${e.code})` : `HTTP ${reply.status}`}\n`);
    return EXIT_FAILURE;
  }
  print(inv, reply.body, option(args, "format") === "json", io);
  return EXIT_OK;
}

export const approvalsCommand: Command = {
  name: "approvals",
  summary: "list, show, approve or reject pending STEP_UP approvals",
  operands: "list | show ID | approve ID | reject ID",
  description:
    "Talk to a running approval service's loopback endpoint. 'list' shows the pending requests, 'show' one\n" +
    "request with the context an approver needs (the user's request, the action, prior actions, labels, the rule\n" +
    "and its reason), 'approve' and 'reject' decide as the human whose signed identity assertion is given.",
  options: [
    {
      name: "url",
      kind: "string",
      valueName: "URL",
      description: "the endpoint (default $AARM_APPROVALS_URL or http://127.0.0.1:7420)",
    },
    {
      name: "identity",
      short: "i",
      kind: "string",
      valueName: "FILE",
      description: "your signed identity assertion (default $AARM_IDENTITY)",
    },
    {
      name: "comment",
      short: "m",
      kind: "string",
      valueName: "TEXT",
      description: "why you approve or reject (recorded in the receipt)",
    },
    {
      name: "format",
      kind: "string",
      choices: ["text", "json"],
      description: "output format (default text)",
    },
  ],
  exitStatus:
    "0 done, 1 the service refused (unknown request, not an approver, already decided...), 2 usage error, unreadable identity or unreachable endpoint.",
  run,
};
