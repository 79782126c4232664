/**
 * Writes examples/agentdojo-<suite>/tests/agentdojo.jsonl: real AgentDojo sessions (../shared/data/agentdojo),
 * imported with their expectations — a benign session runs uninterrupted, a successful attack is stopped at or
 * before its goal — for `aarm test`. It keeps every benign session and, per injection task, the shortest successful
 * attack; of those, only the ones the suite's policy decides as expected today (the others are what the efficacy
 * report counts as misses, not regression tests). Run: npx tsx scripts/agentdojo-tests.ts [DATA_FILE]
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { compileFile } from "../compiler/compile.js";
import { loadPolicy } from "../runtime/index.js";
import { readAgentDojo } from "../sessions/node.js";
import { formatSessions, replaySession, type RecordedSession } from "../sessions/index.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const data = process.argv[2] ?? join(root, "../shared/data/agentdojo/gpt-4o-2024-05-13.sessions.jsonl.gz");
const all = readAgentDojo(data, { expectations: true });

for (const suite of ["banking", "slack", "travel", "workspace"]) {
  const dir = join(root, "examples", `agentdojo-${suite}`);
  const compiled = compileFile(join(dir, "policy.aarm"));
  if (!compiled.ir) throw new Error(`${suite}: the policy has errors`);
  const policy = loadPolicy(compiled.ir);
  const passes = (s: RecordedSession) => replaySession(policy, s).failures.length === 0;
  const mine = all.filter((s) => s.meta?.["suite"] === suite);
  const benign = mine.filter((s) => s.meta?.["kind"] === "benign");
  const attacks = new Map<string, RecordedSession>();
  const size = (s: RecordedSession) => JSON.stringify(s.events).length;
  for (const s of mine) {
    if (s.meta?.["kind"] !== "injection" || s.meta["security"] !== true || !passes(s)) continue;
    const task = String(s.meta["injection_task"]);
    const best = attacks.get(task);
    if (!best || size(s) < size(best)) attacks.set(task, s);
  }
  const kept = [...benign.filter(passes), ...[...attacks.keys()].sort().map((k) => attacks.get(k)!)];
  mkdirSync(join(dir, "tests"), { recursive: true });
  writeFileSync(join(dir, "tests", "agentdojo.jsonl"), formatSessions(kept));
  const failing = benign.length - benign.filter(passes).length;
  console.log(
    `${suite}: ${kept.length} sessions (${benign.length - failing} of ${benign.length} benign, ${attacks.size} attacks)`,
  );
}
