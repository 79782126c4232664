import { describe, expect, it } from "vitest";
import { formatCidr, parseCidr, parseIPv4, parseIPv6 } from "./ip.js";

describe("IPv4", () => {
  it("parses dotted quads", () => {
    expect(parseIPv4("203.0.113.7")).toEqual([203, 0, 113, 7]);
  });
  it("rejects out-of-range octets, leading zeros and wrong lengths", () => {
    expect(parseIPv4("256.1.1.1")).toBe("256 is above 255");
    expect(parseIPv4("10.01.1.1")).toBe("'01' has a leading zero (ambiguous: octal or decimal?)");
    expect(parseIPv4("10.1.1")).toBe("an IPv4 address has four numbers separated by dots");
  });
});

describe("IPv6", () => {
  it("expands :: and embedded IPv4", () => {
    expect(parseIPv6("2001:db8::1")).toEqual([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(parseIPv6("::ffff:192.0.2.1")).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 1]);
    expect(parseIPv6("::")).toEqual(new Array(16).fill(0));
  });
  it("rejects malformed addresses", () => {
    expect(parseIPv6("1::2::3")).toBe("'::' may appear only once");
    expect(parseIPv6("1:2:3:4:5:6:7")).toBe("an IPv6 address has 8 groups; found 7");
    expect(parseIPv6("12345::")).toBe("'12345' is not a group of 1 to 4 hex digits");
    expect(parseIPv6("fe80::1%eth0")).toBe("zone ids (%eth0) cannot be matched in the kernel");
    expect(parseIPv6("1:2:3:4::5:6:7:8")).toBe("'::' must stand for at least one group of zeros");
  });
});

describe("CIDR", () => {
  it("parses prefixes and detects host bits", () => {
    const r = parseCidr("203.0.113.5/24");
    expect(r).toEqual({
      ok: true,
      value: { family: 4, bytes: [203, 0, 113, 5], prefix: 24, hostBitsSet: true, network: [203, 0, 113, 0] },
    });
    expect(parseCidr("2001:db8::/32").ok).toBe(true);
  });
  it("rejects prefix lengths out of range and host names", () => {
    expect(parseCidr("10.0.0.0/33")).toEqual({ ok: false, reason: "the prefix length must be 0 to 32" });
    expect(parseCidr("2001:db8::/129")).toEqual({ ok: false, reason: "the prefix length must be 0 to 128" });
    expect(parseCidr("example.com").ok).toBe(false);
  });
  it("formats networks, compressing IPv6 zeros", () => {
    expect(formatCidr(4, [10, 0, 0, 0], 8)).toBe("10.0.0.0/8");
    expect(formatCidr(6, [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 32)).toBe(
      "2001:db8::/32",
    );
    expect(formatCidr(6, new Array(16).fill(0), 0)).toBe("::/0");
  });
});
