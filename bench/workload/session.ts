/**
 * Benchmark sessions and requests: a session with H prior actions (decided, run and recorded through the public
 * API, so its history, labels and provenance index are what a real session holds), and a pool of requests over
 * the 100 tools whose recipients and bodies come from the user's request, from earlier tool outputs, or from
 * nowhere. The same requests are translated into Cedar authorization calls, with the session facts the Cedar
 * policies read precomputed into the context (Cedar has no session state of its own).
 */
import type { CanonicalAction, Policy, Session } from "../../runtime/api.js";
import {
  COUNT_WINDOW_MIN,
  DOMAINS,
  SEQUENCE_WINDOW_MIN,
  sequenceKey,
  TOOL_COUNT,
  toolName,
} from "./policy.js";
import { random } from "./random.js";

/** When every benchmark session starts (2025-01-01T00:00:00Z); prior actions are one second apart. */
export const START = Date.UTC(2025, 0, 1);

/** The user's request: the recipients it names are "from the request" for provenance. */
export const REQUEST =
  "Please pay the open invoices to alice@corp.example and bob@partner.example, then send the monthly report " +
  "to carol@corp.example and file the receipts.";
const FROM_REQUEST = ["alice@corp.example", "bob@partner.example", "carol@corp.example"];
const NAMES = ["dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory", "oscar", "peggy"];

export const IDENTITY = { human: "alice@corp.example", agent: "bench-agent", role: "teller" } as const;

/** The recipient named in the i-th tool output. */
function outputRecipient(i: number): string {
  return `${NAMES[i % NAMES.length]}${i % 97}@${DOMAINS[i % DOMAINS.length]}`;
}

/** The i-th prior tool output: an invoice-like text naming a recipient and a reference. */
function outputText(i: number): string {
  return `Invoice INV-${i} from ${outputRecipient(i)} for ${(i * 37) % 1000} EUR, reference REF${i % 500}, due in ${1 + (i % 30)} days.`;
}

export interface BenchSession {
  readonly session: Session;
  /** The time of the benchmarked actions (one second after the last prior action). */
  readonly now: number;
}

/** Open a session and give it `history` prior actions, each decided, run and its result recorded. */
export function buildSession(policy: Policy, history: number, seed = 11): BenchSession {
  const next = random(seed);
  const session = policy.openSession({ identity: { ...IDENTITY }, request: REQUEST });
  for (let i = 0; i < history; i++) {
    const tool = toolName(Math.floor(next() * TOOL_COUNT));
    const to = next() < 0.5 ? FROM_REQUEST[i % FROM_REQUEST.length]! : outputRecipient(Math.max(0, i - 1));
    const d = session.decide({
      tool,
      args: { to, amount: 1 + Math.floor(next() * 50), body: `payment ${i}` },
      time: START + i * 1000,
    });
    // A denied prior action counts as approved and run: the session's history is what is being measured.
    if (d.effect !== "ALLOW" && d.effect !== "MODIFY") session.markExecuted(d.action);
    session.record(d.action.id, { output: outputText(i) });
  }
  return { session, now: START + history * 1000 };
}

export interface BenchRequest {
  readonly tool: string;
  readonly args: { readonly to: string; readonly amount: number; readonly body: string };
}

/** A pool of `n` requests over all tools (or over `tools` only), deterministic for a seed. */
export function makeRequests(
  n: number,
  history: number,
  options: { seed?: number; tools?: readonly string[] } = {},
): BenchRequest[] {
  const next = random(options.seed ?? 23);
  const tools = options.tools ?? Array.from({ length: TOOL_COUNT }, (_, i) => toolName(i));
  const out: BenchRequest[] = [];
  for (let i = 0; i < n; i++) {
    const r = next();
    const seenOutput = history > 0 ? Math.floor(next() * history) : 0;
    const to =
      r < 0.4 || history === 0
        ? r < 0.8
          ? FROM_REQUEST[i % FROM_REQUEST.length]!
          : `stranger${i}@${DOMAINS[i % DOMAINS.length]}`
        : r < 0.8
          ? outputRecipient(seenOutput)
          : `stranger${i}@${DOMAINS[i % DOMAINS.length]}`;
    const body =
      next() < 0.5 && history > 0
        ? `as discussed: reference REF${seenOutput % 500}`
        : `note ${i} for the monthly report`;
    out.push({
      tool: tools[Math.floor(next() * tools.length)]!,
      args: { to, amount: 1 + Math.floor(next() * 2000), body },
    });
  }
  return out;
}

/** The canonical action of a request in a session, at a time. */
export function canonical(session: Session, r: BenchRequest, now: number, i: number): CanonicalAction {
  return { id: `bench_${i}`, tool: r.tool, args: r.args, time: now, session: session.id };
}

/** A Cedar `isAuthorized` call (without the policy set): entities, request and context. */
export interface CedarCall {
  readonly principal: { readonly type: string; readonly id: string };
  readonly action: { readonly type: string; readonly id: string };
  readonly resource: { readonly type: string; readonly id: string };
  readonly context: Record<string, unknown>;
  readonly entities: readonly unknown[];
}

const ALL_TOOLS = Array.from({ length: TOOL_COUNT }, (_, i) => toolName(i));

/**
 * The Cedar call for a request: the session facts the generated Cedar policies read (labels, provenance of `to`
 * and `body`, tools seen and counted in the last hour, the policy's sequences that occurred) computed by the host
 * from the same session state aarm decides against.
 */
export function cedarCall(
  session: Session,
  r: BenchRequest,
  now: number,
  sequences: readonly (readonly [string, string])[],
): CedarCall {
  const s = session.state;
  const hour = now - COUNT_WINDOW_MIN * 60_000;
  const sources = (v: string) => [...s.provenance(v)];
  const counts: Record<string, number> = {};
  const seen: string[] = [];
  for (const t of ALL_TOOLS) {
    const c = s.count([t], hour);
    counts[t] = c;
    if (c > 0) seen.push(t);
  }
  const seqSince = now - SEQUENCE_WINDOW_MIN * 60_000;
  const occurred = sequences
    .filter(([a, b]) => s.sequence([[a], [b]], seqSince))
    .map(([a, b]) => sequenceKey(a, b));
  return {
    principal: { type: "Agent", id: IDENTITY.agent },
    action: { type: "Action", id: "call" },
    resource: { type: "Tool", id: r.tool },
    context: {
      args: { ...r.args },
      labels: [...s.labels],
      provenance: { to: sources(r.args.to), body: sources(r.args.body) },
      seen,
      counts,
      sequences: occurred,
    },
    entities: [{ uid: { type: "Agent", id: IDENTITY.agent }, attrs: { role: IDENTITY.role }, parents: [] }],
  };
}
