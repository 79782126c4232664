/**
 * Kernel-visible rules evaluated in user space: the same matches the BPF maps hold (exact file, directory subtree,
 * address/CIDR and port), applied to tool arguments that a `bind` declares to be files, executables or network
 * destinations. Paths are normalised lexically (`//`, `.`, `..`) except for procfs's magic links (normalizePath);
 * symlinks and hard links cannot be resolved here and are left to the kernel target, which keys on inodes and
 * canonical paths.
 */
import type { IrKernel } from "../ir/index.js";
import { blockContains, unmapBlock } from "../ir/index.js";

/** The per-process links of procfs that the kernel follows to another file ("magic links"). */
const MAGIC = new Set(["root", "cwd", "exe", "fd", "map_files"]);

/** Is `out` (segments so far) a magic link: /proc/PID/NAME or /proc/PID/task/TID/NAME? Returns NAME. */
function magicLink(out: readonly string[]): string | undefined {
  if (out[0] !== "proc") return undefined;
  const name = out.length === 3 ? out[2] : out.length === 5 && out[2] === "task" ? out[4] : undefined;
  return name !== undefined && MAGIC.has(name) ? name : undefined;
}

/**
 * Normalise a path (relative paths against `cwd`) as the kernel would walk it through procfs's magic links:
 * `/proc/PID/root` is a process's root directory, taken to be `/` (so `/proc/self/root/etc/shadow` is
 * `/etc/shadow`, and `..` after it stays at `/`); `cwd`, `exe`, `fd/N` and `map_files/…` lead to files that user
 * space cannot know, so the result is null and the caller fails closed. Everything else is normalised lexically (`//`, `.`, `..`).
 */
export function normalizePath(p: string, cwd = "/"): string | null {
  const abs = p.startsWith("/") ? p : `${cwd.replace(/\/+$/, "")}/${p}`;
  const out: string[] = [];
  for (const seg of abs.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") out.pop();
    else out.push(seg);
    const link = magicLink(out);
    if (link === "root") out.length = 0;
    else if (link !== undefined) return null;
  }
  return `/${out.join("/")}`;
}

/** Does a (normalised) path match a path rule? */
export function pathMatches(k: Extract<IrKernel, { kind: "path" }>, path: string): boolean {
  for (const p of k.paths) {
    if (k.mode === "path" ? path === p : path === p || path.startsWith(p.endsWith("/") ? p : `${p}/`)) return true;
  }
  return false;
}

/** Parse an IPv4 or IPv6 literal to bytes; IPv4-mapped IPv6 (::ffff:a.b.c.d) becomes IPv4. */
export function parseIp(s: string): { family: 4 | 6; bytes: number[] } | undefined {
  const t = s.replace(/^\[|\]$/g, "");
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(t);
  if (v4) {
    const b = v4.slice(1).map(Number);
    return b.every((x) => x <= 255) ? { family: 4, bytes: b } : undefined;
  }
  if (!t.includes(":") || !/^[0-9a-fA-F:.]+$/.test(t)) return undefined;
  let head = t;
  let tail4: number[] = [];
  const m4 = /^(.*:)(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})$/.exec(t);
  if (m4) {
    const v = parseIp(m4[2]!);
    if (!v || v.family !== 4) return undefined;
    tail4 = v.bytes;
    head = `${m4[1]!}0:0`;
  }
  const halves = head.split("::");
  if (halves.length > 2) return undefined;
  const parse = (x: string) => (x === "" ? [] : x.split(":"));
  const left = parse(halves[0]!);
  const right = halves.length === 2 ? parse(halves[1]!) : [];
  const fill = 8 - left.length - right.length;
  if (fill < 0 || (halves.length === 1 && fill !== 0)) return undefined;
  const groups = [...left, ...Array<string>(fill).fill("0"), ...right];
  const bytes: number[] = [];
  for (const g of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    const n = parseInt(g, 16);
    bytes.push(n >> 8, n & 255);
  }
  if (tail4.length) bytes.splice(12, 4, ...tail4);
  const mapped = bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 255 && bytes[11] === 255;
  return mapped ? { family: 4, bytes: bytes.slice(12) } : { family: 6, bytes };
}

/**
 * The addresses a host may name: the literal as written, and the address a URL parser (like inet_aton) reads from
 * it, which also accepts decimal (`2130706433`), hex (`0x7f.1`) and octal (`010.0.0.1` is 8.0.0.1) IPv4 spellings.
 * Where the two readings differ, both are checked, so no spelling escapes a rule.
 */
function addressesOf(host: string): { family: 4 | 6; bytes: number[] }[] {
  const out: { family: 4 | 6; bytes: number[] }[] = [];
  const literal = parseIp(host);
  if (literal) out.push(literal);
  const h = host.trim().replace(/^\[|\]$/g, "");
  try {
    const parsed = parseIp(new URL(`http://${h.includes(":") ? `[${h}]` : h}/`).hostname);
    if (parsed) out.push(parsed);
  } catch {
    // Not a host a URL can name: only the literal reading applies.
  }
  return out;
}

/** Does a destination (IP address, optional port) match a net rule? Host names never match (DNS is not ours). */
export function netMatches(k: Extract<IrKernel, { kind: "net" }>, host: string, port: number | null): boolean {
  const portOk = k.ports.length === 0 || (port !== null && k.ports.some((p) => port >= p.from && port <= p.to));
  if (!portOk) return false;
  if (k.addresses.length === 0) return true;
  // A rule block inside ::ffff:0:0/96 stands for the IPv4 block it maps: parseIp has unmapped destinations already,
  // and the kernel target compares them the same way (targets/bpf/maps.ts).
  return addressesOf(host).some((ip) => {
    const dest = { family: ip.family, bytes: ip.bytes, prefix: ip.family === 4 ? 32 : 128 };
    return k.addresses.some((a) => blockContains(unmapBlock(a), dest));
  });
}

const DEFAULT_PORTS: Readonly<Record<string, number>> = { "http:": 80, "https:": 443, "ftp:": 21, "ws:": 80, "wss:": 443 };

/**
 * Split a bound network argument (a URL, `host:port`, `//host/path`, or a bare host or IP) into host and port.
 * Parsing goes through the WHATWG URL parser, as HTTP clients do, so every spelling a client would connect to
 * (`http:169.254.169.254`, decimal, hex or octal IPv4, user-info prefixes, IPv4-mapped IPv6) is normalised to
 * the address it reaches. A port is only known when written or implied by a scheme.
 */
export function splitDestination(v: string): { host: string; port: number | null } {
  const s = v.trim();
  const bareIp = parseIp(s);
  if (bareIp) return { host: s.replace(/^\[|\]$/g, ""), port: null };
  const hasScheme = /^[a-z][a-z0-9+.-]*:/i.test(s) && !/^[^:/]+:\d+(\/|$)/.test(s);
  let url: URL | undefined;
  try {
    url = new URL(hasScheme ? s : `http://${s.replace(/^\/+/, "")}`);
  } catch {
    return { host: s, port: null };
  }
  const host = url.hostname.replace(/^\[|\]$/g, "");
  // The URL parser drops a port equal to the scheme's default, so an explicit port is read from the text.
  const explicit = (hasScheme ? /^[a-z][a-z0-9+.-]*:\/*(?:[^@/]*@)?(?:\[[^\]]*\]|[^:/?#]*):(\d+)/i : /^\/*(?:[^@/]*@)?(?:\[[^\]]*\]|[^:/?#]*):(\d+)/).exec(s);
  const port = url.port
    ? Number(url.port)
    : explicit
      ? Number(explicit[1])
      : hasScheme
        ? (DEFAULT_PORTS[url.protocol] ?? null)
        : null;
  return { host, port };
}
