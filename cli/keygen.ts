/**
 * `aarm keygen --out DIR [--name NAME]`: a new Ed25519 key pair as `NAME.key.json` (secret, mode 0600) and
 * `NAME.pub.json` (public) in DIR. Rotating keys means generating one under a new name: old public keys stay in the
 * folder so `aarm verify` still checks the receipts they signed.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { KeyFileError, writeNewKeyPair } from "../host/keys.js";
import type { ParsedArgs, UsageError } from "./args.js";
import { EXIT_OK, EXIT_USAGE, type Command } from "./command.js";
import { displayPath, type Io } from "./io.js";

function run(args: ParsedArgs, io: Io): number | UsageError {
  if (args.positionals.length > 0) return { error: `unexpected operand '${args.positionals[0]}'` };
  const out = args.options.get("out");
  if (typeof out !== "string") return { error: "--out DIR is required" };
  const name = args.options.get("name");
  const keyName = typeof name === "string" ? name : "signing";
  const dir = join(io.cwd, out);
  const show = displayPath(io.cwd);
  for (const suffix of [".key.json", ".pub.json"]) {
    const path = join(dir, `${keyName}${suffix}`);
    if (existsSync(path)) {
      io.err(
        `aarm keygen: ${show(path)} already exists; choose another --name (keep old public keys for verify)\n`,
      );
      return EXIT_USAGE;
    }
  }
  let written;
  try {
    written = writeNewKeyPair(dir, keyName);
  } catch (e) {
    const message = e instanceof KeyFileError ? e.message : `${show(dir)}: ${(e as Error).message}`;
    io.err(`aarm keygen: ${message}\n`);
    return EXIT_USAGE;
  }
  io.out(
    `key ${written.keys.keyId}\n  secret: ${show(written.secretPath)} (mode 0600; keep it private)\n` +
      `  public: ${show(written.publicPath)}\n`,
  );
  return EXIT_OK;
}

export const keygenCommand: Command = {
  name: "keygen",
  summary: "generate an Ed25519 signing key pair",
  operands: "",
  description:
    "Write a new Ed25519 key pair into DIR: NAME.key.json (the secret key, mode 0600) and NAME.pub.json (the\n" +
    "public key, as a JWK). To rotate, generate a key under a new name and keep the old .pub.json files: every\n" +
    "public key in the folder verifies the receipts it signed.",
  options: [
    {
      name: "out",
      short: "o",
      kind: "string",
      valueName: "DIR",
      description: "the key folder (created if needed)",
    },
    { name: "name", kind: "string", valueName: "NAME", description: "the key's file name (default signing)" },
  ],
  exitStatus: "0 written, 2 usage error or the files already exist.",
  run,
};
