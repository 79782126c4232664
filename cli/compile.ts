/**
 * `aarmc compile POLICY [-o DIR [--key KEYFILE]] [--emit KIND]`: check a policy and, if it
 * has no errors, emit an artifact. Each artifact kind is one entry of `EMITTERS`. Without --emit, `-o DIR` writes
 * a bundle: the IR (ir.json), the JS evaluator (evaluator.mjs), summary.json, the kernel target (kernel/, see
 * targets/bpf) and manifest.json (signed with --key; see cli/bundle-out.ts), and prints the summary.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type CompileResult, compileFile } from "../compiler/compile.js";
import { irJsonSchema, type IrPolicy } from "../runtime/ir/index.js";
import { hasErrors, type Policy, type Source } from "../language/index.js";
import { renderDiagnostics, renderSummary } from "../language/diagnostics/render.js";
import type { ParsedArgs, UsageError } from "./args.js";
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type Command } from "./command.js";
import { displayPath, useColor, type Io } from "./io.js";
import { type PolicySummary, summarize, summaryText } from "./summary.js";
import { BundleWriteError, signerFromKeyFile, writeBundle } from "./bundle-out.js";
import type { Signer } from "../runtime/crypto/ed25519.js";
import { KERNEL_FILES } from "../targets/bpf/index.js";
import { expectLongRunOn } from "./tiering.js";

/** A policy that checked without errors. */
export interface CheckedPolicy {
  readonly result: CompileResult;
  readonly ir: IrPolicy;
  readonly evaluatorSource: string;
  readonly kernel: NonNullable<CompileResult["kernel"]>;
  readonly ast: Policy;
  readonly source: Source;
}

/** One kind of compiler output. */
export interface Emitter {
  /** The file written into the `-o` directory. */
  readonly file: string;
  /** The file's contents. */
  contents(p: CheckedPolicy): string;
  /** What is printed when there is no `-o` directory (and, for text-only emitters, also when there is). */
  print(p: CheckedPolicy): string;
  /** Whether `print` is also shown when writing to `-o` (a human-readable report rather than the artifact). */
  readonly printAlways: boolean;
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

function kernelText(p: CheckedPolicy, name: string): string {
  const v = p.kernel.files.get(name);
  return typeof v === "string" ? v : "";
}

/** A policy's summary, made once: writing a bundle both stores and prints it (and it reloads the tool files). */
const summaries = new WeakMap<CheckedPolicy, PolicySummary>();
function summaryOf(p: CheckedPolicy): PolicySummary {
  let s = summaries.get(p);
  if (!s) summaries.set(p, (s = summarize(p.ast, p.source)));
  return s;
}

/** The artifact kinds `--emit` accepts. */
export const EMITTERS: Readonly<Record<string, Emitter>> = {
  summary: {
    file: "summary.json",
    contents: (p) => json(summaryOf(p)),
    print: (p) => summaryText(summaryOf(p)),
    printAlways: true,
  },
  ast: {
    file: "ast.json",
    contents: (p) => json(p.ast),
    print: (p) => json(p.ast),
    printAlways: false,
  },
  ir: {
    file: "ir.json",
    contents: (p) => json(p.ir),
    print: (p) => json(p.ir),
    printAlways: false,
  },
  js: {
    file: "evaluator.mjs",
    contents: (p) => p.evaluatorSource,
    print: (p) => p.evaluatorSource,
    printAlways: false,
  },
  "kernel-maps": {
    file: "maps.json",
    contents: (p) => kernelText(p, KERNEL_FILES.mapsJson),
    print: (p) => kernelText(p, KERNEL_FILES.mapsJson),
    printAlways: false,
  },
  "kernel-c": {
    file: "policy.bpf.c",
    contents: (p) => kernelText(p, KERNEL_FILES.program),
    print: (p) => kernelText(p, KERNEL_FILES.program),
    printAlways: false,
  },
  "ir-schema": {
    file: "ir.schema.json",
    contents: () => json(irJsonSchema()),
    print: () => json(irJsonSchema()),
    printAlways: false,
  },
};

/** What `-o DIR` writes when no --emit is given. */
const DEFAULT_OUTPUTS = ["ir", "js", "summary"] as const;

function reason(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "ENOTDIR" || code === "EEXIST") return "a file is in the way";
  return e instanceof Error ? e.message : String(e);
}

/** The compiled policy, or undefined when it has errors. */
function checked(result: CompileResult): CheckedPolicy | undefined {
  const { ast, source, ir, evaluatorSource, kernel } = result;
  if (hasErrors(result.diagnostics) || !ast || !source || !ir || !evaluatorSource || !kernel) return undefined;
  return { result, ast, source, ir, evaluatorSource, kernel };
}

async function run(args: ParsedArgs, io: Io): Promise<number | UsageError> {
  if (args.positionals.length === 0) return { error: "no policy given" };
  if (args.positionals.length > 1)
    return { error: "compile takes one policy (the one that imports the others)" };
  const file = args.positionals[0] ?? "";
  const emitOption = args.options.get("emit") as string | undefined;
  const emitter = EMITTERS[emitOption ?? "summary"];
  if (!emitter) return { error: "unknown --emit value" };
  const keyFile = args.options.get("key");
  if (typeof keyFile === "string" && (emitOption !== undefined || !args.options.has("out"))) {
    return { error: "--key signs a bundle: use it with -o DIR and without --emit" };
  }
  let signer: Signer | undefined;
  if (typeof keyFile === "string") {
    try {
      signer = await signerFromKeyFile(keyFile);
    } catch (e) {
      io.err(`aarmc compile: ${e instanceof Error ? e.message : String(e)}\n`);
      return EXIT_USAGE;
    }
  }
  expectLongRunOn([file]);
  const result = compileFile(file);
  const displayName = displayPath(io.cwd);
  if (result.diagnostics.length > 0) {
    io.err(
      renderDiagnostics(result.diagnostics, result.sources, { color: useColor(io, "stderr"), displayName }),
    );
    io.err(`\n${renderSummary(result.diagnostics)}\n`);
  }
  const policy = checked(result);
  if (!policy) return EXIT_FAILURE;
  const outDir = args.options.get("out");
  if (typeof outDir !== "string") {
    io.out(emitter.print(policy));
    return EXIT_OK;
  }
  if (emitOption === undefined) {
    const files = new Map<string, string | Uint8Array>([
      ...DEFAULT_OUTPUTS.map((k) => [EMITTERS[k]!.file, EMITTERS[k]!.contents(policy)] as const),
      ...policy.kernel.files,
    ]);
    let written: string[];
    try {
      written = await writeBundle(outDir, files, policy.ir, signer);
    } catch (err) {
      if (!(err instanceof BundleWriteError)) throw err;
      io.err(`aarmc compile: cannot write ${err.target}: ${reason(err.cause)}\n`);
      return EXIT_FAILURE;
    }
    io.out(emitter.print(policy));
    io.out(`Wrote ${written.join(", ")}${signer ? ` (signed with key ${signer.keyId})` : " (unsigned)"}.\n`);
    return EXIT_OK;
  }
  const target = join(outDir, emitter.file);
  try {
    mkdirSync(outDir, { recursive: true });
    writeFileSync(target, emitter.contents(policy));
  } catch (err) {
    io.err(`aarmc compile: cannot write ${target}: ${reason(err)}\n`);
    return EXIT_FAILURE;
  }
  if (emitter.printAlways) io.out(emitter.print(policy));
  io.out(`Wrote ${target}.\n`);
  return EXIT_OK;
}

/** The `compile` command. */
export const compileCommand: Command = {
  name: "compile",
  summary: "check a policy and emit compiler output",
  operands: "POLICY",
  description:
    "Check POLICY and, if it has no errors, emit what it compiles to. Without --emit, prints what the policy\n" +
    "declares and, with -o DIR, writes a bundle: DIR/ir.json (the IR), DIR/evaluator.mjs (the JS evaluator),\n" +
    "DIR/summary.json, the kernel target in DIR/kernel/ (maps.json, maps.bin, policy.bpf.c, aarm-kernel.h and\n" +
    "enforced.txt, the list of what the kernel enforces) and DIR/manifest.json (every file's sha256; signed with\n" +
    "Ed25519 when --key names a secret key file). --emit summary|ast|ir|js|kernel-maps|kernel-c|ir-schema emits\n" +
    "just that (ir-schema: the IR's JSON Schema).\n" +
    "Diagnostics go to standard error, so standard output holds only the emitted output.",
  options: [
    { name: "out", short: "o", kind: "string", valueName: "DIR", description: "write the output into DIR" },
    {
      name: "emit",
      kind: "string",
      choices: Object.keys(EMITTERS),
      description: "what to emit (default summary)",
    },
    {
      name: "key",
      kind: "string",
      valueName: "KEYFILE",
      description: "sign the bundle with this secret key (a JWK file)",
    },
  ],
  exitStatus:
    "0 compiled, 1 errors in the policy or the output could not be written, 2 usage error or unreadable key.",
  run,
};
