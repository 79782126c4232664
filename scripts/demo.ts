/**
 * `npm run demo`: check and compile every bundled example policy, print what each declares, then replay one real
 * recorded AgentDojo session (a successful prompt-injection attack on the banking assistant) through the runtime
 * and print each action with its decision and reason.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { compileFile } from "../compiler/compile.js";
import { loadPolicy } from "../runtime/index.js";
import { evaluatorFromSource } from "../runtime/testing.js";

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
  const compiled = compileFile(join(examples, "agentdojo-banking", "policy.aarm"));
  if (!rec || !compiled.ir || !compiled.evaluatorSource) return 1;
  const policy = loadPolicy(compiled.ir, { evaluator: await evaluatorFromSource(compiled.evaluatorSource, compiled.ir.source.sha256) });
  line(`\n== Replaying a recorded AgentDojo session through the compiled banking policy`);
  line(`  session: ${rec.id}`);
  line(`  user request: ${JSON.stringify(rec.user_request)}`);
  const session = policy.openSession({ identity: { human: "emma.johnson", agent: "gpt-4o-2024-05-13" }, request: rec.user_request });
  for (const a of rec.actions) {
    const d = session.decide({ tool: a.tool, args: a.args });
    const mark = a.attacker_goal ? "  <- the attacker's goal" : "";
    line(`  ${d.effect.padEnd(7)} ${a.tool}(${JSON.stringify(a.args).slice(0, 90)})${mark}`);
    line(`          ${d.reasons.join("; ")}`);
    if (d.effect === "ALLOW" || d.effect === "MODIFY") session.record(d.action.id, { output: a.output ?? "" });
  }
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`demo: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
