/**
 * `aarm identity issue --key KEYFILE --iss NAME --sub S --kind human|service|agent [--role R] [--scope S]...
 * [--group G]... [--delegation P]... [--ttl 1h]`: print a signed identity assertion (docs/identity.md) — for tests,
 * for approvers, and for a gateway that vouches for its callers.
 */
import { isAbsolute, join } from "node:path";
import { KeyFileError, readSecretKey } from "../host/keys.js";
import { createSigner } from "../runtime/crypto/ed25519.js";
import { issueAssertion, type PrincipalKind } from "../runtime/identity/index.js";
import type { ParsedArgs, UsageError } from "./args.js";
import { EXIT_OK, EXIT_USAGE, type Command } from "./command.js";
import type { Io } from "./io.js";

const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `90s`, `15m`, `1h`, `7d` → milliseconds. */
export function parseDuration(text: string): number | null {
  const m = /^([1-9][0-9]*)(ms|s|m|h|d)$/.exec(text);
  return m ? Number(m[1]) * UNITS[m[2]!]! : null;
}

async function run(args: ParsedArgs, io: Io): Promise<number | UsageError> {
  const [action, ...rest] = args.positionals;
  if (action !== "issue")
    return {
      error: action === undefined ? "expected 'issue'" : `unknown action '${action}' (expected 'issue')`,
    };
  if (rest.length > 0) return { error: `unexpected operand '${rest[0]}'` };
  const get = (name: string) => {
    const v = args.options.get(name);
    return typeof v === "string" ? v : undefined;
  };
  for (const required of ["key", "iss", "sub", "kind"])
    if (get(required) === undefined) return { error: `--${required} is required` };
  const ttlText = get("ttl") ?? "1h";
  const ttlMs = parseDuration(ttlText);
  if (ttlMs === null)
    return { error: `invalid --ttl '${ttlText}' (expected a number and a unit: 90s, 15m, 1h, 7d)` };
  const keyPath = get("key")!;
  let signer;
  try {
    signer = await createSigner(readSecretKey(isAbsolute(keyPath) ? keyPath : join(io.cwd, keyPath)));
  } catch (e) {
    io.err(`aarm identity: ${e instanceof KeyFileError ? e.message : String(e)}\n`);
    return EXIT_USAGE;
  }
  const list = (name: string) => args.lists?.get(name);
  const role = get("role");
  const token = await issueAssertion(
    signer,
    {
      iss: get("iss")!,
      sub: get("sub")!,
      kind: get("kind") as PrincipalKind,
      ...(role !== undefined ? { role } : {}),
      ...(list("scope") ? { scopes: [...list("scope")!] } : {}),
      ...(list("group") ? { groups: [...list("group")!] } : {}),
      ...(list("delegation") ? { delegation: [...list("delegation")!] } : {}),
    },
    { ttlMs },
  );
  io.out(`${token}\n`);
  return EXIT_OK;
}

export const identityCommand: Command = {
  name: "identity",
  summary: "issue a signed identity assertion",
  operands: "issue",
  description:
    "Print a signed identity assertion (a compact JWS, alg EdDSA, typ aarm-id+jwt) for a human, service or\n" +
    "agent. The runtime accepts it when --iss names a trusted issuer whose public keys include KEYFILE's.",
  options: [
    { name: "key", kind: "string", valueName: "KEYFILE", description: "the issuer's secret key (.key.json)" },
    { name: "iss", kind: "string", valueName: "NAME", description: "the issuer's name" },
    { name: "sub", kind: "string", valueName: "SUBJECT", description: "who the assertion is about" },
    {
      name: "kind",
      kind: "string",
      choices: ["human", "service", "agent"],
      description: "the kind of principal",
    },
    { name: "role", kind: "string", valueName: "ROLE", description: "the principal's role" },
    { name: "scope", kind: "string", valueName: "SCOPE", repeatable: true, description: "a privilege scope" },
    {
      name: "group",
      kind: "string",
      valueName: "GROUP",
      repeatable: true,
      description: "a group (approver groups)",
    },
    {
      name: "delegation",
      kind: "string",
      valueName: "PRINCIPAL",
      repeatable: true,
      description: "the delegation chain, original principal first",
    },
    {
      name: "ttl",
      kind: "string",
      valueName: "DURATION",
      description: "validity (default 1h): 90s, 15m, 1h, 7d",
    },
  ],
  exitStatus: "0 printed, 2 usage error or unreadable key.",
  run,
};
