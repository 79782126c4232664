/**
 * The policy operand of `aarm test` and `aarm explain`: a policy source (`.aarm`, compiled in memory into the IR
 * and the generated evaluator, exactly as `aarmc compile` would) or a bundle folder, verified against the public
 * keys of `--keys DIR` — or, with `--dev`, loaded even when unsigned (every file's hash is still checked).
 */
import { isAbsolute, join } from "node:path";
import { statSync } from "node:fs";
import { compileFile } from "../compiler/compile.js";
import { loadBundleDir } from "../host/bundle.js";
import { KeyFileError, readKeyDir } from "../host/keys.js";
import { hasErrors } from "../language/index.js";
import { renderDiagnostics, renderSummary } from "../language/diagnostics/render.js";
import { loadPolicy, type Policy } from "../runtime/api.js";
import { BundleError } from "../runtime/bundle/index.js";
import { evaluatorFromSource } from "../runtime/compiled.js";
import type { OptionSpec } from "./args.js";
import { displayPath, useColor, type Io } from "./io.js";

/** The options every command that loads a policy accepts. */
export const POLICY_OPTIONS: readonly OptionSpec[] = [
  {
    name: "keys",
    short: "k",
    kind: "string",
    valueName: "DIR",
    description: "trusted public keys (*.pub.json) for a bundle",
  },
  {
    name: "dev",
    kind: "boolean",
    description: "development mode: accept an unsigned bundle (says so loudly)",
  },
];

/** A loaded policy and, for a source, its text (so conditions are shown in the policy's own words). */
export interface PolicyInput {
  readonly policy: Policy;
  readonly source?: string;
}

const isDir = (p: string) => {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
};

/** Load the policy operand; on failure print why (prefixed with `command`) and return null. */
export async function loadPolicyInput(
  operand: string,
  options: ReadonlyMap<string, string | true>,
  io: Io,
  command: string,
): Promise<PolicyInput | null> {
  const abs = (p: string) => (isAbsolute(p) ? p : join(io.cwd, p));
  const fail = (message: string) => {
    io.err(`${command}: ${message}\n`);
    return null;
  };
  if (isDir(abs(operand))) {
    const keysDir = options.get("keys");
    const dev = options.get("dev") === true;
    if (typeof keysDir !== "string" && !dev)
      return fail(`${operand}: a bundle is loaded only with --keys DIR (or --dev for an unsigned one)`);
    try {
      const trustedKeys = typeof keysDir === "string" ? readKeyDir(abs(keysDir)) : new Map();
      const loaded = await loadBundleDir(abs(operand), {
        trustedKeys,
        allowUnsigned: dev,
        warn: (m: string) => io.err(`${m}\n`),
      });
      return { policy: loaded.policy };
    } catch (e) {
      if (e instanceof BundleError || e instanceof KeyFileError) return fail(`${operand}: ${e.message}`);
      throw e;
    }
  }
  if (options.has("keys") || options.has("dev"))
    return fail(`${operand}: --keys and --dev apply to a bundle folder, not a policy source`);
  const result = compileFile(abs(operand));
  if (hasErrors(result.diagnostics) || !result.ir || !result.evaluatorSource || !result.source) {
    io.err(
      renderDiagnostics(result.diagnostics, result.sources, {
        color: useColor(io, "stderr"),
        displayName: displayPath(io.cwd),
      }),
    );
    io.err(`\n${renderSummary(result.diagnostics)}\n`);
    return fail(`${operand}: the policy has errors; nothing was tested`);
  }
  const evaluator = await evaluatorFromSource(result.evaluatorSource, result.ir.source.sha256);
  return { policy: loadPolicy(result.ir, { evaluator }), source: result.source.text };
}
