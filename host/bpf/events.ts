/**
 * Kernel denials as receipts: each JSON line of `aarm-bpf events` (one denial, with its rule id) becomes a receipt
 * of kind "kernel", which the receipt writer chains and signs and the telemetry exporters ship like any other
 * decision (docs/kernel.md).
 */
import type { ReceiptDraft } from "../../runtime/receipts/index.js";
import { hashJson } from "../../runtime/session/hash.js";
import { KernelError } from "./kernel-bundle.js";

/** One denial as the loader prints it. */
export interface KernelEvent {
  readonly hook: "file_open" | "bprm_check_security" | "socket_connect";
  readonly pid: number;
  readonly cgroup: number;
  readonly rule: string;
  readonly ruleIndex: number;
  readonly path?: string;
  readonly family?: 4 | 6;
  readonly address?: string;
  readonly port?: number;
}

const ACTION_OF = {
  file_open: "file.open",
  bprm_check_security: "process.exec",
  socket_connect: "net.connect",
} as const;

/** Parse one line of `aarm-bpf events`; throws a KernelError naming what is wrong. */
export function parseKernelEvent(line: string): KernelEvent {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    throw new KernelError(`not a kernel event (not JSON): ${line.slice(0, 80)}`);
  }
  const e = v as Partial<KernelEvent> | null;
  const ok =
    e !== null &&
    typeof e === "object" &&
    typeof e.hook === "string" &&
    e.hook in ACTION_OF &&
    Number.isInteger(e.pid) &&
    Number.isInteger(e.cgroup) &&
    typeof e.rule === "string" &&
    Number.isInteger(e.ruleIndex) &&
    (e.hook === "socket_connect"
      ? typeof e.address === "string" && Number.isInteger(e.port)
      : typeof e.path === "string");
  if (!ok) throw new KernelError(`not a kernel event: ${line.slice(0, 80)}`);
  return e as KernelEvent;
}

/** The policy the kernel program was loaded from (the bundle's manifest). */
export interface KernelPolicy {
  readonly name: string;
  readonly version: string | null;
  /** `sha256:` of the IR (the manifest's policyHash). */
  readonly hash: string;
  readonly bundleHash?: string;
  /** Rule id → reason (kernel/maps.json rules). */
  readonly reasons: ReadonlyMap<string, string | null>;
}

/** The receipt draft of a kernel denial observed at `time` (ms since the epoch); `seq` makes the action id unique. */
export function kernelEventDraft(
  e: KernelEvent,
  policy: KernelPolicy,
  time: number,
  seq: number,
): ReceiptDraft {
  const parameters = e.hook === "socket_connect" ? { address: e.address!, port: e.port! } : { path: e.path! };
  const reason = policy.reasons.get(e.rule) ?? `forbidden by ${e.rule} in the kernel`;
  return {
    kind: "kernel",
    time,
    action: {
      id: `kernel-${time}-${seq}`,
      tool: ACTION_OF[e.hook],
      operation: e.hook,
      parameters,
      parametersHash: `sha256:${hashJson(parameters)}`,
      time,
    },
    context: { session: `cgroup:${e.cgroup}`, logHead: "kernel" },
    identity: { status: "none" },
    decision: {
      result: "DENY",
      ruleIds: [e.rule],
      reasons: [reason ?? e.rule],
      decidedBy: "kernel",
      policy: { name: policy.name, version: policy.version, hash: policy.hash },
      ...(policy.bundleHash !== undefined ? { bundleHash: policy.bundleHash } : {}),
    },
    details: { hook: e.hook, pid: e.pid, cgroup: e.cgroup },
  };
}

/** The policy a verified bundle's kernel program enforces, for its receipts. */
export function kernelPolicyOf(
  manifest: {
    readonly policy: { readonly name: string; readonly version: string | null };
    readonly policyHash: string;
  },
  bundleHash: string,
  mapsJson: Uint8Array,
): KernelPolicy {
  const maps = JSON.parse(new TextDecoder().decode(mapsJson)) as {
    rules?: { id: string; reason: string | null }[];
  };
  return {
    name: manifest.policy.name,
    version: manifest.policy.version,
    hash: manifest.policyHash,
    bundleHash,
    reasons: new Map((maps.rules ?? []).map((r) => [r.id, r.reason] as const)),
  };
}

/** Turn each event line into a receipt through `write`, calling `each` with the line once it is stored. */
export async function recordKernelEvents(
  lines: AsyncIterable<string>,
  policy: KernelPolicy,
  write: (draft: ReceiptDraft) => Promise<unknown>,
  each: (line: string) => void,
  now: () => number = Date.now,
): Promise<number> {
  let n = 0;
  for await (const line of lines) {
    if (line.trim() === "") continue;
    await write(kernelEventDraft(parseKernelEvent(line), policy, now(), ++n));
    each(line);
  }
  return n;
}
