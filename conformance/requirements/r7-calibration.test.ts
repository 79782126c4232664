/**
 * AARM R7: "Validate embedding model suitability through calibration against known-benign and known-malicious
 * action sequences." The built-in drift model, with its defaults, measured on real recorded sessions (AgentDojo's
 * banking suite: benign sessions against successful attacks up to the attacker's goal action). The full
 * calibration over every suite, with held-out halves, is `npm run drift:calibrate` (docs/drift.md).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
/* eslint-disable no-restricted-imports -- the drift model and the calibration helpers are not exported from the package
   entry point (index.ts) */
import { driftModel } from "../../runtime/drift/index.js";
import { agentDojoClass, measureAgentDojo, scores } from "../../sessions/drift-calibration.js";
import { readAgentDojo } from "../../sessions/node.js";
import { rocAuc } from "../../sessions/roc.js";

const root = new URL("../..", import.meta.url).pathname;
const data = join(root, "..", "shared", "data", "agentdojo", "gpt-4o-2024-05-13.sessions.jsonl.gz");

describe.skipIf(!existsSync(data))("R7 drift calibration on recorded sessions", () => {
  it("[R7.2] R7 the default model ranks attacker-goal actions above benign actions (per-action ROC AUC > 0.6)", () => {
    const sessions = readAgentDojo(data, { filter: (r) => r["suite"] === "banking" }).filter(
      (s) => agentDojoClass(s) !== null,
    );
    const ds = measureAgentDojo(driftModel(), sessions);
    const s = scores(ds);
    expect(s.action.neg.length).toBeGreaterThan(20);
    expect(s.action.pos.length).toBeGreaterThan(100);
    const auc = rocAuc(s.action.pos, s.action.neg);
    expect(auc).toBeGreaterThan(0.6);
    expect(auc).toBeLessThanOrEqual(1);
  }, 120_000);
});
