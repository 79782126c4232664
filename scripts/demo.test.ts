import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = new URL("..", import.meta.url).pathname;
const data = join(root, "..", "shared", "data", "agentdojo", "gpt-4o-2024-05-13.sessions.jsonl.gz");
const tsx = join(root, "node_modules", ".bin", "tsx");
const aarm = (args: string[]) =>
  spawnSync(process.execPath, [join(root, "bin", "aarm.js"), ...args], { cwd: root, encoding: "utf8" });

describe.skipIf(!existsSync(data))("npm run demo", () => {
  it("R5 replays a real session through the enforcer and leaves receipts that aarm verify accepts, and rejects once edited", () => {
    const r = spawnSync(tsx, ["scripts/demo.ts"], { cwd: root, encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/DENY +send_money\(.*<- the attacker's goal/);
    expect(r.stdout).toContain("wrote 7 signed, hash-chained receipts to out/demo/receipts.jsonl");
    const ok = aarm(["verify", "out/demo/receipts.jsonl", "--keys", "out/demo/keys"]);
    expect(ok.status, ok.stderr).toBe(0);
    const file = join(root, "out", "demo", "receipts.jsonl");
    writeFileSync(file, readFileSync(file, "utf8").replace('"read_file"', '"read_fila"'));
    const bad = aarm(["verify", "out/demo/receipts.jsonl", "--keys", "out/demo/keys"]);
    expect(bad.status).toBe(1);
    expect(bad.stdout + bad.stderr).toMatch(/receipt 1\b/);
  }, 120_000);
});
