/**
 * `npm run drift:calibrate [-- [--write | --check] [SESSIONS.jsonl.gz]]`: calibrates the built-in drift model
 * (runtime/drift) on the AgentDojo recorded runs and prints the report that docs/drift.md quotes between its
 * `drift:calibrate` markers. `--write` replaces that part of docs/drift.md with the report; `--check` exits 1 if
 * it differs.
 *
 * Benign sessions are the negatives, successful attacks (up to the action that achieved the attacker's goal) the
 * positives. The user tasks are split in two halves by a hash of their name (all sessions of a task share one
 * request, so a task is never on both sides): the embedder's settings, the moving-average weight and the suggested
 * thresholds are chosen on the tuning half only, and the held-out half measures them. Deterministic: the same data
 * gives the same report.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { format, resolveConfig } from "prettier";
import { driftModel, hashedEmbedder, type ToolDescription } from "../runtime/drift/index.js";
import { sha256Hex } from "../runtime/session/hash.js";
import { measureAgentDojo, scores, type SessionDrifts } from "../sessions/drift-calibration.js";
import { agentDojoClass } from "../sessions/drift-calibration.js";
import { compileFile } from "../compiler/compile.js";
import { loadPolicy } from "../runtime/index.js";
import { readAgentDojo } from "../sessions/node.js";
import { replaySession } from "../sessions/replay.js";
import { chooseThreshold, type Rates, ratesAt, rocAuc } from "../sessions/roc.js";

const root = new URL("..", import.meta.url).pathname;
const USAGE = "usage: npm run drift:calibrate -- [--write | --check] [SESSIONS.jsonl.gz]";
const argv = process.argv.slice(2);
const mode = argv[0] === "--write" || argv[0] === "--check" ? argv.shift() : undefined;
const bad = argv.find((a) => a.startsWith("-")) ?? argv[1];
if (bad !== undefined) {
  process.stderr.write(`drift:calibrate: unexpected argument '${bad}'\n${USAGE}\n`);
  process.exit(2);
}
const file =
  argv[0] ?? join(root, "..", "shared", "data", "agentdojo", "gpt-4o-2024-05-13.sessions.jsonl.gz");
if (!existsSync(file)) {
  process.stderr.write(`drift:calibrate: no such file: ${file}\n${USAGE}\n`);
  process.exit(2);
}
const SUITES = ["banking", "slack", "travel", "workspace"];
const tools: ToolDescription[] = SUITES.flatMap(
  (s) =>
    (
      JSON.parse(readFileSync(join(root, "examples", `agentdojo-${s}`, "tools.json"), "utf8")) as {
        tools: ToolDescription[];
      }
    ).tools,
);

let sessions;
try {
  sessions = readAgentDojo(file).filter((s) => agentDojoClass(s) !== null);
} catch (e) {
  process.stderr.write(`drift:calibrate: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}

/** Tasks sorted by the hash of their name, alternately into the tuning half (A) and the held-out half (B). */
const tasks = [
  ...new Set(sessions.map((s) => `${String(s.meta?.["suite"])}/${String(s.meta?.["user_task"])}`)),
].sort((a, b) => (sha256Hex(a) < sha256Hex(b) ? -1 : 1));
const tuning = new Set(tasks.filter((_, i) => i % 2 === 0));
const half = (ds: readonly SessionDrifts[], a: boolean) => ds.filter((d) => tuning.has(d.task) === a);

interface Config {
  readonly ngramWeight: number;
  readonly descriptions: boolean;
  readonly alpha: number;
}
const measure = (c: Config) =>
  measureAgentDojo(
    driftModel({
      embedder: hashedEmbedder({ ngramWeight: c.ngramWeight }),
      alpha: c.alpha,
      ...(c.descriptions ? { tools } : {}),
    }),
    sessions,
  );

const f3 = (x: number) => x.toFixed(3);
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const report: string[] = [];
const out = (s = "") => report.push(s);

// 1. The embedder's settings, by per-action AUC on the tuning half (alpha does not change per-action drift).
out("### Embedder settings (chosen on the tuning half by per-action ROC AUC)");
out();
out("| trigram weight | tool descriptions | per-action AUC, tuning | per-action AUC, held out |");
out("| ---: | :---: | ---: | ---: |");
let best: { c: Config; auc: number } | undefined;
for (const ngramWeight of [0, 0.5, 1, 2]) {
  for (const descriptions of [false, true]) {
    const c = { ngramWeight, descriptions, alpha: 0.5 };
    const ds = measure(c);
    const [a, b] = [scores(half(ds, true)), scores(half(ds, false))];
    const auc = rocAuc(a.action.pos, a.action.neg);
    out(
      `| ${ngramWeight} | ${descriptions ? "yes" : "no"} | ${f3(auc)} | ${f3(rocAuc(b.action.pos, b.action.neg))} |`,
    );
    if (!best || auc > best.auc) best = { c, auc };
  }
}

// 2. The moving-average weight, by per-session AUC of the cumulative drift on the tuning half.
out();
out("### Cumulative drift (chosen on the tuning half by per-session ROC AUC)");
out();
out("| aggregate | per-session AUC, tuning | per-session AUC, held out |");
out("| --- | ---: | ---: |");
let chosen: { c: Config; auc: number; ds: SessionDrifts[] } | undefined;
for (const alpha of [0.3, 0.5, 0.7]) {
  const c = { ...best!.c, alpha };
  const ds = measure(c);
  const [a, b] = [scores(half(ds, true)), scores(half(ds, false))];
  const auc = rocAuc(a.session.pos, a.session.neg);
  out(`| moving average, α = ${alpha} | ${f3(auc)} | ${f3(rocAuc(b.session.pos, b.session.neg))} |`);
  if (!chosen || auc > chosen.auc) chosen = { c, auc, ds };
  if (alpha === 0.7)
    out(
      `| running maximum of per-action drift | ${f3(rocAuc(a.runningMax.pos, a.runningMax.neg))} | ${f3(rocAuc(b.runningMax.pos, b.runningMax.neg))} |`,
    );
}

// 3. The chosen model on each half, and thresholds chosen on the tuning half.
const { c, ds } = chosen!;
const [A, B] = [scores(half(ds, true)), scores(half(ds, false))];
out();
out(
  `### The chosen model: trigram weight ${c.ngramWeight}, tool descriptions ${c.descriptions ? "yes" : "no"}, α = ${c.alpha}`,
);
const defaults = driftModel();
const same =
  defaults.embedder.id === hashedEmbedder({ ngramWeight: c.ngramWeight }).id &&
  defaults.alpha === c.alpha &&
  !c.descriptions;
out();
out(
  `The defaults of \`driftModel()\` (${defaults.embedder.id}, α = ${defaults.alpha}, no tool descriptions) ${same ? "are" : "are NOT"} this model.`,
);
out();
out(
  "| half | tasks | benign sessions / actions | successful attacks with a goal action | per-action AUC | per-session AUC |",
);
out("| --- | ---: | ---: | ---: | ---: | ---: |");
for (const [name, d, s] of [
  ["tuning", half(ds, true), A],
  ["held out", half(ds, false), B],
] as const) {
  const ntasks = new Set(d.map((x) => x.task)).size;
  out(
    `| ${name} | ${ntasks} | ${s.session.neg.length} / ${s.action.neg.length} | ${s.action.pos.length} | ${f3(rocAuc(s.action.pos, s.action.neg))} | ${f3(rocAuc(s.session.pos, s.session.neg))} |`,
  );
}
const noGoal = ds.filter((d) => !d.benign && d.goal < 0).length;
out();
out(
  `${noGoal} successful attacks have no goal action (the goal is a sentence in the agent's answer, or a denial of service) and are not scored.`,
);

out();
out("### Thresholds (chosen on the tuning half, measured on both)");
out();
out("| rule | chosen by | threshold | TPR tuning | FPR tuning | TPR held out | FPR held out |");
out("| --- | --- | ---: | ---: | ---: | ---: | ---: |");
const row = (rule: string, how: string, r: Rates, pos: number[], neg: number[]) => {
  const h = ratesAt(r.threshold, pos, neg);
  out(
    `| \`${rule} > ${r.threshold.toFixed(2)}\` | ${how} | ${r.threshold.toFixed(2)} | ${pct(r.tpr)} | ${pct(r.fpr)} | ${pct(h.tpr)} | ${pct(h.fpr)} |`,
  );
};
row("drift", "max TPR − FPR", chooseThreshold(A.action.pos, A.action.neg), B.action.pos, B.action.neg);
row(
  "drift",
  "max TPR − FPR with FPR ≤ 5%",
  chooseThreshold(A.action.pos, A.action.neg, 0.05),
  B.action.pos,
  B.action.neg,
);
row(
  "session.drift",
  "max TPR − FPR",
  chooseThreshold(A.session.pos, A.session.neg),
  B.session.pos,
  B.session.neg,
);
row(
  "session.drift",
  "max TPR − FPR with FPR ≤ 5%",
  chooseThreshold(A.session.pos, A.session.neg, 0.05),
  B.session.pos,
  B.session.neg,
);
out();
out(
  "TPR: share of successful attacks flagged at or before their goal action (per action: the goal action itself).",
);
out("FPR: share of benign actions (per action) or benign sessions (per session) flagged.");

// 4. Per suite, on all data (descriptive only: nothing is chosen here).
out();
out("### Per suite, all tasks (descriptive)");
out();
out(
  "| suite | benign actions | goal actions | per-action AUC | mean drift, benign actions | mean drift, goal actions |",
);
out("| --- | ---: | ---: | ---: | ---: | ---: |");
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
for (const suite of SUITES) {
  const s = scores(ds.filter((d) => d.task.startsWith(`${suite}/`)));
  out(
    `| ${suite} | ${s.action.neg.length} | ${s.action.pos.length} | ${f3(rocAuc(s.action.pos, s.action.neg))} | ${f3(mean(s.action.neg))} | ${f3(mean(s.action.pos))} |`,
  );
}

// 5. Would a drift rule help the example policies? Only if some attacker-goal action they still let run drifts
// further than every benign action (or session) they let run: otherwise any threshold that catches it also
// interrupts benign work. Descriptive, on all sessions, with the default model.
out();
out("### Drift rules on the example policies (all tasks, default model)");
out();
out(
  "| suite | benign actions the policy runs | their highest drift / session drift | goal actions the policy still runs | of those, above the benign highest (drift / session drift) |",
);
out("| --- | ---: | ---: | ---: | ---: |");
const model = driftModel();
for (const suite of SUITES) {
  const compiled = compileFile(join(root, "examples", `agentdojo-${suite}`, "policy.aarm"));
  if (!compiled.ir) throw new Error(`examples/agentdojo-${suite}/policy.aarm does not compile`);
  const policy = loadPolicy(compiled.ir);
  const benign: [number, number][] = [];
  const goals: [number, number][] = [];
  for (const s of sessions.filter((x) => x.meta?.["suite"] === suite)) {
    const isBenign = agentDojoClass(s) === "benign";
    for (const a of replaySession(policy, s, { drift: model }).actions) {
      if (a.decision.effect !== "ALLOW" && a.decision.effect !== "MODIFY") continue;
      const pair: [number, number] = [a.decision.drift?.action ?? NaN, a.decision.drift?.session ?? NaN];
      if (isBenign) benign.push(pair);
      else if (a.action.meta?.["attacker_goal"] === true) goals.push(pair);
    }
  }
  const top = [0, 1].map((i) => Math.max(...benign.map((p) => p[i]!)));
  const above = [0, 1].map((i) => goals.filter((p) => p[i]! > top[i]!).length);
  out(
    `| ${suite} | ${benign.length} | ${f3(top[0]!)} / ${f3(top[1]!)} | ${goals.length} | ${above[0]} / ${above[1]} |`,
  );
}

// Print, or update / check the quoted report in docs/drift.md.
const text = report.join("\n");
if (mode === undefined) process.stdout.write(`${text}\n`);
else {
  const doc = join(root, "docs", "drift.md");
  const [begin, end] = ["<!-- drift:calibrate begin -->", "<!-- drift:calibrate end -->"];
  const old = readFileSync(doc, "utf8");
  const [i, j] = [old.indexOf(begin), old.indexOf(end)];
  if (i < 0 || j < i) {
    process.stderr.write(`drift:calibrate: ${doc} has no ${begin} ... ${end} block\n`);
    process.exit(1);
  }
  const spliced = `${old.slice(0, i + begin.length)}\n\n${text}\n\n${old.slice(j)}`;
  const updated = await format(spliced, { ...(await resolveConfig(doc)), filepath: doc });
  if (mode === "--write") writeFileSync(doc, updated);
  else if (updated !== old) {
    process.stderr.write(
      "drift:calibrate: docs/drift.md does not quote the current report; run `npm run drift:calibrate -- --write`\n",
    );
    process.exit(1);
  }
}
