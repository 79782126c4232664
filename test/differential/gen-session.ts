/**
 * Random session scripts: an opening (identity, request, context) and a sequence of decisions, results and
 * context updates. Arguments mostly conform to the tool's schema and often reuse values that appeared earlier in
 * the request or in tool outputs, so that provenance and history conditions have something to find.
 */
import type { Draw } from "./draw.js";
import {
  DELEGATION,
  EMAILS,
  FRAGMENTS,
  IBANS,
  NUMBERS,
  poolFor,
  ROLES,
  SCOPES,
  URLS,
  WORDS,
} from "./pools.js";
import { type Schema, TOOLS } from "./schema-model.js";

export type Step =
  | {
      readonly kind: "decide";
      readonly tool: string;
      readonly args: Record<string, unknown>;
      readonly dt: number;
    }
  | { readonly kind: "record"; readonly outcome: { readonly output: unknown } | { readonly error: string } }
  | { readonly kind: "context"; readonly field: string; readonly value: unknown };

export interface Script {
  readonly identity: Record<string, unknown>;
  readonly request?: string;
  readonly context?: Record<string, unknown>;
  readonly steps: readonly Step[];
}

/** Values hosts set on context fields; about one in four has the wrong type (the rule reading it fails closed). */
const CONTEXT_VALUES: Readonly<Record<string, readonly unknown[]>> = {
  env: ["prod", "staging", "prod", 5],
  confidence: [0.2, 0.5, 0.7, "high"],
  maintenance_window: [true, false, "yes"],
  tickets: [["CHG-1"], [], ["INC-2", "CHG-1"], "CHG-1"],
  token_age: [60_000, 7_200_000, 600_000, "1h"],
  owner: ["Ann Smith", "bob", "ann@corp.example", ["ann"]],
};
const KERNEL_CALLS = [
  () => ({ tool: "file.open", args: { path: "/etc/ssh/id_rsa" } }),
  () => ({ tool: "net.connect", args: { address: "203.0.113.7", port: 8080 } }),
  () => ({ tool: "process.exec", args: { path: "/tmp/x" } }),
  () => ({ tool: "unknown.tool", args: {} }),
];
const DTS = [0, 1_000, 20_000, 180_000, 480_000, 2_400_000, 7_200_000, -5_000];

class SessionGen {
  /** Values seen so far (request words, output values), reused in later arguments. */
  readonly seen: string[] = [];
  constructor(readonly d: Draw) {}

  text(min: number, max: number): string {
    return Array.from({ length: this.d.int(min, max) }, () => this.d.pick(FRAGMENTS)).join(
      this.d.pick([" ", ", ", "\n"]),
    );
  }

  string(name: string, max: number): string {
    const d = this.d;
    if (this.seen.length > 0 && d.chance(0.25)) return this.d.pick(this.seen).slice(0, max);
    const pool = poolFor(name).filter((v) => v.length <= max);
    return d.pick(pool.length > 0 ? pool : WORDS);
  }

  value(name: string, s: Schema): unknown {
    const d = this.d;
    const types = Array.isArray(s.type) ? s.type : [s.type];
    if (types.includes("null") && d.chance(0.2)) return null;
    if (s.enum) return d.chance(0.98) ? d.pick(s.enum) : "bogus";
    if (types.includes("string")) return this.string(name, s.maxLength ?? 1000);
    if (types.includes("integer") || types.includes("number")) {
      const min = s.minimum ?? -1e6;
      const max = s.maximum ?? 1e6;
      const ok = NUMBERS.filter(
        (n) => n >= min && n <= max && (types.includes("number") || Number.isInteger(n)),
      );
      return d.chance(0.96) && ok.length > 0 ? d.pick(ok) : d.pick([min, max, max + 1, -1, 2.5]);
    }
    if (types.includes("boolean")) return d.chance(0.5);
    if (types.includes("array")) {
      return Array.from({ length: d.int(s.minItems ?? 0, 3) }, () =>
        this.value(name, s.items ?? { type: "string" }),
      );
    }
    if (types.includes("object")) return this.object(s);
    return null;
  }

  object(s: Schema): Record<string, unknown> {
    const d = this.d;
    const out: Record<string, unknown> = {};
    for (const [name, p] of Object.entries(s.properties ?? {})) {
      const required = (s.required ?? []).includes(name);
      if (required ? d.chance(0.99) : d.chance(0.5)) out[name] = this.value(name, p);
    }
    if (d.chance(0.01)) out["extra"] = 1;
    if (d.chance(0.02)) {
      const k = d.pick(Object.keys(out).concat(["x"]));
      out[k] = d.pick([42, "str", [1], { a: 1 }, true]);
    }
    return out;
  }

  output(): { output: unknown } | { error: string } {
    const d = this.d;
    const k = d.int(0, 9);
    let v: unknown;
    if (k === 0) return { error: this.text(1, 2) };
    if (k < 5) v = this.text(1, 5);
    else if (k < 7)
      v = {
        total: d.int(0, 5),
        messages: Array.from({ length: d.int(0, 2) }, () => ({
          from: d.pick(EMAILS),
          subject: this.text(1, 2),
        })),
      };
    else if (k < 8) v = { status: d.pick(["ok", "error"]), rows: d.pick(NUMBERS), owner: d.pick(EMAILS) };
    else if (k < 9) v = [d.pick(IBANS), d.pick(URLS), d.pick(NUMBERS)];
    else v = d.pick([null, 50.0, true, "secret"]);
    this.remember(JSON.stringify(v));
    return { output: v };
  }

  remember(text: string): void {
    for (const w of text.split(/[\s,"[\]{}]+/)) if (w.length > 0) this.seen.push(w);
  }

  script(focus: readonly string[]): Script {
    const d = this.d;
    const identity: Record<string, unknown> = {};
    if (d.chance(0.8)) identity["human"] = d.pick(["ann", "bob", "ann.smith"]);
    if (d.chance(0.4)) identity["agent"] = d.pick(["agent-1", "planner"]);
    if (d.chance(0.3)) identity["service"] = "svc-payments";
    if (d.chance(0.6)) identity["role"] = d.pick(ROLES);
    if (d.chance(0.5)) identity["scopes"] = d.some(SCOPES, 0, 3);
    if (d.chance(0.4)) identity["delegation"] = d.some(DELEGATION, 0, 4);
    const request = d.chance(0.75) ? this.text(1, 5) : undefined;
    if (request !== undefined) this.remember(request);
    const context: Record<string, unknown> = {};
    for (const [k, vs] of Object.entries(CONTEXT_VALUES)) if (d.chance(0.4)) context[k] = d.pick(vs);
    const steps: Step[] = [];
    for (let n = d.int(1, 8); n > 0; n--) {
      const k = d.int(0, 99);
      if (k < 4) {
        const call = d.pick(KERNEL_CALLS)();
        steps.push({ kind: "decide", ...call, dt: d.pick(DTS) });
        continue;
      }
      const name = k < 75 && focus.length > 0 ? d.pick(focus) : d.pick(TOOLS).name;
      const t = TOOLS.find((x) => x.name === name)!;
      steps.push({ kind: "decide", tool: name, args: this.object(t.schema), dt: d.pick(DTS) });
      if (d.chance(0.7)) steps.push({ kind: "record", outcome: this.output() });
      if (d.chance(0.15)) {
        const field = d.pick(Object.keys(CONTEXT_VALUES));
        steps.push({ kind: "context", field, value: d.pick(CONTEXT_VALUES[field]!) });
      }
    }
    return {
      identity,
      ...(request !== undefined ? { request } : {}),
      ...(Object.keys(context).length > 0 || d.chance(0.5) ? { context } : {}),
      steps,
    };
  }
}

/** A random session script over the given (mostly) focus tools. */
export function genScript(d: Draw, focus: readonly string[]): Script {
  return new SessionGen(d).script(focus);
}
