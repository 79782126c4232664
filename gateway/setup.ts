/**
 * Assembling a gateway from its configuration: the verified policy bundle, the trusted identity issuers, the
 * recorder, the methods that pass. A bundle that does not load or verify does not stop the gateway: it serves
 * with a refusing mediator (refusing.ts), so every call is denied with the reason, and says so on stderr.
 */
import { lstatSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { loadBundleDir } from "../host/bundle.js";
import { readKeyDir, readPublicKey } from "../host/keys.js";
import type { PublicKey } from "../runtime/crypto/jwk.js";
import { openReceiptFile, type FsyncPolicy, type ReceiptFile } from "../host/receipt-file.js";
import { keyFileSigner } from "../host/signing-key.js";
import { createIdentityVerifier } from "../runtime/identity/index.js";
import {
  createApprovalService,
  createDeferralService,
  createEnforcer,
  systemTimers,
  type ApprovalService,
  type Policy,
  type Timers,
} from "../runtime/index.js";
import { createReceiptWriter, type ReceiptWriter } from "../runtime/receipts/index.js";
import { enforcedMediator } from "./enforced.js";
import { noIssuerVerifier } from "./identity.js";
import { listingFilter } from "./listing.js";
import { methodFilter, serverMethodFilter } from "./methods.js";
import { directoryRecorder } from "./recorder.js";
import { refusingMediator } from "./refusing.js";
import type { GatewayCore } from "./relay.js";
import { Timings } from "./timings.js";

export interface GatewayConfig {
  readonly bundle: string;
  /** Folder of trusted public keys for the bundle's signature; null with `dev`. */
  readonly keys: string | null;
  /** Accept an unsigned bundle (development only). */
  readonly dev: boolean;
  /** The receipt file (JSONL, appended) and the secret key that signs receipts. */
  readonly receipts: string;
  readonly key: string;
  readonly fsync: FsyncPolicy;
  readonly prefix?: string;
  /** "allowed": `tools/list` shows only the tools the policy can ever allow. */
  readonly list: "all" | "allowed";
  /** Trusted identity issuers: name → a public key file or a folder of them. */
  readonly issuers: readonly { readonly name: string; readonly path: string }[];
  readonly identityMode: "enforce" | "flag";
  /** Resolve STEP_UP with the approval service (its endpoint comes with `--approvals`); null: STEP_UP is DENIED. */
  readonly approvals: boolean;
  readonly record?: string;
  /** Client requests passed besides the default ones (methods.ts). */
  readonly pass: readonly string[];
  readonly upstreamTimeoutMs: number;
  /** Progress notifications to a client waiting on a held call, every this many ms (default 10 s; 0: none). */
  readonly heartbeatMs?: number;
  /** A DEFER whose rule names no timeout is denied after this long (ms; default the enforcer's, 5 minutes). */
  readonly deferTimeoutMs?: number;
  readonly log: (line: string) => void;
  /** Write where the time of each forwarded call went (timings.ts) to this file as JSON when the gateway closes. */
  readonly timings?: string;
  /** Time for holds (tests drive it by hand); default the system's. */
  readonly timers?: Timers;
}

/** A configuration problem the operator must fix before the gateway starts (exit status 2). */
export class GatewayConfigError extends Error {}

/** An assembled gateway: what sessions share, plus what the host runs beside it. */
export interface Gateway extends GatewayCore {
  /** The policy, when the bundle loaded. */
  readonly policy: Policy | null;
  /** The approval service, when STEP_UP is resolved by approvers. */
  readonly approvals: ApprovalService | null;
  /** Release the receipt file. */
  close(): Promise<void>;
}

function issuerKeys(path: string): PublicKey[] {
  let dir = false;
  try {
    dir = lstatSync(path).isDirectory();
  } catch (e) {
    throw new GatewayConfigError(`${path}: cannot read (${(e as { code?: string }).code ?? String(e)})`);
  }
  const keys = dir ? [...readKeyDir(path).values()] : [readPublicKey(path)];
  if (keys.length === 0) throw new GatewayConfigError(`${path}: no public keys (*.pub.json) in the folder`);
  return keys;
}

/** The configured issuers' keys by issuer name. Throws GatewayConfigError for an unreadable key. */
function issuerTable(c: Pick<GatewayConfig, "issuers">): Record<string, PublicKey[]> {
  const issuers: Record<string, PublicKey[]> = {};
  for (const { name, path } of c.issuers) {
    try {
      issuers[name] = [...(issuers[name] ?? []), ...issuerKeys(path)];
    } catch (e) {
      throw e instanceof GatewayConfigError
        ? e
        : new GatewayConfigError(e instanceof Error ? e.message : String(e));
    }
  }
  return issuers;
}

/** Load and verify the bundle. Resolves to the policy, or to the reason it cannot be used. */
export async function loadGatewayPolicy(
  c: Pick<GatewayConfig, "bundle" | "keys" | "dev" | "log">,
): Promise<{ ok: true; policy: Policy } | { ok: false; reason: string }> {
  try {
    const trustedKeys = c.keys === null ? [] : [...readKeyDir(c.keys).values()];
    const bundle = await loadBundleDir(c.bundle, {
      trustedKeys,
      allowUnsigned: c.dev,
      warn: (m: string) => c.log(m),
    });
    return { ok: true, policy: bundle.policy };
  } catch (e) {
    return { ok: false, reason: `policy bundle ${c.bundle}: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** The receipt writer over the receipt file, or the reason there is none. */
async function receiptWriter(
  c: Pick<GatewayConfig, "receipts" | "key" | "fsync">,
): Promise<{ ok: true; writer: ReceiptWriter; file: ReceiptFile } | { ok: false; reason: string }> {
  let file: ReceiptFile;
  try {
    file = await openReceiptFile(c.receipts, { fsync: c.fsync });
  } catch (e) {
    return { ok: false, reason: `receipts: ${e instanceof Error ? e.message : String(e)}` };
  }
  try {
    const signer = await keyFileSigner(c.key);
    return { ok: true, writer: createReceiptWriter({ signer, sink: file }), file };
  } catch (e) {
    await file.close();
    return { ok: false, reason: `receipts: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/**
 * Everything the sessions of the gateway share. Throws GatewayConfigError for an operator mistake (unreadable
 * issuer keys, approvals without issuers); a bundle or receipt file that cannot be used makes a refusing gateway.
 */
export async function setupGateway(c: GatewayConfig): Promise<Gateway> {
  const issuers = issuerTable(c);
  const trusted = Object.keys(issuers).length > 0;
  if (c.approvals && !trusted)
    throw new GatewayConfigError(
      "approvals need --issuer: approvers prove who they are with signed assertions",
    );
  const passes = methodFilter(c.pass);
  const serverPasses = serverMethodFilter(c.pass);
  const timings = c.timings !== undefined ? new Timings() : undefined;
  const shared = {
    passes,
    serverPasses,
    upstreamTimeoutMs: c.upstreamTimeoutMs,
    heartbeatMs: c.heartbeatMs ?? 10_000,
    log: c.log,
    ...(timings ? { timings } : {}),
  };
  const writeTimings = async () => {
    if (!timings || c.timings === undefined) return;
    try {
      await writeFile(c.timings, `${JSON.stringify(timings.report(), null, 2)}\n`);
    } catch (e) {
      c.log(`aarm gateway: timings ${c.timings}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  const refusing = (reason: string): Gateway => {
    c.log(`aarm gateway: ${reason}; every tool call is refused`);
    return {
      ...shared,
      mediator: refusingMediator(reason),
      policy: null,
      approvals: null,
      close: writeTimings,
    };
  };
  const loaded = await loadGatewayPolicy(c);
  if (!loaded.ok) return refusing(loaded.reason);
  const receipts = await receiptWriter(c);
  if (!receipts.ok) return refusing(receipts.reason);
  const policy = loaded.policy;
  const timers = c.timers ?? systemTimers;
  const approvals = c.approvals
    ? createApprovalService({ verifier: createIdentityVerifier({ issuers, mode: "enforce" }), timers })
    : null;
  const enforcer = createEnforcer({
    policy,
    receipts: receipts.writer,
    identity: trusted ? createIdentityVerifier({ issuers, mode: c.identityMode }) : noIssuerVerifier(),
    ...(approvals ? { approvals } : {}),
    deferrals: createDeferralService({ timers }),
    timers,
    ...(c.deferTimeoutMs !== undefined ? { defaults: { deferTimeoutMs: c.deferTimeoutMs } } : {}),
  });
  const mediator = enforcedMediator({
    enforcer,
    ...(c.prefix !== undefined ? { prefix: c.prefix } : {}),
    listed: c.list === "allowed" ? listingFilter(policy.ir, c.prefix) : () => true,
    ...(c.record !== undefined ? { recorder: directoryRecorder(join(c.record), c.log) } : {}),
  });
  const close = async () => {
    await writeTimings();
    await receipts.file.close();
  };
  return { ...shared, mediator, policy, approvals, close };
}
