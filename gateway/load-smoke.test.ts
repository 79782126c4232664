/**
 * The load benchmark (bench/gateway-load.ts) with small counts, so that it keeps working: correctness only — no
 * call fails, and every call through the gateway has exactly one decision and one outcome receipt in a receipt
 * file whose chain and signatures verify. No timing is asserted.
 */
import { describe, expect, it } from "vitest";
import { runLoad } from "../bench/gateway-load.js";

describe("gateway load benchmark, smoke", () => {
  it.each(["group", "decisions"] as const)(
    "[C29] R5 concurrent sessions through the gateway, fsync %s: no call fails, no receipt lost or duplicated",
    async (fsync) => {
      const r = await runLoad({ sessions: 4, calls: 5, sequential: 10, fsync });
      expect(r.load.map((l) => l.errors)).toEqual([0, 0]);
      expect(r.receipts).toEqual({
        count: 2 * (1 + 10 + 2 * 4 * 5),
        valid: true,
        calls: 1 + 10 + 2 * 4 * 5,
        lost: 0,
        duplicated: 0,
      });
    },
  );
});
