/**
 * The policy the `aarm test` and `aarm explain` tests run: small, with one rule of each kind they report on.
 */
const str = { type: "string" };
const tool = (name: string, properties: Record<string, object>) => ({
  name,
  inputSchema: { type: "object", properties, required: Object.keys(properties), additionalProperties: false },
});
/** The tools of the shop policy (an MCP tools/list result). */
export const SHOP_TOOLS = {
  tools: [
    tool("crm.lookup", { customer: str }),
    tool("email.send", { to: str, body: str }),
    tool("payments.refund", { order: str, amount: { type: "number" } }),
  ],
};
/** A small policy with a tag rule, a deny, a step-up, a redacting modify and an allow. */
export const SHOP_POLICY = `policy "shop" version "1.0.0"
default deny
tools from "./tools.json"
labels PII
@id("tag-pii") on result crm.lookup { label PII }
@id("pii-mail") deny email.send when session.labels has PII and domain(args.to) != "corp.example"
  because "customer data stays inside"
@id("big-refund") step_up payments.refund when args.amount > 500 approvers any ["leads"] timeout 30m
@id("mask") modify email.send when args.body contains "secret" { redact args.body }
@id("allow-all") allow crm.lookup, email.send, payments.refund
`;
