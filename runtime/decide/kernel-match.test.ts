import { describe, expect, it } from "vitest";
import type { IrKernel } from "../ir/index.js";
import { kernelHit } from "./kernel-check.js";
import { netMatches, normalizePath, parseIp, pathMatches, splitDestination } from "./kernel-match.js";

type PathRule = Extract<IrKernel, { kind: "path" }>;
type NetRule = Extract<IrKernel, { kind: "net" }>;

const under = (...paths: string[]): PathRule => ({ kind: "path", mode: "under", paths });
const exact = (...paths: string[]): PathRule => ({ kind: "path", mode: "path", paths });

/** A net rule from CIDR texts and port ranges. */
function net(addresses: string[], ports: [number, number][] = []): NetRule {
  return {
    kind: "net",
    addresses: addresses.map((text) => {
      const [ip, prefix] = text.split("/");
      const p = parseIp(ip!)!;
      return {
        family: p.family,
        bytes: p.bytes,
        prefix: prefix === undefined ? p.bytes.length * 8 : Number(prefix),
        text,
      };
    }),
    ports: ports.map(([from, to]) => ({ from, to })),
  };
}

describe("normalizePath", () => {
  it("removes //, . and .., and never climbs above the root", () => {
    expect(normalizePath("//etc//ssh/./sshd_config")).toBe("/etc/ssh/sshd_config");
    expect(normalizePath("/srv/data/../../etc/ssh/key")).toBe("/etc/ssh/key");
    expect(normalizePath("/../../etc/shadow")).toBe("/etc/shadow");
    expect(normalizePath("/etc/shadow/")).toBe("/etc/shadow");
    expect(normalizePath("/")).toBe("/");
  });

  it("resolves relative paths against the working directory", () => {
    expect(normalizePath("notes.txt", "/home/ann")).toBe("/home/ann/notes.txt");
    expect(normalizePath("../../etc/shadow", "/home/ann/")).toBe("/etc/shadow");
    expect(normalizePath("notes.txt")).toBe("/notes.txt");
  });
});

describe("pathMatches", () => {
  it("path: exactly that file", () => {
    expect(pathMatches(exact("/etc/shadow"), "/etc/shadow")).toBe(true);
    expect(pathMatches(exact("/etc/shadow"), "/etc/shadow.bak")).toBe(false);
    expect(pathMatches(exact("/etc/ssh"), "/etc/ssh/key")).toBe(false);
  });

  it("under: the directory and everything below it, on component boundaries", () => {
    expect(pathMatches(under("/etc/ssh"), "/etc/ssh")).toBe(true);
    expect(pathMatches(under("/etc/ssh"), "/etc/ssh/a/b")).toBe(true);
    expect(pathMatches(under("/etc/ssh"), "/etc/sshd")).toBe(false);
    expect(pathMatches(under("/etc/ssh"), "/etc")).toBe(false);
    expect(pathMatches(under("/tmp", "/etc/ssh"), "/etc/ssh/key")).toBe(true);
  });
});

describe("parseIp", () => {
  it("IPv4, with every octet at most 255", () => {
    expect(parseIp("203.0.113.5")).toEqual({ family: 4, bytes: [203, 0, 113, 5] });
    expect(parseIp("256.0.0.1")).toBeUndefined();
    expect(parseIp("1.2.3")).toBeUndefined();
    expect(parseIp("example.com")).toBeUndefined();
  });

  it("IPv6 in every spelling, with or without brackets", () => {
    const db8 = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
    expect(parseIp("2001:db8::1")).toEqual({ family: 6, bytes: db8 });
    expect(parseIp("[2001:DB8:0:0:0:0:0:1]")).toEqual({ family: 6, bytes: db8 });
    expect(parseIp("::")).toEqual({ family: 6, bytes: Array(16).fill(0) });
    expect(parseIp("1::2::3")).toBeUndefined();
    expect(parseIp("1:2:3:4:5:6:7")).toBeUndefined();
    expect(parseIp("12345::1")).toBeUndefined();
  });

  it("IPv4-mapped IPv6 is IPv4, in dotted or hex form", () => {
    expect(parseIp("::ffff:203.0.113.9")).toEqual({ family: 4, bytes: [203, 0, 113, 9] });
    expect(parseIp("::ffff:cb00:7109")).toEqual({ family: 4, bytes: [203, 0, 113, 9] });
    expect(parseIp("[::FFFF:169.254.169.254]")).toEqual({ family: 4, bytes: [169, 254, 169, 254] });
    expect(parseIp("::fffe:cb00:7109")?.family).toBe(6);
  });
});

describe("netMatches", () => {
  const metadata = net(["169.254.169.254"]);
  const doc = net(
    ["203.0.113.0/24", "2001:db8::/32"],
    [
      [8000, 8100],
      [22, 22],
    ],
  );

  it("addresses: CIDR v4 and v6, exact hosts", () => {
    expect(netMatches(metadata, "169.254.169.254", null)).toBe(true);
    expect(netMatches(metadata, "169.254.169.253", 80)).toBe(false);
    expect(netMatches(net(["10.0.0.0/8"]), "10.255.1.2", null)).toBe(true);
    expect(netMatches(net(["10.0.0.0/8"]), "11.0.0.1", null)).toBe(false);
    expect(netMatches(net(["2001:db8::/32"]), "2001:db8:ffff::1", null)).toBe(true);
    expect(netMatches(net(["2001:db8::/32"]), "2001:db9::1", null)).toBe(false);
    expect(netMatches(net(["0.0.0.0/0"]), "8.8.8.8", null)).toBe(true);
  });

  it("IPv4-mapped IPv6 destinations match IPv4 rules; families never mix otherwise", () => {
    expect(netMatches(metadata, "::ffff:169.254.169.254", null)).toBe(true);
    expect(netMatches(net(["::/0"]), "1.2.3.4", null)).toBe(false);
  });

  it("with both addresses and ports, both must match; a port range is inclusive", () => {
    expect(netMatches(doc, "203.0.113.7", 8000)).toBe(true);
    expect(netMatches(doc, "203.0.113.7", 8100)).toBe(true);
    expect(netMatches(doc, "203.0.113.7", 8101)).toBe(false);
    expect(netMatches(doc, "203.0.113.7", 22)).toBe(true);
    expect(netMatches(doc, "2001:db8::5", 22)).toBe(true);
    expect(netMatches(doc, "203.0.113.7", null)).toBe(false);
    expect(netMatches(doc, "198.51.100.1", 22)).toBe(false);
  });

  it("with only ports, any address; with only addresses, any port", () => {
    expect(netMatches(net([], [[25, 25]]), "evil.example", 25)).toBe(true);
    expect(netMatches(net([], [[25, 25]]), "evil.example", 26)).toBe(false);
    expect(netMatches(metadata, "169.254.169.254", 65535)).toBe(true);
  });

  it("host names never match an address (DNS is not resolved here)", () => {
    expect(netMatches(metadata, "metadata.google.internal", 80)).toBe(false);
  });

  it("other spellings of an IPv4 address match it: decimal, hex, octal, trailing dot", () => {
    expect(netMatches(net(["127.0.0.0/8"]), "2130706433", null)).toBe(true);
    expect(netMatches(metadata, "0xA9FEA9FE", null)).toBe(true);
    expect(netMatches(metadata, "169.254.169.254.", null)).toBe(true);
    // 010.0.0.1 is 10.0.0.1 to some parsers and 8.0.0.1 (octal) to inet_aton and URL parsers: both are checked.
    expect(netMatches(net(["10.0.0.0/8"]), "010.0.0.1", null)).toBe(true);
    expect(netMatches(net(["8.0.0.1"]), "010.0.0.1", null)).toBe(true);
  });
});

describe("splitDestination", () => {
  it("URLs: host without brackets, explicit or scheme-default port", () => {
    expect(splitDestination("https://api.corp.example/v1")).toEqual({ host: "api.corp.example", port: 443 });
    expect(splitDestination("http://203.0.113.5:8080/p")).toEqual({ host: "203.0.113.5", port: 8080 });
    expect(splitDestination("http://203.0.113.5:80/p")).toEqual({ host: "203.0.113.5", port: 80 });
    expect(splitDestination("https://[2001:db8::1]/z")).toEqual({ host: "2001:db8::1", port: 443 });
    expect(splitDestination("ftp://files.example/a")).toEqual({ host: "files.example", port: 21 });
    expect(splitDestination("gopher://x.example/")).toEqual({ host: "x.example", port: null });
  });

  it("user-info, decimal and hex hosts are read as a client reads them", () => {
    expect(splitDestination("https://corp.example@169.254.169.254:8443/a")).toEqual({
      host: "169.254.169.254",
      port: 8443,
    });
    expect(splitDestination("http://2130706433/")).toEqual({ host: "127.0.0.1", port: 80 });
    expect(splitDestination("http://0xA9FEA9FE/x")).toEqual({ host: "169.254.169.254", port: 80 });
    expect(splitDestination("http://[::ffff:169.254.169.254]/")).toEqual({
      host: "::ffff:a9fe:a9fe",
      port: 80,
    });
  });

  it("host:port, [v6]:port and bare hosts; no port unless written", () => {
    expect(splitDestination("10.0.0.7:22")).toEqual({ host: "10.0.0.7", port: 22 });
    expect(splitDestination("[2001:db8::1]:443")).toEqual({ host: "2001:db8::1", port: 443 });
    expect(splitDestination("169.254.169.254")).toEqual({ host: "169.254.169.254", port: null });
    expect(splitDestination("2001:db8::1")).toEqual({ host: "2001:db8::1", port: null });
    expect(splitDestination(" db.internal:5432 ")).toEqual({ host: "db.internal", port: 5432 });
  });
});

describe("kernelHit", () => {
  it("checks a bound file argument, or the kernel action's own path, after normalisation", () => {
    expect(kernelHit(under("/etc/ssh"), "file.open", {}, "/srv/../etc/ssh/key", "/")).toBe(true);
    expect(kernelHit(under("/etc/ssh"), "file.open", {}, ["/tmp/a", "../etc/ssh"], "/home")).toBe(true);
    expect(kernelHit(exact("/etc/shadow"), "file.open", { path: "/etc/./shadow" }, null, "/")).toBe(true);
    expect(kernelHit(exact("/etc/shadow"), "file.open", {}, 42, "/")).toBe(false);
  });

  it("checks a bound destination, or the kernel action's own address and port", () => {
    const rule = net(["203.0.113.0/24"], [[8080, 8080]]);
    expect(kernelHit(rule, "net.connect", {}, "http://203.0.113.5:8080/p", "/")).toBe(true);
    expect(kernelHit(rule, "net.connect", {}, "http://203.0.113.5/p", "/")).toBe(false);
    expect(kernelHit(rule, "net.connect", { address: "203.0.113.9", port: 8080 }, null, "/")).toBe(true);
    expect(kernelHit(rule, "net.connect", { address: "203.0.113.9" }, null, "/")).toBe(false);
    expect(kernelHit(rule, "file.open", { address: "203.0.113.9", port: 8080 }, null, "/")).toBe(false);
  });
});

describe("kernelHit: bare program names", () => {
  it("a bare name (resolved through a PATH user space cannot see) hits the forbidden program of that name", () => {
    const nc = exact("/usr/bin/nc", "/bin/nc");
    expect(kernelHit(nc, "process.exec", { path: "nc" }, null, "/srv")).toBe(true);
    expect(kernelHit(nc, "process.exec", { path: "ncat" }, null, "/srv")).toBe(false);
    expect(kernelHit(nc, "process.exec", {}, ["nc"], "/srv")).toBe(true);
    // Only for exec: a bare file name is relative to the working directory, as for open().
    expect(kernelHit(nc, "file.open", { path: "nc" }, null, "/srv")).toBe(false);
    expect(kernelHit(nc, "file.open", { path: "nc" }, null, "/usr/bin")).toBe(true);
  });
});

describe("normalizePath through procfs", () => {
  it("follows /proc/PID/root to / as the kernel does, also under task/TID and after ..", () => {
    expect(normalizePath("/proc/self/root/etc/shadow")).toBe("/etc/shadow");
    expect(normalizePath("/proc/1/task/1/root/etc/shadow")).toBe("/etc/shadow");
    expect(normalizePath("/proc/self/root/../../etc/shadow")).toBe("/etc/shadow");
    expect(normalizePath("/proc/self/root")).toBe("/");
    expect(normalizePath("proc/self/root/etc/shadow", "/")).toBe("/etc/shadow");
  });

  it("returns null for links to files user space cannot know", () => {
    for (const p of ["/proc/self/cwd/a", "/proc/self/fd/3", "/proc/2/exe", "/proc/2/map_files/1-2", "/proc/self/cwd"])
      expect(normalizePath(p)).toBeNull();
  });

  it("is lexical everywhere else", () => {
    expect(normalizePath("/proc/self/status")).toBe("/proc/self/status");
    expect(normalizePath("/srv/proc/self/root/x")).toBe("/srv/proc/self/root/x");
    expect(normalizePath("//etc/./ssh/../shadow")).toBe("/etc/shadow");
  });
});
