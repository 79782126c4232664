import { describe, expect, it } from "vitest";
import { Dependencies } from "./dependencies.js";

describe("Dependencies", () => {
  it("classifies a new action by what it depends on", () => {
    const d = new Dependencies(3);
    d.track("ran", "ran");
    d.track("denied", "denied");
    d.track("running", "running");
    d.track("held", "held", 1);
    expect(d.check([])).toEqual({ kind: "free", wait: [] });
    expect(d.check(["ran", "running"])).toEqual({ kind: "free", wait: ["running"] });
    expect(d.check(["ran", "held"])).toEqual({ kind: "held", on: ["held"], depth: 2 });
    expect(d.check(["held", "denied"])).toMatchObject({ kind: "denied", id: "denied" });
    expect(d.check(["nope"])).toMatchObject({
      kind: "denied",
      reason: "it depends on 'nope', which is not an action of this session",
    });
  });

  it("releases dependents of a common action in submission order, each after the previous one started", async () => {
    const d = new Dependencies(3);
    d.track("root", "held", 1);
    const order: string[] = [];
    const first = d.release(["root"]);
    const second = d.release(["root"]);
    const done = [first.gate.then(() => order.push("first")), second.gate.then(() => order.push("second"))];
    d.settle("root", "ran");
    await first.gate;
    await new Promise((r) => setTimeout(r, 5));
    expect(order).toEqual(["first"]); // the second waits for the first to start
    first.started();
    await Promise.all(done);
    expect(order).toEqual(["first", "second"]);
  });

  it("a denied dependency denies the dependent's gate", async () => {
    const d = new Dependencies(3);
    d.track("root", "held", 1);
    const r = d.release(["root"]);
    d.settle("root", "denied");
    expect(await r.gate).toEqual({ ok: false, denied: "root" });
  });
});
