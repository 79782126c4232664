import { describe, expect, it } from "vitest";
import { makeSource } from "../language/index.js";
import { checkFile, checkSource, memoryHost } from "./index.js";

const TOOLS = JSON.stringify({
  tools: [
    {
      name: "send_money",
      inputSchema: {
        type: "object",
        properties: {
          recipient: { type: "string" },
          amount: { type: "number", minimum: 0 },
          currency: { type: "string", enum: ["EUR", "USD"] },
        },
        required: ["recipient", "amount", "currency"],
      },
    },
  ],
});

const host = (policy: string) => memoryHost({ "dir/policy.aarm": policy, "dir/tools.json": TOOLS });
const HEADER = 'policy "p" version "1.0.0"\ndefault deny\ntools from "tools.json"\n';

describe("checkSource / checkFile", () => {
  it("loads the tools, checks, and returns a model when there is no error", () => {
    const r = checkFile("dir/policy.aarm", host(`${HEADER}allow send_money when args.currency == "EUR"`));
    expect(r.diagnostics).toEqual([]);
    expect(r.model?.rules[0]?.tools).toEqual(["send_money"]);
    expect([...r.sources.keys()].sort()).toEqual(["dir/policy.aarm", "dir/tools.json"]);
  });
  it("reports checker errors against the loaded schemas and returns no model", () => {
    const r = checkFile("dir/policy.aarm", host(`${HEADER}allow send_money when args.currency == "BTC"`));
    expect(r.diagnostics.map((d) => d.code)).toEqual(["AARM2209"]);
    expect(r.model).toBeUndefined();
  });
  it("returns warnings with a model", () => {
    const r = checkFile("dir/policy.aarm", host(`${HEADER}const unused = 1\nallow send_money`));
    expect(r.diagnostics.map((d) => d.code)).toEqual(["AARM2505"]);
    expect(r.model).toBeDefined();
  });
  it("merges schema diagnostics and keeps patterns quiet when a file failed to load", () => {
    const r = checkSource(
      makeSource("dir/policy.aarm", `${HEADER.replace("tools.json", "missing.json")}allow send_money`),
      host(""),
    );
    expect(r.diagnostics.map((d) => d.code)).toEqual(["AARM3001"]);
    expect(r.model).toBeUndefined();
  });
  it("sorts diagnostics and still checks after a syntax error, without the analyses", () => {
    const r = checkFile("dir/policy.aarm", host(`${HEADER}allow send_mony\ndeny send_money when (`));
    expect(r.diagnostics.map((d) => d.code)).toEqual(["AARM2101", "AARM1004"]);
  });
  it("reports a missing default through the façade", () => {
    const r = checkFile(
      "dir/policy.aarm",
      host('policy "p" version "1.0.0"\ntools from "tools.json"\nallow send_money'),
    );
    expect(r.diagnostics.map((d) => d.code)).toEqual(["AARM2001"]);
  });
});
