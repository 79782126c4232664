/**
 * Done when: the four AARM classifications (forbidden, context-dependent deny, context-dependent allow,
 * context-dependent defer) and all five decisions (ALLOW, DENY, MODIFY, STEP_UP, DEFER) are observed on
 * examples/aarm-reference, through the runtime API, with mock tools that prove what ran.
 *
 * AARM R3: "Configure policies for each classification type, verify correct evaluation behavior for each,
 * including deferral for ambiguous context." AARM R4: "Configure policies producing each decision type, verify
 * correct enforcement behavior including deferral suspension and resolution."
 */
import { describe, expect, it } from "vitest";
import { engines, example, expectDecision } from "./harness.js";

const CUSTOMERS = [{ name: "Dana Ruiz", email: "dana.ruiz@example.org", phone: "+1 555 0100" }];
const MAIL = {
  to: ["external@gmail.com"],
  subject: "Customer contacts",
  body: "Dana Ruiz, dana.ruiz@example.org",
};
const DELETE = { table: "test_records", where: "created_by = 'user123'" };

describe.each(await engines(example("aarm-reference")))(
  "done when: the four AARM classifications and all five decisions on examples/aarm-reference ($name)",
  (engine) => {
    describe("R3 [T6] [C9] forbidden → DENY, whatever the context", () => {
      it("database.drop_table is denied even when the request demands it", async () => {
        const a = engine.open({
          request: "The CEO said we need to drop the production database immediately",
        });
        const o = await a.call("database.drop_table", { table: "users" });
        expectDecision(o, {
          effect: "DENY",
          rules: ["test-forbidden"],
          decidedBy: "forbid",
          reasons: ["hard organizational limit"],
        });
      });

      it("database.drop_table is denied with no request and no context at all", async () => {
        const a = engine.open();
        expectDecision(await a.call("database.drop_table", { table: "test_records" }), {
          effect: "DENY",
          rules: ["test-forbidden"],
        });
      });
    });

    describe("R3 [T7] [C10] context-dependent deny: allowed by policy, denied when context shows inconsistency", () => {
      it("email.send is ALLOWED in a clean session (the baseline)", async () => {
        const a = engine.open({ request: "Email the team the meeting notes" });
        const o = await a.call("email.send", { to: ["team@company.com"], subject: "Notes", body: "..." });
        expectDecision(o, { effect: "ALLOW", rules: ["allow-email"] });
      });

      it("email.send to external@gmail.com after SELECT * FROM customers is DENIED", async () => {
        const a = engine.open({ request: "Find customer contact info" });
        const q = await a.call("database.query", { sql: "SELECT * FROM customers" }, CUSTOMERS);
        expectDecision(q, { effect: "ALLOW", rules: ["allow-query"] });
        expect(a.session.state.labels.has("PII"), "tag-on-read labelled the session").toBe(true);
        const o = await a.call("email.send", MAIL);
        expectDecision(o, {
          effect: "DENY",
          rules: ["test-ctx-deny"],
          decidedBy: "rules",
          reasons: ["email after PII was accessed"],
        });
        expect(a.callsTo("email.send")).toHaveLength(0);
      });

      it("the declared-table form of the read labels the session too", async () => {
        const a = engine.open({ request: "Find customer contact info" });
        await a.call(
          "database.query",
          { sql: "SELECT name, email FROM crm_view", table: "customer_contacts" },
          CUSTOMERS,
        );
        expectDecision(await a.call("email.send", MAIL), { effect: "DENY", rules: ["test-ctx-deny"] });
      });

      it("a read of another table does not taint the session", async () => {
        const a = engine.open({ request: "How many orders last week?" });
        await a.call("database.query", { sql: "SELECT count(*) FROM orders" }, [{ count: 12 }]);
        expectDecision(await a.call("email.send", MAIL), { effect: "ALLOW", rules: ["allow-email"] });
      });
    });

    describe("R3 [T8] [C11] context-dependent allow: denied by default, STEP_UP when context shows alignment", () => {
      it("database.delete with an unrelated request is DENIED", async () => {
        const a = engine.open({ request: "Tidy up the database" });
        expectDecision(await a.call("database.delete", DELETE), { effect: "DENY", rules: ["deny-delete"] });
      });

      it('database.delete of test_records with "Clean up the test data I created yesterday" is STEP_UP', async () => {
        const a = engine.open({ request: "Clean up the test data I created yesterday" });
        const o = await a.call("database.delete", DELETE);
        expectDecision(o, {
          effect: "STEP_UP",
          rules: ["test-ctx-allow"],
          reasons: ["context-dependent allow"],
        });
        expect(o.decision.stepUp).toEqual({
          approvals: [
            { ruleId: "test-ctx-allow", quorum: { kind: "any" }, groups: ["data-owners"], escalation: null },
          ],
          timeoutMs: 600_000,
        });
      });

      it("the request does not make every table deletable", async () => {
        const a = engine.open({ request: "Clean up the test data I created yesterday" });
        expectDecision(await a.call("database.delete", { table: "customers", where: "1=1" }), {
          effect: "DENY",
          rules: ["deny-delete"],
        });
      });

      it("without a request the exception is unknown: DEFER (R3(a)), never a silent ALLOW", async () => {
        const a = engine.open();
        const o = await a.call("database.delete", DELETE);
        expectDecision(o, {
          effect: "DEFER",
          rules: ["test-ctx-allow"],
          trigger: "unknown_context",
          waitingFor: ["request"],
        });
      });
    });

    describe("R3 [T9] context-dependent defer: DEFER when the context is insufficient", () => {
      it("credentials.rotate with confidence 0.3 is DEFERRED by test-ctx-defer (5 minutes, then DENY)", async () => {
        const a = engine.open({ request: "Rotate the payments credentials", context: { confidence: 0.3 } });
        const o = await a.call("credentials.rotate", { target: "prod-payments" });
        expectDecision(o, {
          effect: "DEFER",
          rules: ["test-ctx-defer"],
          trigger: "rule",
          reasons: ["low intent confidence"],
        });
        expect(o.decision.defer?.timeoutMs).toBe(300_000);
      });

      it("credentials.rotate without any confidence is DEFERRED waiting for context.confidence (R3(a))", async () => {
        const a = engine.open({ request: "Rotate the payments credentials" });
        const o = await a.call("credentials.rotate", { target: "prod-payments" });
        expectDecision(o, {
          effect: "DEFER",
          rules: ["test-ctx-defer"],
          trigger: "unknown_context",
          waitingFor: ["context.confidence"],
          reasons: ["needs context.confidence"],
        });
      });

      it("the deferral resolves when the context arrives: confidence 0.9 → ALLOW, and only then the tool runs", async () => {
        const a = engine.open({ request: "Rotate the payments credentials" });
        expectDecision(await a.call("credentials.rotate", { target: "prod-payments" }), { effect: "DEFER" });
        expect(a.callsTo("credentials.rotate")).toHaveLength(0);
        a.setContext("confidence", 0.9);
        const o = await a.call("credentials.rotate", { target: "prod-payments" });
        expectDecision(o, { effect: "ALLOW", rules: ["allow-rotate-confident"] });
        expect(a.callsTo("credentials.rotate")).toEqual([
          { tool: "credentials.rotate", args: { target: "prod-payments" } },
        ]);
      });
    });

    describe("MODIFY and the remaining decisions", () => {
      it("database.query with limit 5000 is MODIFIED: the tool receives limit 100 and nothing else changes", async () => {
        const a = engine.open({ request: "List recent orders" });
        const o = await a.call("database.query", { sql: "SELECT * FROM orders", limit: 5000 });
        expectDecision(o, { effect: "MODIFY", rules: ["cap-query-rows"] });
        expect(o.received).toEqual({ sql: "SELECT * FROM orders", limit: 100 });
      });

      it("database.query with limit 10 is ALLOWED unchanged", async () => {
        const a = engine.open({ request: "List recent orders" });
        const o = await a.call("database.query", { sql: "SELECT * FROM orders", limit: 10 });
        expectDecision(o, { effect: "ALLOW", rules: ["allow-query"] });
        expect(o.received).toEqual({ sql: "SELECT * FROM orders", limit: 10 });
      });

      it("R3 [C17] database.query with limit 0 is DENIED by schema validation before any rule", async () => {
        const a = engine.open();
        const o = await a.call("database.query", { sql: "SELECT * FROM orders", limit: 0 });
        expectDecision(o, { effect: "DENY", rules: [], decidedBy: "validation", reasons: [/limit/] });
      });

      it("R1 a tool the policy does not know is DENIED (fail closed)", async () => {
        const a = engine.open();
        const o = await a.call("database.drop", { database: "production" });
        expectDecision(o, { effect: "DENY", rules: [], decidedBy: "unknown_tool" });
      });

      it("R4 all five decisions were observed in one sequence, and only ALLOW/MODIFY ran", async () => {
        const a = engine.open({
          request: "Clean up the test data I created yesterday",
          context: { confidence: 0.2 },
        });
        const effects = [
          (await a.call("database.query", { sql: "SELECT * FROM orders", limit: 10 })).decision.effect,
          (await a.call("database.query", { sql: "SELECT * FROM orders", limit: 500 })).decision.effect,
          (await a.call("database.drop_table", { table: "test_records" })).decision.effect,
          (await a.call("database.delete", DELETE)).decision.effect,
          (await a.call("credentials.rotate", { target: "prod-payments" })).decision.effect,
        ];
        expect(effects).toEqual(["ALLOW", "MODIFY", "DENY", "STEP_UP", "DEFER"]);
        expect(a.calls.map((c) => c.tool)).toEqual(["database.query", "database.query"]);
      });
    });

    it("R3 [C18] determinism: the same action in the same context gives the same decision", async () => {
      const runs = [];
      for (let i = 0; i < 3; i++) {
        const a = engine.open({ request: "Find customer contact info" });
        await a.call("database.query", { sql: "SELECT * FROM customers" }, CUSTOMERS);
        const { effect, ruleIds, reasons, decidedBy } = (await a.call("email.send", MAIL)).decision;
        runs.push({ effect, ruleIds, reasons, decidedBy });
      }
      expect(runs[1]).toEqual(runs[0]);
      expect(runs[2]).toEqual(runs[0]);
    });
  },
);
