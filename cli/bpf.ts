/**
 * `aarm bpf build|load|unload|status|events|check`: the kernel target on this host (docs/kernel.md). `build`
 * compiles a bundle's BPF program with clang; `load` verifies the bundle, loads the program with the aarm-bpf
 * loader, fills its maps and attaches it for the agent's cgroup (or, asked explicitly, for every process);
 * `unload` detaches it; `status` and `events` report what it does; `check` says whether this kernel can enforce.
 */
import { isAbsolute, join } from "node:path";
import { kernelPolicyOf, recordKernelEvents } from "../host/bpf/events.js";
import {
  buildObject,
  KernelError,
  kernelBundle,
  kernelFiles,
  loaderLines,
  runLoader,
  tempMaps,
} from "../host/bpf/kernel-bundle.js";
import { KeyFileError, readKeyDir, readSecretKey } from "../host/keys.js";
import { openReceiptFile, ReceiptFileError } from "../host/receipt-file.js";
import { createSigner } from "../runtime/crypto/ed25519.js";
import { createReceiptWriter } from "../runtime/receipts/index.js";
import type { VerifyOptions } from "../runtime/bundle/index.js";
import type { ParsedArgs, UsageError } from "./args.js";
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type Command } from "./command.js";
import type { Io } from "./io.js";

const DEFAULT_PIN = "/sys/fs/bpf/aarm";
const ACTIONS = ["build", "load", "unload", "status", "events", "check"] as const;
type Action = (typeof ACTIONS)[number];

const str = (args: ParsedArgs, name: string) => {
  const v = args.options.get(name);
  return typeof v === "string" ? v : undefined;
};

function verifyOptions(args: ParsedArgs, abs: (p: string) => string, io: Io): VerifyOptions | UsageError {
  const trust = str(args, "trust");
  if (trust !== undefined && args.options.has("allow-unsigned"))
    return { error: "--trust and --allow-unsigned exclude each other" };
  if (trust === undefined) {
    if (!args.options.has("allow-unsigned"))
      return { error: "--trust KEYDIR is required (or --allow-unsigned in development)" };
    return { trustedKeys: [], allowUnsigned: true, warn: (m) => io.err(`aarm bpf: warning: ${m}\n`) };
  }
  return { trustedKeys: readKeyDir(abs(trust)) };
}

async function build(
  args: ParsedArgs,
  io: Io,
  abs: (p: string) => string,
  bundle: string,
): Promise<number | UsageError> {
  const verify = verifyOptions(args, abs, io);
  if ("error" in verify) return verify;
  const out = abs(str(args, "out") ?? `${bundle.replace(/\/+$/, "")}.bpf.o`);
  buildObject(await kernelFiles(abs(bundle), verify), out);
  io.out(`Wrote ${out}.\n`);
  return EXIT_OK;
}

async function load(
  args: ParsedArgs,
  io: Io,
  abs: (p: string) => string,
  bundle: string,
  pin: string,
): Promise<number | UsageError> {
  const cgroups = args.lists?.get("cgroup") ?? [];
  const unscoped = args.options.has("unscoped");
  if (cgroups.length === 0 && !unscoped) {
    return {
      error:
        "say whose processes to enforce on: --cgroup DIR (the agent's cgroup), or --unscoped for every process",
    };
  }
  if (cgroups.length > 0 && unscoped) return { error: "--unscoped and --cgroup exclude each other" };
  const verify = verifyOptions(args, abs, io);
  if ("error" in verify) return verify;
  const files = await kernelFiles(abs(bundle), verify);
  const given = str(args, "object");
  const maps = tempMaps(files);
  try {
    const object = given === undefined ? join(maps.path, "..", "policy.bpf.o") : abs(given);
    if (given === undefined) buildObject(files, object);
    const scope = unscoped ? ["--unscoped"] : cgroups.flatMap((c) => ["--cgroup", abs(c)]);
    io.out(runLoader(["load", object, maps.path, pin, ...scope]));
  } finally {
    maps.done();
  }
  return EXIT_OK;
}

/** `events`: print denials; with --receipts, also record each as a signed receipt of the bundle's policy. */
async function events(
  args: ParsedArgs,
  io: Io,
  abs: (p: string) => string,
  rest: readonly string[],
  pin: string,
): Promise<number | UsageError> {
  const extra = (["timeout-ms", "max"] as const).flatMap((o) => {
    const v = str(args, o);
    return v === undefined ? [] : [`--${o}`, v];
  });
  const receipts = str(args, "receipts");
  if (receipts === undefined) {
    if (rest.length > 0) return { error: `unexpected operand '${rest[0]}'` };
    io.out(runLoader(["events", pin, ...extra]));
    return EXIT_OK;
  }
  if (rest.length !== 1)
    return { error: "bpf events --receipts takes the bundle folder the program was loaded from" };
  const key = str(args, "key");
  if (key === undefined) return { error: "--receipts needs --key KEYFILE (the key that signs the receipts)" };
  const verify = verifyOptions(args, abs, io);
  if ("error" in verify) return verify;
  const bundle = await kernelBundle(abs(rest[0]!), verify);
  const policy = kernelPolicyOf(bundle.manifest, bundle.bundleHash, bundle.files.get("kernel/maps.json")!);
  const signer = await createSigner(readSecretKey(abs(key)));
  const file = await openReceiptFile(abs(receipts));
  try {
    const writer = createReceiptWriter({ signer, sink: file });
    const lines = loaderLines(["events", pin, ...extra]);
    await recordKernelEvents(
      lines,
      policy,
      (d) => writer.write(d),
      (line) => io.out(`${line}\n`),
    );
  } finally {
    await file.close();
  }
  return EXIT_OK;
}

async function run(args: ParsedArgs, io: Io): Promise<number | UsageError> {
  const [action, ...rest] = args.positionals;
  if (action === undefined || !(ACTIONS as readonly string[]).includes(action)) {
    return {
      error: `${action === undefined ? "expected" : `unknown action '${action}'; expected`} one of ${ACTIONS.join(", ")}`,
    };
  }
  const abs = (p: string) => (isAbsolute(p) ? p : join(io.cwd, p));
  const pin = abs(str(args, "pin") ?? DEFAULT_PIN);
  const needsBundle = action === "build" || action === "load";
  if (needsBundle && rest.length !== 1) return { error: `bpf ${action} takes one bundle folder` };
  if (!needsBundle && action !== "events" && rest.length > 0)
    return { error: `unexpected operand '${rest[0]}'` };
  try {
    switch (action as Action) {
      case "build":
        return await build(args, io, abs, rest[0]!);
      case "load":
        return await load(args, io, abs, rest[0]!, pin);
      case "unload":
      case "status":
        io.out(runLoader([action, pin]));
        return EXIT_OK;
      case "events":
        return await events(args, io, abs, rest, pin);
      case "check":
        io.out(runLoader(["check"]));
        return EXIT_OK;
    }
  } catch (e) {
    if (e instanceof KernelError || e instanceof KeyFileError || e instanceof ReceiptFileError) {
      io.err(`aarm bpf ${action}: ${e.message}\n`);
      return e instanceof KeyFileError ? EXIT_USAGE : EXIT_FAILURE;
    }
    throw e;
  }
  return EXIT_FAILURE;
}

/** The `bpf` command. */
export const bpfCommand: Command = {
  name: "bpf",
  summary: "build, load and watch the kernel target (BPF LSM)",
  operands: "build|load BUNDLE | unload|status|events|check",
  description:
    "Enforce a bundle's kernel-visible rules in the Linux kernel with BPF LSM programs (docs/kernel.md).\n" +
    "  build BUNDLE    compile BUNDLE/kernel/policy.bpf.c with clang into -o OBJ (default BUNDLE.bpf.o)\n" +
    "  load BUNDLE     verify the bundle, load its program (--object OBJ, or built on the fly), fill its maps and\n" +
    "                  attach it for the processes of --cgroup DIR (repeatable), or of every process with --unscoped\n" +
    "  unload          detach and remove the pinned program\n" +
    "  status          print what is loaded (JSON): rules, denials, events lost\n" +
    "  events [BUNDLE] print denial events (JSON lines, with rule ids) as they happen; with --receipts FILE\n" +
    "                  --key KEYFILE, also append each as a signed receipt of BUNDLE's policy to FILE\n" +
    "  check           say whether this kernel can enforce (BTF present, bpf in /sys/kernel/security/lsm)\n" +
    "The loader is out/kernel-build/aarm-bpf (scripts/kernel/build-loader.sh) or $AARM_BPF_LOADER.",
  options: [
    {
      name: "out",
      short: "o",
      kind: "string",
      valueName: "OBJ",
      description: "build: where to write the BPF object",
    },
    {
      name: "object",
      kind: "string",
      valueName: "OBJ",
      description: "load: a BPF object built by `aarm bpf build`",
    },
    {
      name: "cgroup",
      kind: "string",
      valueName: "DIR",
      repeatable: true,
      description: "load: enforce for this cgroup (v2) and below",
    },
    { name: "unscoped", kind: "boolean", description: "load: enforce for every process on the host" },
    {
      name: "pin",
      kind: "string",
      valueName: "DIR",
      description: `where the program is pinned in bpffs (default ${DEFAULT_PIN})`,
    },
    {
      name: "trust",
      kind: "string",
      valueName: "KEYDIR",
      description: "public keys (*.pub.json) the bundle must be signed with",
    },
    { name: "allow-unsigned", kind: "boolean", description: "development: accept an unsigned bundle" },
    {
      name: "timeout-ms",
      kind: "string",
      valueName: "N",
      description: "events: stop after N ms without an event",
    },
    { name: "max", kind: "string", valueName: "N", description: "events: stop after N events" },
    {
      name: "receipts",
      kind: "string",
      valueName: "FILE",
      description: "events: append a signed receipt per denial",
    },
    {
      name: "key",
      kind: "string",
      valueName: "KEYFILE",
      description: "events: the secret key that signs receipts",
    },
  ],
  exitStatus:
    "0 done, 1 the kernel cannot enforce (no BTF, bpf LSM not active, load refused) or the bundle is refused,\n" +
    "2 usage error.",
  run,
};
