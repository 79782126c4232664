import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { compileFile } from "../../compiler/compile.js";
import { cComment } from "../c/index.js";
import { decodeMaps, encodeMaps, KERNEL_FILES, lowerMaps, mapRecords } from "./index.js";
import { fillTemplate } from "./template.js";
import { compileKernelPolicy } from "./test-support/compile.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const goldenDir = join(root, "targets/bpf/golden/kernel-rules");
const update = process.env["UPDATE_GOLDEN"] === "1";

describe("kernel target: golden files (targets/bpf/golden/kernel-rules)", () => {
  const r = compileFile(join(goldenDir, "policy.aarm"));
  const k = r.kernel!;

  it.each([KERNEL_FILES.mapsJson, KERNEL_FILES.program, KERNEL_FILES.enforced])("%s", (name) => {
    const text = k.files.get(name) as string;
    const golden = join(goldenDir, "expected", name.replace("kernel/", ""));
    if (update || !existsSync(golden)) {
      mkdirSync(join(goldenDir, "expected"), { recursive: true });
      writeFileSync(golden, text);
    }
    expect(text).toBe(readFileSync(golden, "utf8"));
  });

  it("maps.bin decodes to the records of maps.json", () => {
    const bin = k.files.get(KERNEL_FILES.mapsBin) as Uint8Array;
    expect(decodeMaps(bin)).toEqual(mapRecords(k.maps));
    expect(encodeMaps(k.maps)).toEqual(bin);
  });

  it("aarmc compile reports what the kernel enforces (AARM4006, info)", () => {
    const info = r.diagnostics.filter((d) => d.code === "AARM4006");
    expect(info).toHaveLength(1);
    expect(info[0]!.severity).toBe("info");
    expect(info[0]!.message).toBe(
      "the kernel enforces 9 rules (no-shadow, no-ssh-keys, no-netcat, no-tmp-exec, no-metadata, no-internal-ssh, " +
        "no-db-subnet, no-mapped, no-remote-shells); 2 rules are decided in user space only; forbid rules not in " +
        "the kernel: no-drop",
    );
  });
});

describe("kernel target: examples/assistant", () => {
  const k = compileFile(join(root, "examples/assistant/policy.aarm")).kernel!;

  it("lowers the example's kernel-visible rules", () => {
    expect(k.maps.rules.map((x) => x.id)).toEqual(
      expect.arrayContaining([
        "no-shadow",
        "no-root-ssh",
        "no-netcat",
        "no-cloud-metadata",
        "no-remote-shells",
      ]),
    );
    expect(k.maps.maps.aarm_file_path.map((e) => e.path)).toContain("/etc/shadow");
  });

  it("the hooks without rules are compiled out, and the maps are sized to the policy", () => {
    const { kernel } = compileKernelPolicy('forbid file.open path "/etc/shadow"');
    const program = kernel!.files.get(KERNEL_FILES.program) as string;
    expect(program).toContain("#define AARM_HOOK_FILE_OPEN 1U");
    expect(program).toContain("#define AARM_HOOK_EXEC 0U");
    expect(program).toContain("#define AARM_HOOK_CONNECT 0U");
    expect(program).toContain("#define AARM_FILE_PATH 1U");
  });
});

describe("map contents", () => {
  it("a path rule fills the exact-path and inode maps, a subtree rule the directory map", () => {
    const { maps } = lowerMaps(
      compileKernelPolicy('forbid file.open path "/etc/shadow"\nforbid process.exec under "/tmp", "/dev/shm"')
        .ir,
    );
    expect(maps.maps.aarm_file_path).toEqual([{ path: "/etc/shadow", rule: 0 }]);
    expect(maps.maps.aarm_file_ino).toEqual([{ path: "/etc/shadow", rule: 0 }]);
    expect(maps.maps.aarm_exec_dir).toEqual([
      { path: "/tmp", rule: 1 },
      { path: "/dev/shm", rule: 1 },
    ]);
    expect(maps.rules.map((x) => [x.id, x.hook])).toEqual([
      ["forbid-4", "file_open"],
      ["forbid-5", "bprm_check_security"],
    ]);
  });

  it("the same path in two rules is reported by the first", () => {
    const { maps } = lowerMaps(
      compileKernelPolicy(
        '@id("a") forbid file.open path "/etc/x"\n@id("b") forbid file.open path "/etc/x", "/etc/y"',
      ).ir,
    );
    expect(maps.maps.aarm_file_path).toEqual([
      { path: "/etc/x", rule: 0 },
      { path: "/etc/y", rule: 1 },
    ]);
  });

  it("nested blocks: the longest prefix carries the ports of every rule that contains it", () => {
    const { maps } = lowerMaps(
      compileKernelPolicy(
        '@id("wide") forbid net.connect to 10.0.0.0/8 port 22\n' +
          '@id("narrow") forbid net.connect to 10.1.0.0/16 port 80\n' +
          '@id("ports") forbid net.connect port 3389',
      ).ir,
    );
    const byCidr = Object.fromEntries(
      maps.maps.aarm_net4.map((e) => [e.cidr, maps.maps.aarm_portsets[e.portset]]),
    );
    expect(byCidr["10.0.0.0/8"]).toEqual([
      { from: 22, to: 22, rule: 0 },
      { from: 3389, to: 3389, rule: 2 },
    ]);
    expect(byCidr["10.1.0.0/16"]).toEqual([
      { from: 22, to: 22, rule: 0 },
      { from: 80, to: 80, rule: 1 },
      { from: 3389, to: 3389, rule: 2 },
    ]);
    expect(byCidr["0.0.0.0/0"]).toEqual([{ from: 3389, to: 3389, rule: 2 }]);
    expect(maps.maps.aarm_net6.map((e) => e.cidr)).toEqual(["0:0:0:0:0:0:0:0/0"]);
  });

  it("an IPv4-mapped IPv6 block is stored as the IPv4 block it maps", () => {
    const { maps } = lowerMaps(compileKernelPolicy('forbid net.connect to "::ffff:192.0.2.0/120"').ir);
    expect(maps.maps.aarm_net4.map((e) => e.cidr)).toEqual(["192.0.2.0/24"]);
    expect(maps.maps.aarm_net6).toEqual([]);
  });
});

describe("templates", () => {
  it("every slot must be filled, and every fragment must have a slot", () => {
    const t = "a\n/*@slot ONE@*/\nb\n";
    expect(fillTemplate(t, { ONE: cComment("x") })).toBe("a\n/* x */\nb\n");
    expect(() => fillTemplate(t, {})).toThrow(/slot ONE has no fragment/);
    expect(() => fillTemplate(t, { ONE: cComment("x"), TWO: cComment("y") })).toThrow(/no slot TWO/);
  });

  it("policy text reaches the C program only escaped", () => {
    const { kernel } = compileKernelPolicy(
      '@id("x */ #include \\"evil\\" /*") forbid file.open path "/etc/a\\"b"',
    );
    const program = kernel!.files.get(KERNEL_FILES.program) as string;
    // The id stays inside one comment: its `*/` and `/*` are broken up, so nothing after it becomes code.
    expect(program).toContain('/* rule 0: x * / #include "evil" / * (file.open, file_open) */\n');
    expect(program.split("\n").filter((l) => l.includes("evil"))).toHaveLength(1);
  });
});
