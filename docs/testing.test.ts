/**
 * Keeps docs/testing.md true: every fenced block with `file=PATH` is written into a scratch folder, and every
 * ```text run="aarm ..." status=N block is the command run there (in-process) — its output must be the block's
 * text after the `$ command` line, and its exit status N.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoryIo } from "../cli/io.js";
import { aarmProgram, guarded } from "../cli/main.js";
import { scratch } from "../cli/test-support/run.js";

const doc = readFileSync(new URL("testing.md", import.meta.url), "utf8");
const fences = [...doc.matchAll(/^```(\w+) ([^\n]*)\n([\s\S]*?)^```$/gm)].map((m) => ({
  info: m[2]!,
  body: m[3]!,
}));
const files = Object.fromEntries(
  fences.flatMap((f) => {
    const name = /^file=(\S+)$/.exec(f.info)?.[1];
    return name ? [[name, f.body]] : [];
  }),
);
const runs = fences.flatMap((f) => {
  const m = /^run="aarm ([^"]+)" status=(\d)$/.exec(f.info);
  return m ? [{ args: m[1]!.split(" "), status: Number(m[2]), body: f.body }] : [];
});

let dir = "";
let cleanup = () => {};
beforeAll(() => ({ dir, cleanup } = scratch(files)));
afterAll(() => cleanup());

describe("docs/testing.md", () => {
  it("has the policy, its tests and the commands", () => {
    expect(Object.keys(files)).toEqual(
      expect.arrayContaining(["support/policy.aarm", "support/tests/support.json"]),
    );
    expect(runs.length).toBeGreaterThanOrEqual(5);
  });

  it.each(runs.map((r) => [r.args.join(" "), r] as const))(
    "aarm %s prints what the page shows",
    async (_, r) => {
      const io = memoryIo(dir);
      const status = await guarded(aarmProgram(), r.args, io);
      expect(`$ aarm ${r.args.join(" ")}\n${io.stdout()}`).toBe(r.body);
      expect(io.stderr()).toBe("");
      expect(status).toBe(r.status);
    },
  );
});
