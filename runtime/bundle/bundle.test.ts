/**
 * Bundles end to end: a real policy compiled from source, its manifest built and signed with a real Ed25519 key,
 * then verified and loaded. Tampering with any byte of any file, a missing or extra file, an untrusted key and an
 * unsigned bundle are refused with an error naming the file; development mode loads unsigned bundles, warning
 * every time.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { compileSource } from "../../compiler/compile.js";
import { memoryHost } from "../../compiler/host.js";
import { makeSource } from "../../language/index.js";
import { createSigner, generateKeyPair } from "../crypto/ed25519.js";
import { hashJson } from "../session/hash.js";
import { buildManifest, bundleHashOf, loadBundle, type Manifest, MANIFEST_FILE } from "./index.js";

const TOOLS = JSON.stringify({
  tools: [
    {
      name: "email.send",
      inputSchema: {
        type: "object",
        properties: { to: { type: "string" } },
        required: ["to"],
        additionalProperties: false,
      },
    },
  ],
});
const POLICY = `policy "bundled" version "2.0.0"
default deny
tools from "tools.json"
@id("external") deny email.send when not (args.to endsWith "@corp.example") because "external mail"
allow email.send
`;

const enc = (s: string) => new TextEncoder().encode(s);
const keys = generateKeyPair();
const other = generateKeyPair();
let files = new Map<string, Uint8Array>();
let manifest: Manifest;

beforeAll(async () => {
  const r = compileSource(makeSource("/p/policy.aarm", POLICY), memoryHost({ "/p/tools.json": TOOLS }));
  if (!r.ir || !r.evaluatorSource) throw new Error("the test policy does not compile");
  files = new Map([
    ["ir.json", enc(JSON.stringify(r.ir, null, 2))],
    ["evaluator.mjs", enc(r.evaluatorSource)],
    ["kernel/extra.bin", new Uint8Array([0, 1, 2, 255])],
  ]);
  const built = await buildManifest(
    files,
    { policy: { name: "bundled", version: "2.0.0" }, compiler: { name: "aarmc", version: "test" }, policyHash: `sha256:${hashJson(r.ir)}` },
    await createSigner(keys),
  );
  manifest = built.manifest;
  files.set(MANIFEST_FILE, built.bytes);
});

const trusted = () => [{ keyId: keys.keyId, publicKey: keys.publicKey }];
const without = (name: string) => new Map([...files].filter(([n]) => n !== name));

describe("loadBundle", () => {
  it("loads a signed bundle with the compiled evaluator and names the bundle in every decision", async () => {
    const b = await loadBundle(files, { trustedKeys: trusted() });
    expect(b.signedBy).toBe(keys.keyId);
    expect(b.policy.evaluator.kind).toBe("compiled");
    expect(b.bundleHash).toBe(bundleHashOf(manifest));
    const s = b.policy.openSession({ identity: { human: "a@corp.example" } });
    const d = s.decide({ tool: "email.send", args: { to: "x@evil.example" } });
    expect([d.effect, d.ruleIds]).toEqual(["DENY", ["external"]]);
    expect(d.policy.bundleHash).toBe(b.bundleHash);
    expect(s.decide({ tool: "email.send", args: { to: "b@corp.example" } }).effect).toBe("ALLOW");
  });

  it("refuses one flipped byte in any file, naming the file", async () => {
    for (const [name, bytes] of files) {
      for (const at of [0, bytes.length >> 1, bytes.length - 1]) {
        const changed = new Uint8Array(bytes);
        changed[at] = changed[at]! ^ 0x01;
        const tampered = new Map(files).set(name, changed);
        await expect(loadBundle(tampered, { trustedKeys: trusted() }), `${name}@${at}`).rejects.toThrow(
          new RegExp(`^${name.replace(".", "\\.")}: `),
        );
      }
    }
  });

  it("refuses a missing file, an extra file and a missing manifest", async () => {
    await expect(loadBundle(without("evaluator.mjs"), { trustedKeys: trusted() })).rejects.toThrow(
      "evaluator.mjs: listed in manifest.json but missing from the bundle",
    );
    const extra = new Map(files).set("notes.txt", enc("hi"));
    await expect(loadBundle(extra, { trustedKeys: trusted() })).rejects.toThrow(
      "notes.txt: not listed in manifest.json",
    );
    await expect(loadBundle(without(MANIFEST_FILE), { trustedKeys: trusted() })).rejects.toThrow(
      "manifest.json: missing",
    );
  });

  it("refuses a bundle signed by an untrusted key, or re-signed after a change", async () => {
    const otherKey = [{ keyId: other.keyId, publicKey: other.publicKey }];
    await expect(loadBundle(files, { trustedKeys: otherKey })).rejects.toThrow(
      `manifest.json: signed by key ${keys.keyId}, which is not a trusted key`,
    );
    // Forge: change a file and its hash in the manifest, keep the old signature.
    const forged = { ...manifest, files: { ...manifest.files, "kernel/extra.bin": `sha256:${"0".repeat(64)}` } };
    const bad = new Map(files).set(MANIFEST_FILE, enc(JSON.stringify(forged)));
    await expect(loadBundle(bad, { trustedKeys: trusted() })).rejects.toThrow(/manifest\.json: the signature does not verify/);
  });

  it("loads an unsigned bundle only in development mode, and warns every time", async () => {
    const { signature: _s, ...unsigned } = manifest;
    const plain = new Map(files).set(MANIFEST_FILE, enc(JSON.stringify(unsigned)));
    await expect(loadBundle(plain, { trustedKeys: trusted() })).rejects.toThrow(/manifest\.json: the bundle is not signed/);
    const warnings: string[] = [];
    const options = { trustedKeys: [], allowUnsigned: true, warn: (m: string) => warnings.push(m) };
    const a = await loadBundle(plain, options);
    await loadBundle(plain, options);
    expect(a.signedBy).toBeNull();
    expect(a.bundleHash).toBe(bundleHashOf(manifest));
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/^WARNING: loading the UNSIGNED bundle of policy 'bundled'/);
    // Development mode still checks the hashes.
    const changed = new Map(plain).set("ir.json", enc("{}"));
    await expect(loadBundle(changed, options)).rejects.toThrow(/^ir\.json: its sha256 does not match/);
  });

  it("does not use bytes changed after verification began", async () => {
    const mine = new Map([...files].map(([n, b]) => [n, new Uint8Array(b)]));
    const loading = loadBundle(mine, { trustedKeys: trusted() });
    mine.get("evaluator.mjs")!.fill(0x20);
    const b = await loading;
    const s = b.policy.openSession({ identity: { human: "a@corp.example" } });
    expect(s.decide({ tool: "email.send", args: { to: "x@evil.example" } }).effect).toBe("DENY");
  });
});
