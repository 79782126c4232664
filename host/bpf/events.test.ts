import { describe, expect, it } from "vitest";
import { createSigner, generateKeyPair } from "../../runtime/crypto/ed25519.js";
import { createReceiptWriter, memorySink, verifyReceiptText } from "../../runtime/receipts/index.js";
import { kernelEventDraft, parseKernelEvent, type KernelPolicy } from "./events.js";
import { KernelError } from "./kernel-bundle.js";

// Lines exactly as the loader printed them in the test guest (test/kernel/guest/init.sh).
const OPEN =
  '{"hook":"file_open","pid":635,"cgroup":23,"rule":"no-shadow","ruleIndex":0,"path":"/etc/shadow"}';
const CONNECT =
  '{"hook":"socket_connect","pid":700,"cgroup":23,"rule":"no-cloud-metadata","ruleIndex":3,"family":4,"address":"169.254.169.254","port":80}';

const POLICY: KernelPolicy = {
  name: "company-assistant",
  version: "1.0.0",
  hash: `sha256:${"a".repeat(64)}`,
  reasons: new Map([["no-shadow", "password hashes are never read by the assistant"]]),
};

describe("kernel denials as receipts", () => {
  it("[T1] [C29] a denial event becomes a signed kernel receipt that verifies offline", async () => {
    const keys = generateKeyPair();
    const sink = memorySink();
    const writer = createReceiptWriter({ signer: await createSigner(keys), sink });
    await writer.write(kernelEventDraft(parseKernelEvent(OPEN), POLICY, 1_700_000_000_000, 1));
    await writer.write(kernelEventDraft(parseKernelEvent(CONNECT), POLICY, 1_700_000_000_001, 2));
    const result = await verifyReceiptText(
      sink
        .lines()
        .map((l) => `${l}\n`)
        .join(""),
      {
        keys: new Map([[keys.keyId, { keyId: keys.keyId, publicKey: keys.publicKey }]]),
      },
    );
    expect(result.firstError ?? null).toBe(null);
    expect(result.valid).toBe(true);
    expect(result.receipts).toBe(2);
    const [open, connect] = result.entries;
    expect(open).toMatchObject({
      kind: "kernel",
      action: { tool: "file.open", operation: "file_open", parameters: { path: "/etc/shadow" } },
      decision: {
        result: "DENY",
        ruleIds: ["no-shadow"],
        decidedBy: "kernel",
        reasons: [POLICY.reasons.get("no-shadow")],
      },
    });
    expect(connect).toMatchObject({
      action: { tool: "net.connect", parameters: { address: "169.254.169.254", port: 80 } },
      decision: { ruleIds: ["no-cloud-metadata"], reasons: ["forbidden by no-cloud-metadata in the kernel"] },
    });
  });

  it("a malformed line is refused with a precise error", () => {
    expect(() => parseKernelEvent("not json")).toThrow(KernelError);
    expect(() => parseKernelEvent('{"hook":"file_open","pid":1}')).toThrow(/not a kernel event/);
    expect(() => parseKernelEvent(CONNECT.replace('"port":80', '"port":"80"'))).toThrow(/not a kernel event/);
  });
});
