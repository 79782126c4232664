import { describe, expect, it } from "vitest";
import type { IrExpr } from "../../runtime/ir/index.js";
import { checkText } from "../check/test-support/harness.js";
import { lowerPolicy, matchTool } from "./index.js";

/** The tool lists of the history expressions in the first rule's condition, as lowered. */
function lowered(condition: string): unknown[] {
  const c = checkText(`deny email.send when ${condition}`);
  if (!c.model) throw new Error(c.diagnostics.map((d) => d.message).join("; "));
  const out: unknown[] = [];
  const visit = (e: IrExpr): void => {
    if (e.op === "seen" || e.op === "count" || e.op === "src_result") out.push(e.tools);
    else if (e.op === "sequence") out.push(e.steps);
    else if (e.op === "and" || e.op === "or") [e.left, e.right].forEach(visit);
    else if (e.op === "cmp") [e.left, e.right].forEach(visit);
  };
  visit(lowerPolicy(c.model, "").rules[0]!.cond!);
  return out;
}

describe("tool patterns in history expressions", () => {
  it("resolves exact names, sorted and without repeats", () => {
    expect(lowered("seen(slack.post_message, db.query, db.query within 10m)")).toEqual([
      ["db.query", "slack.post_message"],
    ]);
  });
  it("resolves a glob against every known tool except the kernel actions", () => {
    expect(lowered("count(db.* within 1h) > 2")).toEqual([["db.delete", "db.query"]]);
    const all = lowered("seen(*)")[0] as string[];
    expect(all).toContain("send_money");
    expect(all.some((t) => t === "file.open" || t === "net.connect" || t === "process.exec")).toBe(false);
  });
  it("mixes globs and names, and keeps the kernel actions named exactly", () => {
    expect(lowered("seen(calendar.*, file.open)")).toEqual([
      ["calendar.create_event", "calendar.list_events", "file.open"],
    ]);
  });
  it("resolves each step of a sequence on its own", () => {
    expect(lowered("sequence(db.*, email.send within 5m)")).toEqual([
      [["db.delete", "db.query"], ["email.send"]],
    ]);
  });
  it("matches globs with regex characters literally", () => {
    expect(matchTool("a.*", "a.b")).toBe(true);
    expect(matchTool("a.*", "axb")).toBe(false);
    expect(matchTool("a+*", "a+b")).toBe(true);
    expect(matchTool("db.query", "db.query")).toBe(true);
  });
});
