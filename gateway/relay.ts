/**
 * One gateway session: JSON-RPC messages relayed between the client's transport (downstream) and the tool
 * server's (upstream), both the MCP SDK's. Notifications, responses and the server's own requests (such as
 * `roots/list`) pass through unchanged; the client's requests are handled as follows:
 *
 * - `initialize`: the client's identity and request are checked first (a refused session gets a JSON-RPC error
 *   and never reaches the server); the `aarm/` `_meta` keys are removed;
 * - `tools/call`: decided first. A refusal is a tool error result with the reason, and nothing goes upstream; an
 *   admitted call goes upstream with exactly the admitted arguments, and its result is recorded before the client
 *   sees it;
 * - `tools/list` results: tools the mediator does not list are removed;
 * - `notifications/cancelled` for a call being held: the hold ends (the call is refused, nothing goes upstream);
 * - other requests pass only if methods.ts lets them (e.g. `resources/read` is refused: the policy decides tools).
 *
 * Fail closed: once the upstream has failed (closed, unparsable output, no answer in time), every pending and later
 * call is refused with the reason.
 */
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { JSONRPCMessage, MessageExtraInfo } from "@modelcontextprotocol/sdk/types.js";
import type { Admission, CallOutcome, MediatedSession, Mediator } from "./mediator.js";
import { presentedInit, stripInitMeta } from "./session-init.js";
import { callOutcome, errorResult } from "./results.js";

/** What every session of one gateway shares. */
export interface GatewayCore {
  readonly mediator: Mediator;
  /** Whether a client request other than initialize and tools/call may pass (methods.ts). */
  readonly passes: (method: string) => boolean;
  /** How long a forwarded call may take before it is failed (ms). */
  readonly upstreamTimeoutMs: number;
  /** Diagnostics (stderr): never the MCP channel. */
  readonly log: (line: string) => void;
}

export interface RelayOptions extends GatewayCore {
  readonly id: string;
  readonly downstream: Transport;
  /** Connect to the tool server (called once, after the session was accepted). */
  readonly connectUpstream: () => Promise<Transport>;
  /** Called once when the session ends. */
  readonly onClose?: () => void;
}

type Id = string | number;
type Rec = Record<string, unknown>;

interface Forwarded {
  readonly method: string;
  readonly ticket?: string;
  readonly timer?: ReturnType<typeof setTimeout>;
}

const key = (id: Id): string => (typeof id === "number" ? `n${id}` : `s${id}`);

function isRec(v: unknown): v is Rec {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export class Relay {
  readonly #o: RelayOptions;
  #upstream: Transport | null = null;
  #session: MediatedSession | null = null;
  /** Set once the `initialize` request has been handled; other messages wait for it. */
  #ready: Promise<boolean> | null = null;
  /** Why the upstream can no longer be used. */
  #broken: string | null = null;
  #closed = false;
  readonly #forwarded = new Map<string, Forwarded>();
  readonly #held = new Map<string, AbortController>();

  constructor(options: RelayOptions) {
    this.#o = options;
    const d = options.downstream;
    d.onmessage = (m: JSONRPCMessage, extra?: MessageExtraInfo) => void this.#fromClient(m, extra);
    d.onclose = () => void this.close();
    d.onerror = (e: Error) => options.log(`session ${options.id}: client transport: ${e.message}`);
  }

  /** The client's transport. */
  get downstream(): Transport {
    return this.#o.downstream;
  }

  get session(): MediatedSession | null {
    return this.#session;
  }

  /** End the session: hold no call, close both transports, close the mediated session. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const h of this.#held.values()) h.abort();
    await this.#failForwarded("the session was closed");
    await Promise.allSettled([this.#upstream?.close(), this.#o.downstream.close()]);
    await this.#session?.close();
    this.#o.onClose?.();
  }

  async #toClient(message: JSONRPCMessage): Promise<void> {
    try {
      await this.#o.downstream.send(message);
    } catch (e) {
      this.#o.log(
        `session ${this.#o.id}: cannot send to the client: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  }

  async #toServer(message: JSONRPCMessage): Promise<boolean> {
    if (this.#broken !== null || !this.#upstream) return false;
    try {
      await this.#upstream.send(message);
      return true;
    } catch (e) {
      this.#breakUpstream(
        `the tool server cannot be reached (${e instanceof Error ? e.message : String(e)})`,
      );
      return false;
    }
  }

  async #fromClient(message: JSONRPCMessage, extra?: MessageExtraInfo): Promise<void> {
    const m = message as Rec;
    if (m["method"] === "initialize" && "id" in m) {
      this.#ready ??= this.#initialize(m, extra);
      return;
    }
    if (!this.#ready || !(await this.#ready)) {
      if ("id" in m && typeof m["method"] === "string")
        await this.#toClient(rpcError(m["id"] as Id, -32600, "the session is not initialized"));
      return;
    }
    if (m["method"] === "tools/call" && "id" in m) return this.#call(m);
    if (m["method"] === "notifications/cancelled" && isRec(m["params"])) {
      const id = m["params"]["requestId"];
      const held = typeof id === "string" || typeof id === "number" ? this.#held.get(key(id)) : undefined;
      if (held) return void held.abort();
    }
    if (typeof m["method"] === "string" && "id" in m) {
      if (!this.#o.passes(m["method"]))
        return this.#toClient(
          rpcError(
            m["id"] as Id,
            -32601,
            `${m["method"]} is not mediated by the gateway's policy, so it is refused`,
          ),
        );
      this.#track(m["id"] as Id, { method: m["method"] });
    }
    if (!(await this.#toServer(message)) && typeof m["method"] === "string" && "id" in m)
      await this.#toClient(
        rpcError(m["id"] as Id, -32603, `the tool server is unavailable: ${this.#broken}`),
      );
  }

  async #initialize(m: Rec, extra?: MessageExtraInfo): Promise<boolean> {
    const id = m["id"] as Id;
    const presented = presentedInit(m["params"], extra?.requestInfo?.headers);
    const opened =
      presented.problem !== undefined
        ? { ok: false as const, reason: presented.problem }
        : await this.#o.mediator.open({ ...presented, id: this.#o.id });
    if (!opened.ok) {
      this.#o.log(`session ${this.#o.id}: refused: ${opened.reason}`);
      await this.#toClient(rpcError(id, -32600, `session refused: ${opened.reason}`));
      setImmediate(() => void this.close());
      return false;
    }
    this.#session = opened.session;
    try {
      const up = await this.#o.connectUpstream();
      up.onmessage = (msg: JSONRPCMessage) => void this.#fromServer(msg);
      up.onclose = () => this.#breakUpstream("the tool server closed the connection");
      up.onerror = (e: Error) => this.#o.log(`session ${this.#o.id}: tool server: ${e.message}`);
      this.#upstream = up;
      await up.start();
    } catch (e) {
      this.#breakUpstream(
        `the tool server cannot be started (${e instanceof Error ? e.message : String(e)})`,
      );
      await this.#toClient(rpcError(id, -32603, `the tool server is unavailable: ${this.#broken}`));
      return false;
    }
    this.#track(id, { method: "initialize" });
    return this.#toServer({ ...m, params: stripInitMeta(m["params"]) } as JSONRPCMessage);
  }

  #track(id: Id, f: Forwarded): void {
    this.#forwarded.set(key(id), f);
  }

  async #call(m: Rec): Promise<void> {
    const id = m["id"] as Id;
    const params = isRec(m["params"]) ? m["params"] : {};
    const name = typeof params["name"] === "string" ? params["name"] : "";
    const hold = new AbortController();
    this.#held.set(key(id), hold);
    let admission: Admission;
    try {
      admission = await this.#session!.admit({ name, message: m }, hold.signal);
    } finally {
      this.#held.delete(key(id));
    }
    if (admission.kind === "refuse") return this.#toClient(errorResult(id, admission.text));
    if (this.#broken !== null || this.#closed) {
      const reason = `the tool server is unavailable: ${this.#broken ?? "the session was closed"}`;
      await this.#session!.complete(admission.ticket, { error: reason });
      return this.#toClient(errorResult(id, reason));
    }
    const timer = setTimeout(() => void this.#timeout(id), this.#o.upstreamTimeoutMs);
    this.#track(id, { method: "tools/call", ticket: admission.ticket, timer });
    const forwarded = {
      ...m,
      params: { ...params, arguments: admission.arguments },
    } as unknown as JSONRPCMessage;
    if (!(await this.#toServer(forwarded))) {
      // #breakUpstream already failed every forwarded call, this one included.
    }
  }

  async #timeout(id: Id): Promise<void> {
    const f = this.#forwarded.get(key(id));
    if (!f) return;
    this.#forwarded.delete(key(id));
    await this.#finishCall(id, f, {
      error: `the tool server did not answer within ${this.#o.upstreamTimeoutMs} ms`,
    });
  }

  /** Record a call's outcome, then answer the client (with an error result if recording failed). */
  async #finishCall(id: Id, f: Forwarded, outcome: CallOutcome, reply?: JSONRPCMessage): Promise<void> {
    if (f.timer) clearTimeout(f.timer);
    const done = await this.#session!.complete(f.ticket!, outcome);
    if (!done.ok) return this.#toClient(errorResult(id, `the result was withheld: ${done.reason}`));
    return this.#toClient(reply ?? errorResult(id, "error" in outcome ? outcome.error : "no result"));
  }

  async #fromServer(message: JSONRPCMessage): Promise<void> {
    const m = message as Rec;
    const isResponse = !("method" in m) && "id" in m && ("result" in m || "error" in m);
    const f = isResponse ? this.#forwarded.get(key(m["id"] as Id)) : undefined;
    if (!f) return this.#toClient(message);
    const id = m["id"] as Id;
    this.#forwarded.delete(key(id));
    if (f.method === "tools/call") {
      const r = callOutcome(m);
      return this.#finishCall(id, f, r.outcome, r.reply);
    }
    if (f.method === "tools/list" && isRec(m["result"]) && Array.isArray(m["result"]["tools"])) {
      const tools = (m["result"]["tools"] as unknown[]).filter(
        (t) => isRec(t) && typeof t["name"] === "string" && this.#o.mediator.listed(t["name"]),
      );
      return this.#toClient({ ...m, result: { ...m["result"], tools } } as unknown as JSONRPCMessage);
    }
    if (f.method === "initialize" && isRec(m["result"]) && typeof m["result"]["protocolVersion"] === "string")
      this.#upstream?.setProtocolVersion?.(m["result"]["protocolVersion"]);
    return this.#toClient(message);
  }

  #breakUpstream(reason: string): void {
    if (this.#broken !== null || this.#closed) return;
    this.#broken = reason;
    this.#o.log(`session ${this.#o.id}: ${reason}; every tool call is refused from now on`);
    void this.#failForwarded(reason);
  }

  /** Answer every request still waiting for the tool server. */
  async #failForwarded(reason: string): Promise<void> {
    const pending = [...this.#forwarded.entries()];
    this.#forwarded.clear();
    await Promise.all(
      pending.map(async ([k, f]) => {
        const id: Id = k.startsWith("n") ? Number(k.slice(1)) : k.slice(1);
        if (f.method === "tools/call")
          return this.#finishCall(id, f, { error: `the tool server is unavailable: ${reason}` });
        if (!this.#closed)
          await this.#toClient(rpcError(id, -32603, `the tool server is unavailable: ${reason}`));
      }),
    );
  }
}

function rpcError(id: Id, code: number, message: string): JSONRPCMessage {
  return { jsonrpc: "2.0", id, error: { code, message } } as JSONRPCMessage;
}
