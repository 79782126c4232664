/**
 * Keeps docs/enforcement.md true: its ```ts run blocks form one program, in page order, which is type-checked and
 * run; and the page describes every outcome field, stage, default and refusal code.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { DEFAULT_ENFORCEMENT } from "../runtime/enforce/index.js";
import { blocks, program, ROOT, typeErrors } from "./test-support/doc-program.js";

const DOC = readFileSync(join(ROOT, "docs", "enforcement.md"), "utf8");
const parsed = blocks(DOC);
const runBlocks = parsed.blocks.filter((b) => /^ts\s+run$/.test(b.info));
const built = program(runBlocks);
const file = join(mkdtempSync(join(tmpdir(), "aarm-enforcement-doc-")), "enforcement-doc.mts");
writeFileSync(file, built.text);

describe("docs/enforcement.md", () => {
  it("has well-formed code blocks", () => {
    expect(parsed.problems).toEqual([]);
    expect(runBlocks.length).toBeGreaterThanOrEqual(6);
  });

  it("type-checks", () => {
    expect(typeErrors(file, built.lineMap, "enforcement.md")).toEqual([]);
  });

  it("runs", async () => {
    await import(/* @vite-ignore */ pathToFileURL(file).href);
  });

  it("describes every outcome field, stage, default and refusal code", () => {
    const words = [
      ...[
        "effect",
        "ran",
        "output",
        "error",
        "action",
        "decision",
        "resolved",
        "stage",
        "reasons",
        "approval",
        "approvers",
        "receipts",
      ],
      ...["policy", "identity", "receipts", "approval", "deferral", "dependency", "tool"],
      ...Object.keys(DEFAULT_ENFORCEMENT),
      ...[
        "not_found",
        "not_pending",
        "identity",
        "not_human",
        "not_an_approver",
        "self_approval",
        "already_decided",
        "invalid",
      ],
    ].map((w) => `\`${w}\``);
    expect(words.filter((w) => !DOC.includes(w))).toEqual([]);
  });
});
