/**
 * IPv4 / IPv6 addresses and CIDR blocks, parsed strictly (RFC 4291 text form for IPv6; dotted quads without
 * leading zeros for IPv4, since `010` is octal to some parsers and decimal to others).
 */

/** A parsed address or block. */
export interface ParsedCidr {
  readonly family: 4 | 6;
  /** The address as written (before clearing host bits). */
  readonly bytes: readonly number[];
  readonly prefix: number;
  /** True when bits after the prefix are set (`203.0.113.5/24`). */
  readonly hostBitsSet: boolean;
  /** The network address (host bits cleared). */
  readonly network: readonly number[];
}

/** A parsed block, or why the text is not one. */
export type CidrResult =
  { readonly ok: true; readonly value: ParsedCidr } | { readonly ok: false; readonly reason: string };

/** Parse a dotted quad. */
export function parseIPv4(text: string): number[] | string {
  const parts = text.split(".");
  if (parts.length !== 4) return "an IPv4 address has four numbers separated by dots";
  const out: number[] = [];
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return `'${p}' is not a number from 0 to 255`;
    if (p.length > 1 && p.startsWith("0")) return `'${p}' has a leading zero (ambiguous: octal or decimal?)`;
    const n = Number(p);
    if (n > 255) return `${n} is above 255`;
    out.push(n);
  }
  return out;
}

/** Parse an IPv6 address (with `::` compression and an optional trailing dotted quad). */
export function parseIPv6(text: string): number[] | string {
  if (text.includes("%")) return "zone ids (%eth0) cannot be matched in the kernel";
  const halves = text.split("::");
  if (halves.length > 2) return "'::' may appear only once";
  const groupsOf = (s: string): number[] | string => {
    if (s === "") return [];
    const out: number[] = [];
    const parts = s.split(":");
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]!;
      if (i === parts.length - 1 && p.includes(".")) {
        const v4 = parseIPv4(p);
        if (typeof v4 === "string") return v4;
        out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
        continue;
      }
      if (!/^[0-9A-Fa-f]{1,4}$/.test(p))
        return p === ""
          ? "empty group (use '::' once for zeros)"
          : `'${p}' is not a group of 1 to 4 hex digits`;
      out.push(parseInt(p, 16));
    }
    return out;
  };
  const head = groupsOf(halves[0]!);
  if (typeof head === "string") return head;
  let groups: number[];
  if (halves.length === 2) {
    const tail = groupsOf(halves[1]!);
    if (typeof tail === "string") return tail;
    const missing = 8 - head.length - tail.length;
    if (missing < 1) return "'::' must stand for at least one group of zeros";
    groups = [...head, ...new Array<number>(missing).fill(0), ...tail];
  } else {
    groups = head;
  }
  if (groups.length !== 8) return `an IPv6 address has 8 groups; found ${groups.length}`;
  return groups.flatMap((g) => [g >> 8, g & 0xff]);
}

/** Parse `ADDRESS` or `ADDRESS/PREFIX`. */
export function parseCidr(text: string): CidrResult {
  const slash = text.indexOf("/");
  const addr = slash < 0 ? text : text.slice(0, slash);
  const isV6 = addr.includes(":");
  if (!isV6 && /[A-Za-z]/.test(addr)) {
    return {
      ok: false,
      reason:
        "this is a host name; the kernel sees only addresses (resolve it, or deny the tool call with host(args.url) == ...)",
    };
  }
  const bytes = isV6 ? parseIPv6(addr) : parseIPv4(addr);
  if (typeof bytes === "string") return { ok: false, reason: bytes };
  const bits = bytes.length * 8;
  let prefix = bits;
  if (slash >= 0) {
    const p = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(p) || Number(p) > bits)
      return { ok: false, reason: `the prefix length must be 0 to ${bits}` };
    prefix = Number(p);
  }
  const network = bytes.map((b, i) => {
    const keep = Math.max(0, Math.min(8, prefix - i * 8));
    return b & ((0xff << (8 - keep)) & 0xff);
  });
  const hostBitsSet = network.some((b, i) => b !== bytes[i]);
  return { ok: true, value: { family: isV6 ? 6 : 4, bytes, prefix, hostBitsSet, network } };
}

/** The text form of a network: `203.0.113.0/24`, `2001:db8::/32` (IPv6 compressed per RFC 5952). */
export function formatCidr(family: 4 | 6, bytes: readonly number[], prefix: number): string {
  if (family === 4) return `${bytes.join(".")}/${prefix}`;
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((bytes[i]! << 8) | bytes[i + 1]!);
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  const text =
    bestStart < 0
      ? hex.join(":")
      : `${hex.slice(0, bestStart).join(":")}::${hex.slice(bestStart + bestLen).join(":")}`;
  return `${text}/${prefix}`;
}
