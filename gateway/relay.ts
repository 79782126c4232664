/**
 * One gateway session: JSON-RPC messages relayed between the client's transport (downstream) and the tool
 * server's (upstream), both the MCP SDK's. Notifications and responses pass through unchanged, and the server's own
 * requests only when methods.ts relays them (`roots/list`, `ping`; `sampling/createMessage` and `elicitation/create`
 * are refused unless passed); the client's requests are handled as follows:
 *
 * - `initialize`: the client's identity and request open the mediated session first (a refused session gets a
 *   JSON-RPC error and never reaches the server); the `aarm/` `_meta` keys are removed, and so are the client's
 *   capabilities whose requests would be refused (`sampling`, `elicitation`);
 * - `tools/call`: decided first (mediator.ts). A refused call is a tool error result with the reason, and nothing
 *   goes upstream; an admitted call goes upstream with exactly the decided arguments;
 * - `tools/list` results: tools the mediator does not list are removed;
 * - `notifications/cancelled` for a call being held: the hold ends (the call is denied, nothing goes upstream);
 * - other requests pass only if methods.ts lets them (e.g. `resources/read` is refused: the policy decides tools).
 *
 * Fail closed: once the upstream has failed (closed, unreachable, no answer in time), every pending and later call
 * fails with the reason.
 */
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { JSONRPCMessage, MessageExtraInfo } from "@modelcontextprotocol/sdk/types.js";
import type { MediatedSession, Mediator } from "./mediator.js";
import { presentedInit, stripInitMeta, withoutRefusedCapabilities } from "./session-init.js";
import type { CallStamps, Timings } from "./timings.js";
import { isRecord } from "./records.js";

/** What every session of one gateway shares. */
export interface GatewayCore {
  readonly mediator: Mediator;
  /** Whether a client request other than initialize and tools/call may pass (methods.ts). */
  readonly passes: (method: string) => boolean;
  /** Whether a request of the tool server's own (such as `roots/list`) is relayed to the client (methods.ts). */
  readonly serverPasses: (method: string) => boolean;
  /** How long a forwarded request may take before it is failed (ms). */
  readonly upstreamTimeoutMs: number;
  /** Progress notifications while a call is held, every this many ms (0: none). */
  readonly heartbeatMs: number;
  /** Diagnostics (stderr): never the MCP channel. */
  readonly log: (line: string) => void;
  /** Where the time of each forwarded call goes (`--timings`), when measured. */
  readonly timings?: Timings;
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

/** A server may take this long to start and answer `initialize`, whatever the upstream timeout. */
const STARTUP_MS = 60_000;
type Rec = Record<string, unknown>;

/** A client request sent upstream, waiting for the server's response. */
interface Pending {
  readonly method: string;
  readonly settle: (response: Rec | Error) => void;
  /** The call's moments, when timed: `answered` is set when the server's answer arrives. */
  readonly stamps: CallStamps | undefined;
}

const key = (id: Id): string => (typeof id === "number" ? `n${id}` : `s${id}`);
const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

function rpcError(id: Id, code: number, text: string): JSONRPCMessage {
  return { jsonrpc: "2.0", id, error: { code, message: text } } as JSONRPCMessage;
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
  readonly #pending = new Map<string, Pending>();
  readonly #held = new Map<string, AbortController>();
  /** When timed: the moments of calls whose HTTP request arrived but which the relay has not yet taken. */
  readonly #stamps = new Map<string, CallStamps>();
  /** Tool calls being handled; and when the client was last heard from (ms, performance clock). */
  #calls = 0;
  #lastSeen = performance.now();

  constructor(options: RelayOptions) {
    this.#o = options;
    const d = options.downstream;
    d.onmessage = (m: JSONRPCMessage, extra?: MessageExtraInfo) => void this.#fromClient(m, extra);
    d.onclose = () => void this.close();
    d.onerror = (e: Error) => options.log(`session ${options.id}: client transport: ${e.message}`);
  }

  get id(): string {
    return this.#o.id;
  }

  /** The client's transport. */
  get downstream(): Transport {
    return this.#o.downstream;
  }

  /** How long the session has been idle (ms): 0 while a call is being handled or held. */
  idleMs(now = performance.now()): number {
    return this.#calls > 0 || this.#pending.size > 0 ? 0 : now - this.#lastSeen;
  }

  /**
   * Timing (`--timings`): the HTTP request of `tools/call` `id` arrived at `stamps.received`; the relay fills in
   * the later moments and the HTTP layer accounts the call when the response is finished.
   */
  stamp(id: Id, stamps: CallStamps): void {
    this.#stamps.set(key(id), stamps);
  }

  /** Forget the stamps of a request the relay never took (the transport refused it). */
  unstamp(id: Id): void {
    this.#stamps.delete(key(id));
  }

  /** The mediated session, once `initialize` opened it. */
  get session(): MediatedSession | null {
    return this.#session;
  }

  /** End the session: stop holding calls, fail what waits for the server, close both transports and the session. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const h of this.#held.values()) h.abort();
    this.#failPending("the session was closed");
    await Promise.allSettled([this.#upstream?.close(), this.#o.downstream.close()]);
    await this.#session?.close();
    this.#o.onClose?.();
  }

  async #toClient(msg: JSONRPCMessage): Promise<void> {
    if (this.#closed) return;
    try {
      await this.#o.downstream.send(msg);
    } catch (e) {
      this.#o.log(`session ${this.#o.id}: cannot send to the client: ${message(e)}`);
    }
  }

  /** Send a client request upstream; resolves with the server's response, or an Error naming the failure. */
  #roundTrip(
    id: Id,
    method: string,
    msg: Rec,
    timeoutMs = this.#o.upstreamTimeoutMs,
    stamps?: CallStamps,
  ): Promise<Rec | Error> {
    return new Promise((resolve) => {
      if (this.#broken !== null || !this.#upstream) {
        return resolve(new Error(`the tool server is unavailable: ${this.#broken ?? "not connected"}`));
      }
      const k = key(id);
      if (this.#pending.has(k))
        return resolve(new Error(`request id ${JSON.stringify(id)} is already in flight`));
      const timer = setTimeout(() => {
        this.#pending.delete(k);
        resolve(new Error(`the tool server did not answer within ${timeoutMs} ms`));
      }, timeoutMs);
      const settle = (r: Rec | Error) => {
        clearTimeout(timer);
        this.#pending.delete(k);
        // Idle time counts from the answer: a slow request (a server starting up) must not look like idleness.
        this.#lastSeen = performance.now();
        resolve(r);
      };
      this.#pending.set(k, { method, settle, stamps });
      if (stamps) stamps.forwarded = performance.now();
      this.#upstream.send(msg as JSONRPCMessage).catch((e: unknown) => {
        this.#breakUpstream(`the tool server cannot be reached (${message(e)})`);
      });
    });
  }

  async #fromClient(msg: JSONRPCMessage, extra?: MessageExtraInfo): Promise<void> {
    this.#lastSeen = performance.now();
    const m = msg as Rec;
    const isRequest = typeof m["method"] === "string" && "id" in m;
    if (isRequest && m["method"] === "initialize") {
      this.#ready ??= this.#initialize(m, extra);
      return;
    }
    if (!this.#ready || !(await this.#ready)) {
      if (isRequest) await this.#toClient(rpcError(m["id"] as Id, -32600, "the session is not initialized"));
      return;
    }
    if (isRequest && m["method"] === "tools/call") return this.#call(m);
    if (isRequest) return this.#request(m);
    if (m["method"] === "notifications/cancelled" && isRecord(m["params"])) {
      const id = m["params"]["requestId"];
      const held = typeof id === "string" || typeof id === "number" ? this.#held.get(key(id)) : undefined;
      if (held) return void held.abort();
    }
    if (this.#broken === null) await this.#upstream?.send(msg).catch(() => undefined);
  }

  /** A request other than initialize and tools/call. */
  async #request(m: Rec): Promise<void> {
    const id = m["id"] as Id;
    const method = m["method"] as string;
    if (!this.#o.passes(method))
      return this.#toClient(
        rpcError(id, -32601, `${method} is not mediated by the gateway's policy, so it is refused`),
      );
    const r = await this.#roundTrip(id, method, m);
    if (r instanceof Error) return this.#toClient(rpcError(id, -32603, r.message));
    if (method === "tools/list" && isRecord(r["result"]) && Array.isArray(r["result"]["tools"])) {
      const tools = (r["result"]["tools"] as unknown[]).filter(
        (t) => isRecord(t) && typeof t["name"] === "string" && this.#o.mediator.listed(t["name"]),
      );
      return this.#toClient({ ...r, result: { ...r["result"], tools } } as unknown as JSONRPCMessage);
    }
    return this.#toClient(r as JSONRPCMessage);
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
      this.#breakUpstream(`the tool server cannot be started (${message(e)})`);
    }
    const startup = Math.max(this.#o.upstreamTimeoutMs, STARTUP_MS);
    const params = withoutRefusedCapabilities(stripInitMeta(m["params"]), this.#o.serverPasses);
    const r = await this.#roundTrip(id, "initialize", { ...m, params }, startup);
    if (r instanceof Error) {
      await this.#toClient(rpcError(id, -32603, r.message));
      return false;
    }
    if (isRecord(r["result"]) && typeof r["result"]["protocolVersion"] === "string")
      this.#upstream?.setProtocolVersion?.(r["result"]["protocolVersion"]);
    await this.#toClient(r as JSONRPCMessage);
    return true;
  }

  async #call(m: Rec): Promise<void> {
    const id = m["id"] as Id;
    const params = isRecord(m["params"]) ? m["params"] : {};
    const stamps = this.#takeStamps(id);
    const hold = new AbortController();
    this.#held.set(key(id), hold);
    const stopBeat = this.#heartbeat(id, params);
    this.#calls++;
    const forward = async (args: Readonly<Record<string, unknown>>) => {
      this.#held.delete(key(id)); // from here on, a cancellation goes to the server
      stopBeat(); // and progress is the server's to report
      const msg = { ...m, params: { ...params, arguments: args } };
      const r = await this.#roundTrip(id, "tools/call", msg, this.#o.upstreamTimeoutMs, stamps?.timed);
      if (r instanceof Error) throw r;
      return r;
    };
    try {
      const reply = await this.#session!.call({ id, message: m }, forward, hold.signal);
      if (stamps) stamps.timed.replying = performance.now();
      await this.#toClient(reply);
      // Over stdio the message is written now; over HTTP the HTTP layer accounts the call when its response ends.
      if (stamps?.own) this.#o.timings?.call(stamps.timed, performance.now());
    } finally {
      stopBeat();
      this.#calls--;
      this.#lastSeen = performance.now();
      this.#held.delete(key(id));
    }
  }

  /** The moments of a call being timed (`own`: the relay accounts it, as no HTTP layer stamped its arrival). */
  #takeStamps(id: Id): { timed: CallStamps; own: boolean } | undefined {
    if (!this.#o.timings) return undefined;
    const now = performance.now();
    const k = key(id);
    const stamped = this.#stamps.get(k);
    this.#stamps.delete(k);
    const timed = stamped ?? { received: now };
    timed.relayed = now;
    return { timed, own: stamped === undefined };
  }

  /**
   * While a call is decided or held (STEP_UP, DEFER), send `notifications/progress` every `heartbeatMs` when the
   * client asked for progress (`_meta.progressToken`), so that a client that resets its timeout on progress keeps
   * waiting for the approvers. Returns the function that stops it.
   */
  #heartbeat(id: Id, params: Rec): () => void {
    const token = isRecord(params["_meta"]) ? params["_meta"]["progressToken"] : undefined;
    if ((typeof token !== "string" && typeof token !== "number") || this.#o.heartbeatMs <= 0)
      return () => undefined;
    let progress = 0;
    const timer = setInterval(() => {
      const note = {
        jsonrpc: "2.0",
        method: "notifications/progress",
        params: {
          progressToken: token,
          progress: ++progress,
          message: "held by the gateway: waiting for a decision",
        },
      } as JSONRPCMessage;
      this.#o.downstream.send(note, { relatedRequestId: id }).catch(() => undefined);
    }, this.#o.heartbeatMs);
    return () => clearInterval(timer);
  }

  #fromServer(msg: JSONRPCMessage): Promise<void> | void {
    const m = msg as Rec;
    const isResponse = !("method" in m) && "id" in m && ("result" in m || "error" in m);
    const p = isResponse ? this.#pending.get(key(m["id"] as Id)) : undefined;
    if (p) {
      if (p.stamps) p.stamps.answered = performance.now();
      return p.settle(m);
    }
    const method = m["method"];
    if (typeof method === "string" && "id" in m && !this.#o.serverPasses(method)) {
      this.#o.log(`session ${this.#o.id}: refused the tool server's ${method} request`);
      const refusal = rpcError(
        m["id"] as Id,
        -32601,
        `${method} is not relayed by the aarm gateway: the policy decides tool calls, not what a tool server asks of the client`,
      );
      return void this.#upstream?.send(refusal).catch(() => undefined);
    }
    return this.#toClient(msg);
  }

  #breakUpstream(reason: string): void {
    if (this.#broken !== null || this.#closed) return;
    this.#broken = reason;
    this.#o.log(`session ${this.#o.id}: ${reason}; every tool call fails from now on`);
    this.#failPending(reason);
  }

  /** Fail every request still waiting for the tool server. */
  #failPending(reason: string): void {
    for (const p of [...this.#pending.values()])
      p.settle(new Error(`the tool server is unavailable: ${reason}`));
  }
}
