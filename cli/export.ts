/**
 * `aarm export FILE.jsonl --format ocsf|cef|otlp [--to URL] [--keys DIR] [filters] [--include-parameters]
 * [--redact PATH]...`: batch export of a receipt file for historical analysis (AARM R8; docs/telemetry.md).
 * Without --to, events go to standard output (OCSF and OTLP as JSON lines, CEF as lines); with --to, OTLP goes to
 * a collector (`<URL>/v1/logs`, `<URL>/v1/metrics`) and OCSF is POSTed as JSON arrays. With --keys the file is
 * verified first and nothing is exported from a file that does not verify.
 */
import { readFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { KeyFileError, readKeyDir } from "../host/keys.js";
import type { DecisionEffect } from "../runtime/decide/decision.js";
import {
  ReceiptSchema,
  receiptHash,
  receiptLine,
  verifyReceiptText,
  type Receipt,
  type ReceiptKind,
} from "../runtime/receipts/index.js";
import {
  checkFilter,
  createTelemetryExporter,
  httpJson,
  otlpHttp,
  type TelemetryDestination,
  type TelemetryFilter,
  type TelemetryRecord,
} from "../runtime/telemetry/index.js";
import type { ParsedArgs, UsageError } from "./args.js";
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type Command } from "./command.js";
import type { Io } from "./io.js";
import { packageVersion } from "./version.js";

type Loaded = { records: TelemetryRecord[] } | { error: string };

function parseLines(text: string): Loaded {
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  const records: TelemetryRecord[] = [];
  for (const [i, line] of lines.entries()) {
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      return { error: `line ${i + 1}: not JSON` };
    }
    const r = ReceiptSchema.safeParse(json);
    if (!r.success) {
      const issue = r.error.issues[0];
      return {
        error: `line ${i + 1}: ${issue?.path.join(".") || "receipt"}: ${issue?.message ?? "not a receipt"}`,
      };
    }
    const receipt = r.data as Receipt;
    records.push({ receipt, hash: receiptHash(receiptLine(receipt)) });
  }
  return { records };
}

async function load(text: string, keysDir: string | undefined, io: Io): Promise<Loaded> {
  if (keysDir === undefined) {
    io.err("aarm export: the receipts are not verified (give --keys DIR to verify them first)\n");
    return parseLines(text);
  }
  let keys;
  try {
    keys = readKeyDir(keysDir);
  } catch (e) {
    return { error: e instanceof KeyFileError ? e.message : String(e) };
  }
  const v = await verifyReceiptText(text, { keys });
  if (v.firstError)
    return {
      error: `line ${v.firstError.line}: ${v.firstError.problem}: ${v.firstError.message}; nothing exported`,
    };
  return { records: v.entries.map((receipt) => ({ receipt, hash: receiptHash(receiptLine(receipt)) })) };
}

function filterOf(args: ParsedArgs): TelemetryFilter | UsageError {
  const list = (name: string) => args.lists?.get(name) ?? [];
  const identities = Object.fromEntries(
    (["human", "service", "agent", "role"] as const)
      .map((k) => [k, list(k)] as const)
      .filter(([, v]) => v.length > 0),
  );
  const filter: TelemetryFilter = {
    kinds: list("kind") as ReceiptKind[],
    tools: list("tool"),
    decisions: list("decision") as DecisionEffect[],
    sessions: list("session"),
    identities,
  };
  const problem = checkFilter(filter);
  return problem ? { error: problem.replace(/^filter\.(?:identities\.)?(\w+?)s?:/, "--$1:") } : filter;
}

function headersOf(args: ParsedArgs): { headers: Record<string, string> } | UsageError {
  const headers: Record<string, string> = {};
  for (const h of args.lists?.get("header") ?? []) {
    const m = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*(.*)$/.exec(h);
    if (!m) return { error: `--header: expected 'Name: value', got '${h}'` };
    headers[m[1]!.toLowerCase()] = m[2]!;
  }
  return { headers };
}

function destinationOf(
  format: string,
  to: string | undefined,
  headers: Record<string, string>,
  io: Io,
): TelemetryDestination | UsageError {
  const timeoutMs = 10_000;
  if (format === "cef") {
    if (to !== undefined) return { error: "--to is for ocsf and otlp; CEF lines go to standard output" };
    return { format: "cef", send: (lines) => io.out(lines.map((l) => `${l}\n`).join("")) };
  }
  if (format === "ocsf") {
    if (to !== undefined) return { format: "ocsf", send: httpJson({ url: to, timeoutMs, headers }) };
    return { format: "ocsf", send: (events) => io.out(events.map((e) => `${JSON.stringify(e)}\n`).join("")) };
  }
  if (to !== undefined) return { format: "otlp", send: otlpHttp({ url: to, timeoutMs, headers }) };
  return {
    format: "otlp",
    send: ({ logs, metrics }) =>
      io.out(`${JSON.stringify(logs)}\n${metrics ? `${JSON.stringify(metrics)}\n` : ""}`),
  };
}

interface ExportOptions {
  readonly format: string;
  readonly to: string | undefined;
  readonly filter: TelemetryFilter;
  readonly destination: TelemetryDestination;
  readonly maxBatch: number;
  readonly redact: readonly string[];
}

/** Check every option before any file is read. */
function parseOptions(args: ParsedArgs, io: Io): ExportOptions | UsageError {
  if (args.positionals.length !== 1) return { error: "export takes one receipt file" };
  const format = args.options.get("format");
  if (typeof format !== "string") return { error: "--format ocsf|cef|otlp is required" };
  const toOption = args.options.get("to");
  const to = typeof toOption === "string" ? toOption : undefined;
  if (to !== undefined && !/^https?:\/\/[^/]/.test(to))
    return { error: `--to: expected an http:// or https:// URL, got '${to}'` };
  const filter = filterOf(args);
  if ("error" in filter) return filter;
  const parsedHeaders = headersOf(args);
  if ("error" in parsedHeaders) return parsedHeaders;
  const { headers } = parsedHeaders;
  if (Object.keys(headers).length > 0 && to === undefined) return { error: "--header needs --to" };
  const destination = destinationOf(format, to, headers, io);
  if ("error" in destination) return destination;
  const batchOption = args.options.get("batch");
  const maxBatch = typeof batchOption === "string" ? Number(batchOption) : 500;
  if (!Number.isInteger(maxBatch) || maxBatch < 1)
    return { error: `--batch: expected a positive integer, got '${String(batchOption)}'` };
  const redact = args.lists?.get("redact") ?? [];
  const bad = redact.find((p) => !/^[^.]+(\.[^.]+)*$/.test(p));
  if (bad !== undefined)
    return { error: `--redact: '${bad}' is not a dotted path such as action.parameters.body` };
  return { format, to, filter, destination, maxBatch, redact };
}

async function run(args: ParsedArgs, io: Io): Promise<number | UsageError> {
  const options = parseOptions(args, io);
  if ("error" in options) return options;
  const { format, to, filter, destination: dest, maxBatch, redact } = options;
  const abs = (p: string) => (isAbsolute(p) ? p : join(io.cwd, p));
  const file = args.positionals[0]!;
  let text: string;
  try {
    text = readFileSync(abs(file), "utf8");
  } catch (e) {
    io.err(
      `aarm export: ${file}: cannot read the receipt file (${(e as { code?: string }).code ?? String(e)})\n`,
    );
    return EXIT_USAGE;
  }
  const keys = args.options.get("keys");
  const loaded = await load(text, typeof keys === "string" ? abs(keys) : undefined, io);
  if ("error" in loaded) {
    io.err(`aarm export: ${file}: ${loaded.error}\n`);
    return EXIT_FAILURE;
  }
  const errors: string[] = [];
  const exporter = createTelemetryExporter({
    destination: dest,
    filter,
    redaction: { parameters: args.options.has("include-parameters") ? "include" : "omit", redact },
    capacity: loaded.records.length + 1, // batch export: nothing may be dropped
    maxBatch,
    productVersion: packageVersion(),
    onError: (e) => errors.push(e.message),
  });
  for (const r of loaded.records) exporter.observe(r);
  await exporter.close();
  const s = exporter.stats();
  for (const e of errors) io.err(`aarm export: ${e}\n`);
  io.err(
    `aarm export: ${s.exported} of ${loaded.records.length} receipts exported as ${format}${to ? ` to ${to}` : ""} (${s.filtered} filtered out, ${s.failed} failed, ${s.batches} batch${s.batches === 1 ? "" : "es"})\n`,
  );
  return s.failed > 0 || s.dropped > 0 ? EXIT_FAILURE : EXIT_OK;
}

const list = (name: string, valueName: string, description: string) =>
  ({ name, kind: "string", valueName, repeatable: true, description }) as const;

export const exportCommand: Command = {
  name: "export",
  summary: "export a receipt file as OCSF, CEF or OpenTelemetry",
  operands: "FILE.jsonl",
  description:
    "Export the receipts of a JSONL receipt file for a SIEM: OCSF 1.1 events (JSON lines), CEF lines, or OTLP\n" +
    "JSON logs and metrics. Without --to they are printed; with --to, OTLP is sent to a collector\n" +
    "(URL/v1/logs, URL/v1/metrics) and OCSF is POSTed as JSON arrays. Parameters are left out unless\n" +
    "--include-parameters is given (receipts already omit what the policy redacts). With --keys the file is\n" +
    "verified first. Filters of one kind combine with 'or', different kinds with 'and'.",
  options: [
    {
      name: "format",
      short: "f",
      kind: "string",
      choices: ["ocsf", "cef", "otlp"],
      description: "the event format",
    },
    { name: "to", kind: "string", valueName: "URL", description: "send to a collector instead of printing" },
    {
      name: "header",
      kind: "string",
      valueName: "'NAME: VALUE'",
      repeatable: true,
      description: "an HTTP header for --to (e.g. the collector's authorization)",
    },
    {
      name: "keys",
      short: "k",
      kind: "string",
      valueName: "DIR",
      description: "verify the file with these public keys first",
    },
    list(
      "kind",
      "KIND",
      "only receipts of this kind (decision, approval, deferral, outcome, credential, kernel)",
    ),
    list("tool", "TOOL", "only this tool, or tools matching prefix.*"),
    list("decision", "EFFECT", "only this decision (ALLOW, DENY, MODIFY, STEP_UP, DEFER)"),
    list("human", "NAME", "only actions for this human"),
    list("agent", "NAME", "only actions by this agent"),
    list("service", "NAME", "only actions by this service"),
    list("role", "ROLE", "only actions under this role"),
    list("session", "ID", "only this session"),
    { name: "include-parameters", kind: "boolean", description: "export the parameters the receipts hold" },
    list("redact", "PATH", "replace this field by [REDACTED] (e.g. identity.human)"),
    { name: "batch", kind: "string", valueName: "N", description: "events per batch (default 500)" },
  ],
  exitStatus:
    "0 everything exported, 1 the file did not verify or a batch was not delivered, 2 usage or input error.",
  run,
};
