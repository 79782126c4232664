/**
 * Running a session script against a loaded policy, collecting everything observable: every decision record,
 * every classification of a recorded result, the final labels and level, and the head of the context log.
 */
import { compileSource, type CompileResult } from "../../compiler/compile.js";
import { memoryHost } from "../../compiler/host.js";
import { makeSource } from "../../language/source.js";
import type { DecisionRecord, Policy, SessionOptions } from "../../runtime/api.js";
import type { DriftModel } from "../../runtime/drift/index.js";
import type { IrPolicy } from "../../runtime/ir/index.js";
import { verifyLog } from "../../runtime/session/log.js";
import { ajvValidator, type ArgValidator } from "../../runtime/validate.js";
import type { Script } from "./gen-session.js";
import { TOOLS_JSON } from "./schema-model.js";

/** Session start time, and the clock given to loaded policies (the decisions must not read it). */
export const T0 = 1_700_000_000_000;

export interface Trace {
  readonly decisions: readonly DecisionRecord[];
  readonly classifications: readonly { readonly labels: readonly string[]; readonly level: number }[];
  readonly labels: readonly string[];
  readonly level: number;
  readonly logHead: string;
}

/** Compile generated policy text against tools.json. */
export function compileGenerated(text: string): CompileResult {
  return compileSource(
    makeSource("policy.aarm", text),
    memoryHost({ "policy.aarm": text, "tools.json": TOOLS_JSON }),
  );
}

const validators = new Map<string, ArgValidator>();

/**
 * The ajv validator of a policy's tools, shared by all policies with the same tools (every generated policy has
 * the tools of tools.json): compiling JSON Schemas dominates the cost of loading a policy.
 */
export function sharedValidator(ir: IrPolicy): ArgValidator {
  const key = JSON.stringify(ir.tools);
  let v = validators.get(key);
  if (!v) validators.set(key, (v = ajvValidator(ir)));
  return v;
}

/** Run a script in a fresh session of `policy`, with `drift` as the session's drift model when given. */
export function runScript(policy: Policy, script: Script, sessionId: string, drift?: DriftModel): Trace {
  const options: SessionOptions = {
    id: sessionId,
    ...(drift !== undefined ? { drift } : {}),
    identity: script.identity,
    ...(script.request !== undefined ? { request: script.request } : {}),
    ...(script.context !== undefined ? { context: script.context } : {}),
  };
  const session = policy.openSession(options);
  const decisions: DecisionRecord[] = [];
  const classifications: Trace["classifications"][number][] = [];
  let time = T0;
  let last: DecisionRecord | undefined;
  for (const [i, step] of script.steps.entries()) {
    switch (step.kind) {
      case "decide":
        time += step.dt;
        last = session.decide({ id: `a${i}`, tool: step.tool, args: step.args, time });
        decisions.push(last);
        break;
      case "record":
        if (last && (last.effect === "ALLOW" || last.effect === "MODIFY")) {
          classifications.push(session.record(last.action.id, step.outcome));
          last = undefined;
        }
        break;
      case "context":
        session.setContext(step.field, step.value);
        break;
    }
  }
  const log = verifyLog(session.state.log.entries);
  if (!log.ok) throw new Error(`context log does not verify: ${log.problem}`);
  return {
    decisions,
    classifications,
    labels: [...session.state.labels].sort(),
    level: session.state.level,
    logHead: log.head,
  };
}
