/**
 * Keeps docs/credentials.md true: its ```ts run blocks form one program, in page order, which is type-checked and
 * run; and the page describes every refusal code and every minting error.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { blocks, program, ROOT, typeErrors } from "./test-support/doc-program.js";

const DOC = readFileSync(join(ROOT, "docs", "credentials.md"), "utf8");
const parsed = blocks(DOC);
const runBlocks = parsed.blocks.filter((b) => /^ts\s+run$/.test(b.info));
const built = program(runBlocks);
const file = join(mkdtempSync(join(tmpdir(), "aarm-credentials-doc-")), "credentials-doc.mts");
writeFileSync(file, built.text);

describe("docs/credentials.md", () => {
  it("has well-formed code blocks", () => {
    expect(parsed.problems).toEqual([]);
    expect(runBlocks.length).toBeGreaterThanOrEqual(2);
  });

  it("type-checks", () => {
    expect(typeErrors(file, built.lineMap, "credentials.md")).toEqual([]);
  });

  it("runs", async () => {
    await import(/* @vite-ignore */ pathToFileURL(file).href);
  });

  it("describes every refusal code and minting error", () => {
    const codes = [
      ...["invalid_request", "malformed", "unknown_key", "bad_signature", "invalid_claims", "wrong_issuer"],
      ...["not_yet_valid", "expired", "wrong_tool", "wrong_operation", "wrong_arguments", "revoked"],
      ...["replayed", "unrecorded", "not_allowed", "wrong_session", "unknown_tool", "sign", "receipt"],
    ].map((c) => `\`${c}\``);
    expect(codes.filter((c) => !DOC.includes(c))).toEqual([]);
  });
});
