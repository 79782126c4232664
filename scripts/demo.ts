/**
 * `npm run demo`: check and compile every bundled example policy, print what each declares, then replay one real
 * recorded AgentDojo session (a successful prompt-injection attack on the banking assistant) through the runtime
 * and print each action with its decision and reason.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { gunzipSync } from "node:zlib";
import { memoryIo } from "../cli/io.js";
import { aarmcProgram, guarded } from "../cli/main.js";
import { compileFile } from "../compiler/compile.js";
import { loadBundleDir } from "../host/bundle.js";
import { readKeyDir, writeNewKeyPair } from "../host/keys.js";
import { installNodeCrypto } from "../host/node-crypto.js";
import { nodeSigner } from "../host/node-signer.js";
import { openReceiptFile } from "../host/receipt-file.js";
import { createSigner } from "../runtime/crypto/ed25519.js";
import { createIdentityVerifier, issueAssertion } from "../runtime/identity/index.js";
import { Enforcer } from "../runtime/enforce/index.js";
import { createReceiptWriter, verifyReceiptText } from "../runtime/receipts/index.js";

const root = new URL("..", import.meta.url).pathname;
const examples = join(root, "examples");
const out = join(root, "out");
const sessionsFile = join(root, "..", "shared", "data", "agentdojo", "gpt-4o-2024-05-13.sessions.jsonl.gz");

function line(s = ""): void {
  process.stdout.write(`${s}\n`);
}

interface Recorded {
  id: string;
  suite: string;
  kind: string;
  security: boolean | null;
  user_request: string;
  actions: { tool: string; args: Record<string, unknown>; output?: unknown; attacker_goal?: boolean }[];
}

async function main(): Promise<number> {
  let failed = false;
  const dirs = readdirSync(examples, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  line("== Compiling the bundled examples");
  for (const name of dirs) {
    const policyPath = join(examples, name, "policy.aarm");
    if (!existsSync(policyPath)) continue;
    const r = compileFile(policyPath);
    const errors = r.diagnostics.filter((d) => d.severity === "error");
    if (!r.ir || !r.evaluatorSource) {
      failed = true;
      line(`  ${name}: ${errors.length} error(s); run \`npx aarm check examples/${name}/policy.aarm\``);
      continue;
    }
    const ir = r.ir;
    const dir = join(out, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "ir.json"), `${JSON.stringify(ir, null, 2)}\n`);
    writeFileSync(join(dir, "evaluator.mjs"), r.evaluatorSource);
    const byEffect = new Map<string, number>();
    for (const rule of ir.rules) byEffect.set(rule.effect, (byEffect.get(rule.effect) ?? 0) + 1);
    const kernel = ir.rules.filter((x) => x.kernel !== null).length;
    line(`  ${ir.name} ${ir.version ?? ""} (default ${ir.default}): ${Object.keys(ir.tools).length} tools, ${ir.rules.length} rules`);
    line(`    ${[...byEffect].map(([e, n]) => `${n} ${e}`).join(", ")}; ${ir.tagRules.length} tag rules; ${ir.validations.length} validate blocks; ${kernel} kernel-visible`);
    line(`    labels: ${ir.labels.join(", ") || "-"}; levels: ${ir.levels.join(" < ")}; warnings: ${r.diagnostics.length}`);
    line(`    wrote out/${name}/ir.json and out/${name}/evaluator.mjs`);
  }
  if (!existsSync(sessionsFile)) {
    line("\n(AgentDojo recordings not found next to the project; skipping the replay)");
    return failed ? 1 : 0;
  }
  const sessions = gunzipSync(readFileSync(sessionsFile)).toString("utf8").split("\n").filter(Boolean);
  const rec = sessions
    .map((l) => JSON.parse(l) as Recorded)
    .find((s) => s.suite === "banking" && s.kind === "injection" && s.security === true && s.actions.some((a) => a.attacker_goal));
  if (!rec) {
    line("\n(no successful banking injection found in the AgentDojo recordings; skipping the replay)");
    return 1;
  }
  return (await replay(rec)) && !failed ? 0 : 1;
}

/**
 * The replay, as a host would run it: a signed bundle loaded through the verifying loader, an Enforcer with a
 * receipt file signed by its own key, and a session bound to signed identity assertions. Writes out/demo/.
 */
async function replay(rec: Recorded): Promise<boolean> {
  // Hash and sign receipts as the aarm commands do: SHA-256 and Ed25519 on node:crypto.
  installNodeCrypto();
  const demo = join(out, "demo");
  rmSync(demo, { recursive: true, force: true });
  const secrets = join(demo, "secrets");
  const keysDir = join(demo, "keys");
  mkdirSync(keysDir, { recursive: true });
  // Three keys: the release key signs the bundle, the receipt key signs receipts, the identity provider's key signs
  // identity assertions. Only the public receipt key goes into keys/, the folder `aarm verify --keys` reads.
  const release = writeNewKeyPair(secrets, "release");
  const receiptKey = writeNewKeyPair(secrets, "receipts");
  copyFileSync(receiptKey.publicPath, join(keysDir, "receipts.pub.json"));
  const idp = writeNewKeyPair(secrets, "idp");

  // The bundle as a release would make it: the real `aarmc compile -o DIR --key KEY`, in-process.
  const bundleDir = join(demo, "bundle");
  const policyFile = join(examples, "agentdojo-banking", "policy.aarm");
  const io = memoryIo(root);
  const status = await guarded(aarmcProgram(), ["compile", policyFile, "-o", bundleDir, "--key", release.secretPath], io);
  if (status !== 0) {
    line(`  aarmc compile failed (exit ${status}):\n${io.stderr().trimEnd()}`);
    return false;
  }
  const bundle = await loadBundleDir(bundleDir, { trustedKeys: [release.keys] });

  const receiptsPath = join(demo, "receipts.jsonl");
  const sink = await openReceiptFile(receiptsPath);
  const enforcer = new Enforcer({
    policy: bundle.policy,
    receipts: createReceiptWriter({ signer: nodeSigner(receiptKey.keys), sink }),
    identity: createIdentityVerifier({ issuers: { "corp-idp": [idp.keys] } }),
  });
  const idpSigner = await createSigner(idp.keys);
  const assertions = [
    await issueAssertion(idpSigner, { iss: "corp-idp", sub: "emma.johnson", kind: "human", role: "account-holder" }),
    await issueAssertion(idpSigner, { iss: "corp-idp", sub: "gpt-4o-2024-05-13", kind: "agent" }),
  ];

  line(`\n== Replaying a recorded AgentDojo session through the signed banking bundle`);
  line(`  bundle: ${bundle.manifest.policy.name} ${bundle.manifest.policy.version ?? ""}, ${bundle.bundleHash}, signed by ${bundle.signedBy}`);
  line(`  session: ${rec.id}`);
  line(`  user request: ${JSON.stringify(rec.user_request)}`);
  const session = await enforcer.openSession({ assertions, request: rec.user_request });
  for (const a of rec.actions) {
    // The "tool" hands back what the real tool returned in the recording; it runs only if the policy allows it.
    const o = await session.perform({ tool: a.tool, args: a.args }, () => a.output ?? "");
    const effect = o.decision?.effect ?? o.effect;
    const mark = a.attacker_goal ? "  <- the attacker's goal" : "";
    line(`  ${effect.padEnd(7)} ${a.tool}(${JSON.stringify(a.args).slice(0, 90)})${mark}`);
    line(`          ${o.reasons.join("; ")}${o.ran ? "" : " — the tool did not run"}`);
  }
  await sink.close();

  const keys = readKeyDir(keysDir);
  const text = readFileSync(receiptsPath, "utf8");
  const result = await verifyReceiptText(text, { keys });
  const rel = (p: string) => relative(process.cwd(), p) || ".";
  line(`\n== Receipts`);
  line(`  wrote ${result.receipts} signed, hash-chained receipts to ${rel(receiptsPath)}; public key in ${rel(keysDir)}/`);
  line(`  offline check: ${result.valid ? "every signature and the chain verify" : `INVALID: ${JSON.stringify(result.firstError)}`}`);
  const tampered = text.replace('"DENY"', '"ALLOW"');
  const forged = await verifyReceiptText(tampered, { keys });
  line(`  the same file with the DENY edited to ALLOW: ${forged.valid ? "ACCEPTED (this is a bug)" : `rejected at receipt ${forged.firstError?.seq} (${forged.firstError?.problem})`}`);
  line(`  check it yourself: npx aarm verify ${rel(receiptsPath)} --keys ${rel(keysDir)} --timeline`);
  return result.valid && !forged.valid;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`demo: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
