/**
 * `aarm verify FILE.jsonl --keys DIR [--timeline] [--format text|json] [--expect-head SEQ:HASH]`: check a
 * receipt file offline — schema, canonical form, sequence, chain, key ids and signatures (docs/receipts.md).
 */
import { readFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { KeyFileError, readKeyDir } from "../host/keys.js";
import { verifyReceiptText, type ChainHead } from "../runtime/receipts/index.js";
import type { ParsedArgs, UsageError } from "./args.js";
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type Command } from "./command.js";
import { displayPath, type Io } from "./io.js";
import { renderTimeline } from "./receipt-timeline.js";

function parseHead(text: string): ChainHead | UsageError {
  const m = /^([1-9][0-9]*):([0-9a-f]{64})$/.exec(text);
  if (!m) return { error: `invalid --expect-head '${text}' (expected SEQ:HASH, the hash as 64 hex digits)` };
  return { seq: Number(m[1]), hash: m[2]! };
}

async function run(args: ParsedArgs, io: Io): Promise<number | UsageError> {
  if (args.positionals.length === 0) return { error: "no receipt file given" };
  if (args.positionals.length > 1) return { error: "verify takes one receipt file" };
  const keysOption = args.options.get("keys");
  if (typeof keysOption !== "string") return { error: "--keys DIR is required" };
  const headOption = args.options.get("expect-head");
  const expectHead = typeof headOption === "string" ? parseHead(headOption) : undefined;
  if (expectHead && "error" in expectHead) return expectHead;
  const show = displayPath(io.cwd);
  const file = args.positionals[0]!;
  const abs = (p: string) => (isAbsolute(p) ? p : join(io.cwd, p));
  let keys;
  try {
    keys = readKeyDir(abs(keysOption));
  } catch (e) {
    io.err(`aarm verify: ${e instanceof KeyFileError ? e.message : String(e)}\n`);
    return EXIT_USAGE;
  }
  if (keys.size === 0) {
    io.err(`aarm verify: ${keysOption}: no public keys (*.pub.json) in the folder\n`);
    return EXIT_USAGE;
  }
  let text: string;
  try {
    text = readFileSync(abs(file), "utf8");
  } catch (e) {
    io.err(
      `aarm verify: ${file}: cannot read the receipt file (${(e as { code?: string }).code ?? String(e)})\n`,
    );
    return EXIT_USAGE;
  }
  const result = await verifyReceiptText(text, { keys, ...(expectHead ? { expectHead } : {}) });
  const { receipts, valid, firstError } = result;
  if (args.options.get("format") === "json") {
    io.out(`${JSON.stringify({ receipts, valid, firstError }, null, 2)}\n`);
    return valid ? EXIT_OK : EXIT_FAILURE;
  }
  if (args.options.has("timeline")) io.out(renderTimeline(result.entries));
  const name = show(file);
  if (firstError) {
    const seq = firstError.seq === null ? "" : ` (receipt ${firstError.seq})`;
    io.out(`${name}:${firstError.line}${seq}: ${firstError.problem}: ${firstError.message}\n`);
    io.out(
      `${name}: INVALID — ${receipts} receipt${receipts === 1 ? "" : "s"} before line ${firstError.line} verified\n`,
    );
    return EXIT_FAILURE;
  }
  const kids = new Set(result.entries.map((r) => r.sig.kid));
  io.out(
    `${name}: ${receipts} receipt${receipts === 1 ? "" : "s"} verified (chain intact, signed by ${kids.size} key${kids.size === 1 ? "" : "s"}; head ${result.head.seq}:${result.head.hash})\n`,
  );
  return EXIT_OK;
}

export const verifyCommand: Command = {
  name: "verify",
  summary: "verify a signed receipt file offline",
  operands: "FILE.jsonl",
  description:
    "Check every receipt in a JSONL receipt file: complete lines, schema, canonical JSON, sequence numbers, the\n" +
    "hash chain, key ids (any public key in the folder verifies the receipts it signed) and Ed25519 signatures.\n" +
    "Names the first bad receipt and what is wrong. Receipts cut off the end of a file leave a valid shorter\n" +
    "chain; --expect-head with a head recorded elsewhere catches that.",
  options: [
    {
      name: "keys",
      short: "k",
      kind: "string",
      valueName: "DIR",
      description: "folder of *.pub.json public keys",
    },
    { name: "timeline", kind: "boolean", description: "print each session's story before the verdict" },
    {
      name: "format",
      kind: "string",
      choices: ["text", "json"],
      description: "output format (default text)",
    },
    {
      name: "expect-head",
      kind: "string",
      valueName: "SEQ:HASH",
      description: "the file must hold this receipt",
    },
  ],
  exitStatus: "0 every receipt verified, 1 a receipt failed (the first is named), 2 usage or input error.",
  run,
};
