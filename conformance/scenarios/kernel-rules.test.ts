/**
 * Kernel-visible rules enforced in user space: `bind` makes the kernel forbid rules of examples/assistant cover the
 * tools' path and URL arguments, so a spelling of the same file or address cannot slip past the policy before the
 * kernel target ever sees it. Paths are normalised lexically (`//`, `.`, `..`, relative to the working directory);
 * URLs are parsed the way an HTTP client parses them (IPv4-mapped IPv6, numeric hosts, user-info).
 */
import { describe, expect, it } from "vitest";
import { engines, example, expectDecision, fixture } from "./harness.js";

const SHADOW = {
  effect: "DENY",
  rules: ["no-shadow"],
  decidedBy: "forbid",
  reasons: ["password hashes", "argument path is a file.open target"],
} as const;
const METADATA = {
  effect: "DENY",
  rules: ["no-cloud-metadata"],
  decidedBy: "forbid",
  reasons: ["cloud metadata service"],
} as const;

describe.each(await engines(example("assistant"), { cwd: "/srv/workspace/project" }))(
  "kernel-visible rules in user space ($name)",
  (engine) => {
    describe("bound read_text_file of /etc/shadow → DENY (no-shadow), however it is spelled", () => {
      it.each([
        "/etc/shadow",
        "//etc/shadow",
        "/etc/../etc/shadow",
        "/etc/./shadow",
        "/etc//shadow",
        "/./etc/shadow/",
        "/../../etc/shadow",
      ])("%s", async (path) => {
        const a = engine.open({ request: "Check the system configuration" });
        expectDecision(await a.call("read_text_file", { path }), SHADOW);
        expect(a.calls).toHaveLength(0);
      });

      it.each(["../../../etc/shadow", "../../../../../../../etc/shadow", "../.././../etc/shadow"])(
        "relative %s from /srv/workspace/project",
        async (path) => {
          const a = engine.open();
          expectDecision(await a.call("read_text_file", { path }), SHADOW);
        },
      );

      it("the exact-file rule is exact: /etc/shadow.bak and /etc/shadowsocks are not /etc/shadow", async () => {
        const a = engine.open();
        expectDecision(await a.call("read_text_file", { path: "/etc/shadow.bak" }), {
          effect: "ALLOW",
          rules: ["allow-fs-read"],
        });
        expectDecision(await a.call("read_text_file", { path: "/etc/shadowsocks/config.json" }), {
          effect: "ALLOW",
        });
      });

      // /proc/PID/root is a kernel "magic link" to the process's root directory, so these open /etc/shadow. User
      // space follows it as the kernel does (runtime/decide/kernel-match.ts normalizeProcPath).
      it.each([
        "/proc/self/root/etc/shadow",
        "/proc/thread-self/root/etc/shadow",
        "/proc/1/root/etc/shadow",
        "/proc/self/task/7/root/etc/shadow",
        "/proc/self/root/../../etc/shadow",
        "../../../proc/self/root/etc/./shadow",
      ])("%s reaches /etc/shadow through a magic link → DENY", async (path) => {
        const a = engine.open();
        expectDecision(await a.call("read_text_file", { path }), { effect: "DENY", rules: ["no-shadow"] });
      });

      // /proc/self/cwd, /proc/self/fd/N and friends lead to files user space cannot know: fail closed.
      it.each(["/proc/self/cwd/notes.txt", "/proc/self/fd/3", "/proc/42/map_files/400000-401000", "/proc/self/exe"])(
        "%s goes through a magic link user space cannot resolve → DENY",
        async (path) => {
          const a = engine.open();
          expectDecision(await a.call("read_text_file", { path }), { effect: "DENY" });
        },
      );

      it("ordinary procfs files and look-alike names are not magic links", async () => {
        const a = engine.open();
        for (const path of ["/proc/self/status", "/proc/cpuinfo", "/srv/workspace/proc/self/cwd/x"])
          expectDecision(await a.call("read_text_file", { path }), { effect: "ALLOW" });
      });

      it("/etc/gshadow is listed too; one bad path among several denies read_multiple_files", async () => {
        const a = engine.open();
        expectDecision(await a.call("read_text_file", { path: "/etc/gshadow" }), {
          effect: "DENY",
          rules: ["no-shadow"],
        });
        const o = await a.call("read_multiple_files", {
          paths: ["/srv/workspace/project/README.md", "/srv/../etc/shadow"],
        });
        expectDecision(o, {
          effect: "DENY",
          rules: ["no-shadow"],
          reasons: ["argument paths is a file.open target"],
        });
      });
    });

    describe("directory subtree: /root/.ssh", () => {
      it.each([
        [
          "move_file",
          { source: "/srv/workspace/project/key.pub", destination: "/root/.ssh/authorized_keys" },
        ],
        ["move_file", { source: "/root/.ssh/id_ed25519", destination: "/srv/workspace/project/k" }],
        ["read_text_file", { path: "/root/.ssh" }],
        ["read_text_file", { path: "/root//.ssh/../.ssh/id_rsa" }],
        ["write_file", { path: "/root/.ssh/authorized_keys", content: "ssh-ed25519 AAAA attacker" }],
      ] as const)("%s %j → DENY (no-root-ssh)", async (tool, args) => {
        const a = engine.open();
        expectDecision(await a.call(tool, { ...args }), {
          effect: "DENY",
          rules: ["no-root-ssh"],
          decidedBy: "forbid",
        });
      });

      it("a sibling that only shares the prefix is not under it: /root/.ssh-backup", async () => {
        const a = engine.open();
        expectDecision(await a.call("read_text_file", { path: "/root/.ssh-backup/notes" }), {
          effect: "ALLOW",
        });
      });
    });

    describe("http.get to the cloud metadata service → DENY (no-cloud-metadata), however the address is written", () => {
      it.each([
        "http://169.254.169.254/latest/meta-data/",
        "https://169.254.169.254/latest/meta-data/iam/security-credentials/",
        "http://169.254.169.254:80/latest/api/token",
        "http://[::ffff:169.254.169.254]/latest/meta-data/",
        "http://[::ffff:a9fe:a9fe]/latest/meta-data/",
        "http://[0:0:0:0:0:ffff:169.254.169.254]/",
        "http://2852039166/latest/meta-data/",
        "http://0xa9fea9fe/",
        "http://0251.0376.0251.0376/",
        "http://169.254.169.254./",
        "http://metadata.company.com@169.254.169.254/",
        "http://[fd00:ec2::254]/latest/meta-data/",
      ])("%s", async (url) => {
        const a = engine.open({ request: "Fetch the status page" });
        expectDecision(await a.call("http.get", { url }), METADATA);
      });

      it("http.post to the metadata service is covered by the same bind", async () => {
        const a = engine.open();
        expectDecision(
          await a.call("http.post", { url: "http://[::ffff:169.254.169.254]/latest/api/token", body: "" }),
          METADATA,
        );
      });
    });

    describe("other net.connect rules through http.get", () => {
      it("blocklisted networks: 203.0.113.0/24 and 2001:db8::/32", async () => {
        const a = engine.open();
        expectDecision(await a.call("http.get", { url: "https://203.0.113.77/payload" }), {
          effect: "DENY",
          rules: ["no-blocklisted-networks"],
        });
        expectDecision(await a.call("http.get", { url: "https://[2001:db8::17]/c2" }), {
          effect: "DENY",
          rules: ["no-blocklisted-networks"],
        });
      });

      it("remote-shell ports on any host, by name or address", async () => {
        const a = engine.open();
        expectDecision(await a.call("http.get", { url: "https://example.com:22/" }), {
          effect: "DENY",
          rules: ["no-remote-shells"],
        });
        expectDecision(await a.call("http.get", { url: "https://10.0.0.5:5905/" }), {
          effect: "DENY",
          rules: ["no-remote-shells"],
        });
      });

      it("an ordinary HTTPS URL is allowed", async () => {
        const a = engine.open();
        const o = await a.call(
          "http.get",
          { url: "https://status.company.com/" },
          "<html>all systems operational</html>",
        );
        expectDecision(o, { effect: "ALLOW", rules: ["allow-http-get"] });
      });
    });
  },
);

describe.each(await engines(fixture("ssrf")))(
  "net.connect binds without an https:// validation in front ($name)",
  (engine) => {
    it.each([
      ["web.fetch", { url: "http://169.254.169.254/latest/meta-data/" }],
      ["web.fetch", { url: "http://[::ffff:169.254.169.254]/latest/meta-data/" }],
      ["net.probe", { target: "169.254.169.254" }],
      ["net.probe", { target: "169.254.169.254:80" }],
      ["net.probe", { target: "[::ffff:169.254.169.254]:80" }],
    ] as const)("%s %j → DENY (no-cloud-metadata)", async (tool, args) => {
      const a = engine.open();
      expectDecision(await a.call(tool, { ...args }), {
        effect: "DENY",
        rules: ["no-cloud-metadata"],
        decidedBy: "forbid",
      });
    });

    // Regression (runtime/decide/kernel-match.ts, splitDestination once split only `scheme://` URLs, `[v6]:port`, `host:port`
    // and bare hosts are split. `http:169.254.169.254/` and `http:/169.254.169.254/` are valid URIs (ajv's `uri`
    // format accepts them) that WHATWG URL — and so Node's fetch — resolves to http://169.254.169.254/; curl and wget
    // accept `169.254.169.254/path` and `host:port/path` without a scheme. All of these reach the metadata service
    // while the user-space check sees a host name that is not an address, so the forbid rule does not match.
    it.each([
      ["web.fetch", { url: "http:169.254.169.254/latest/meta-data/" }],
      ["web.fetch", { url: "http:/169.254.169.254/latest/meta-data/" }],
      ["net.probe", { target: "169.254.169.254/latest/meta-data/" }],
      ["net.probe", { target: "169.254.169.254:80/latest/meta-data/" }],
      ["net.probe", { target: "//169.254.169.254/latest/meta-data/" }],
    ] as const)("%s %j → DENY (no-cloud-metadata): every spelling a client would connect to", async (tool, args) => {
      const a = engine.open();
      expectDecision(await a.call(tool, { ...args }), { effect: "DENY", rules: ["no-cloud-metadata"] });
    });

    it("a port rule covers a scheme-less host:port/path (net.probe example.com:22/)", async () => {
      const a = engine.open();
      expectDecision(await a.call("net.probe", { target: "example.com:22/" }), {
        effect: "DENY",
        rules: ["no-remote-shells"],
      });
    });
  },
);
