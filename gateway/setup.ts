/**
 * Assembling a gateway from its configuration: the verified policy bundle, the trusted identity issuers, the
 * recorder, the methods that pass. A bundle that does not load or verify does not stop the gateway: it serves
 * with a refusing mediator (refusing.ts), so every call is denied with the reason, and says so on stderr.
 */
import { lstatSync } from "node:fs";
import { join } from "node:path";
import { loadBundleDir } from "../host/bundle.js";
import { readKeyDir, readPublicKey } from "../host/keys.js";
import type { PublicKey } from "../runtime/crypto/jwk.js";
import { createIdentityVerifier, type IdentityVerifier } from "../runtime/identity/index.js";
import type { Policy } from "../runtime/index.js";
import { listingFilter } from "./listing.js";
import type { Mediator } from "./mediator.js";
import { methodFilter } from "./methods.js";
import { policyMediator } from "./policy-mediator.js";
import { directoryRecorder } from "./recorder.js";
import { refusingMediator } from "./refusing.js";
import type { GatewayCore } from "./relay.js";

export interface GatewayConfig {
  readonly bundle: string;
  /** Folder of trusted public keys for the bundle's signature; null with `dev`. */
  readonly keys: string | null;
  /** Accept an unsigned bundle (development only). */
  readonly dev: boolean;
  readonly prefix?: string;
  /** "allowed": `tools/list` shows only the tools the policy can ever allow. */
  readonly list: "all" | "allowed";
  /** Trusted identity issuers: name → a public key file or a folder of them. */
  readonly issuers: readonly { readonly name: string; readonly path: string }[];
  readonly identityMode: "enforce" | "flag";
  readonly record?: string;
  /** Client requests passed besides the default ones (methods.ts). */
  readonly pass: readonly string[];
  readonly upstreamTimeoutMs: number;
  readonly log: (line: string) => void;
}

/** A configuration problem the operator must fix before the gateway starts (exit status 2). */
export class GatewayConfigError extends Error {}

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

/** The identity verifier of the configured issuers, or null when none is configured. */
export function issuerVerifier(c: Pick<GatewayConfig, "issuers" | "identityMode">): IdentityVerifier | null {
  if (c.issuers.length === 0) return null;
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
  return createIdentityVerifier({ issuers, mode: c.identityMode });
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

/** Everything the sessions of the gateway share. Throws GatewayConfigError for an operator mistake. */
export async function setupGateway(
  c: GatewayConfig,
): Promise<GatewayCore & { readonly policy: Policy | null }> {
  const verifier = issuerVerifier(c);
  const passes = methodFilter(c.pass);
  const loaded = await loadGatewayPolicy(c);
  let mediator: Mediator;
  if (!loaded.ok) {
    c.log(`aarm gateway: ${loaded.reason}; every tool call is refused`);
    mediator = refusingMediator(loaded.reason);
  } else {
    const policy = loaded.policy;
    mediator = policyMediator({
      policy,
      ...(c.prefix !== undefined ? { prefix: c.prefix } : {}),
      verifier,
      listed: c.list === "allowed" ? listingFilter(policy.ir, c.prefix) : () => true,
      ...(c.record !== undefined ? { recorder: directoryRecorder(join(c.record), c.log) } : {}),
    });
  }
  return {
    mediator,
    passes,
    upstreamTimeoutMs: c.upstreamTimeoutMs,
    log: c.log,
    policy: loaded.ok ? loaded.policy : null,
  };
}
