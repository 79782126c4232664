/**
 * The AARM requirements this suite proves, in both numberings (../shared/reference/aarm-spec.md §0: the current
 * spec's R1–R9 and the seed README's older R1–R9), the spec's conformance test table (§2.1) and the derived
 * catalogue (§2.5). Tests claim what they prove by naming it: `R4` (or `R3(a)`) anywhere in a test's full name
 * counts it for that current requirement; `[T7]` for row 7 of the table; `[C23]` for catalogue item 23.
 */

export type Level = "MUST" | "SHOULD";

export interface Requirement {
  readonly id: string;
  readonly numbering: "current" | "seed";
  readonly level: Level;
  readonly title: string;
  /** For the seed numbering: the current requirements whose tests prove it, optionally narrowed by a keyword. */
  readonly from?: { readonly current: string; readonly only?: RegExp; readonly except?: RegExp };
}

const VALIDATION = /validat|constraint|pattern|range|allowlist|blocklist|schema/i;

export const REQUIREMENTS: readonly Requirement[] = [
  { id: "R1", numbering: "current", level: "MUST", title: "Pre-execution interception" },
  { id: "R2", numbering: "current", level: "MUST", title: "Context accumulation" },
  { id: "R3", numbering: "current", level: "MUST", title: "Policy evaluation with intent alignment" },
  {
    id: "R4",
    numbering: "current",
    level: "MUST",
    title: "Authorization decisions (ALLOW, DENY, MODIFY, STEP_UP, DEFER)",
  },
  { id: "R5", numbering: "current", level: "MUST", title: "Tamper-evident receipts" },
  { id: "R6", numbering: "current", level: "MUST", title: "Identity binding" },
  { id: "R7", numbering: "current", level: "SHOULD", title: "Semantic distance tracking" },
  { id: "R8", numbering: "current", level: "SHOULD", title: "Telemetry export" },
  { id: "R9", numbering: "current", level: "SHOULD", title: "Least privilege enforcement" },
  {
    id: "R1",
    numbering: "seed",
    level: "MUST",
    title: "Block actions before execution based on policy",
    from: { current: "R1" },
  },
  {
    id: "R2",
    numbering: "seed",
    level: "MUST",
    title: "Validate action parameters against type, range, and pattern constraints",
    from: { current: "R3", only: VALIDATION },
  },
  {
    id: "R3",
    numbering: "seed",
    level: "MUST",
    title: "Accumulate session context including prior actions and data accessed",
    from: { current: "R2" },
  },
  {
    id: "R4",
    numbering: "seed",
    level: "MUST",
    title: "Evaluate intent consistency for context-dependent actions",
    from: { current: "R3", except: VALIDATION },
  },
  {
    id: "R5",
    numbering: "seed",
    level: "MUST",
    title: "Support human approval workflows with timeout handling",
    from: { current: "R4" },
  },
  {
    id: "R6",
    numbering: "seed",
    level: "MUST",
    title: "Generate cryptographically signed receipts with full context",
    from: { current: "R5" },
  },
  {
    id: "R7",
    numbering: "seed",
    level: "MUST",
    title: "Bind actions to human, service, agent, and session identity",
    from: { current: "R6" },
  },
  {
    id: "R8",
    numbering: "seed",
    level: "SHOULD",
    title: "Enforce least privilege through scoped, just-in-time credentials",
    from: { current: "R9" },
  },
  {
    id: "R9",
    numbering: "seed",
    level: "SHOULD",
    title: "Export structured telemetry to security platforms",
    from: { current: "R8" },
  },
];

/** A row of the spec's conformance test table (§2.1) or an item of the derived catalogue (§2.5). */
export interface Row {
  /** `T<n>` for table rows, `C<n>` for catalogue items. */
  readonly key: string;
  readonly requirement: string;
  readonly level: Level;
  readonly text: string;
}

const T = (n: number, requirement: string, level: Level, text: string): Row => ({
  key: `T${n}`,
  requirement,
  level,
  text,
});

export const TABLE: readonly Row[] = [
  T(1, "R1", "MUST", "Submit action matching DENY policy → does not execute; denial receipt generated"),
  T(
    2,
    "R1",
    "MUST",
    "Submit action matching DEFER condition → suspended; no effects; deferral receipt generated",
  ),
  T(3, "R1", "MUST", "Make AARM system unavailable, submit action → action fails (no fail-open bypass)"),
  T(
    4,
    "R2",
    "MUST",
    "Execute action sequence, inspect context at step N → all prior actions and data classifications",
  ),
  T(5, "R2", "SHOULD", "Tamper with prior context entry → tampering detected"),
  T(6, "R3", "MUST", "Submit forbidden action → immediate DENY regardless of context"),
  T(7, "R3", "MUST", "Allowed action after sensitive data access → DENY based on context"),
  T(8, "R3", "MUST", "Denied action with confirming context → STEP_UP or ALLOW"),
  T(9, "R3", "MUST", "Action with ambiguous/conflicting context → DEFER"),
  T(
    10,
    "R4",
    "MUST",
    "Trigger each of 5 decision types → ALLOW executes, DENY blocks, MODIFY transforms, STEP_UP pauses, DEFER suspends",
  ),
  T(11, "R4", "MUST", "STEP_UP with no response within timeout → DENY after timeout"),
  T(12, "R4", "MUST", "DEFER with no resolution within timeout → DENY after timeout"),
  T(
    13,
    "R5",
    "MUST",
    "Receipts for ALLOW, DENY, MODIFY, STEP_UP, DEFER → requester context, delegation chain, policy version/hash",
  ),
  T(14, "R5", "MUST", "Verify receipt signature offline → signature validates"),
  T(
    15,
    "R5",
    "MUST",
    "Tamper with requester context or policy hash in receipt → signature verification fails",
  ),
  T(
    16,
    "R5",
    "MUST",
    "Verify deferred action receipt → deferral reason, resolution method, resolution timestamp present",
  ),
  T(
    17,
    "R6",
    "MUST",
    "Submit from different principals and sessions → receipts attribute identity incl. role/privilege scope",
  ),
  T(18, "R6", "MUST", "Defer action, then resolve → original identity preserved in resolution receipt"),
  T(
    19,
    "R7",
    "SHOULD",
    "Diverging action sequence exceeding drift threshold → alert, deferral, or escalation",
  ),
  T(20, "R8", "SHOULD", "Configure SIEM export → events appear with correct schema including DEFER events"),
  T(21, "R9", "SHOULD", "Submit read operation → issued credential cannot perform writes"),
];

const C = (n: number, requirement: string, level: Level, text: string): Row => ({
  key: `C${n}`,
  requirement,
  level,
  text,
});

export const CATALOGUE: readonly Row[] = [
  C(1, "R1", "MUST", "DENY → tool not invoked; one DENY receipt with policy id and reason"),
  C(2, "R1", "MUST", "DEFER → zero invocations while pending; DEFER receipt with reason"),
  C(3, "R1", "MUST", "Policy engine, context store or receipt store down → action fails, tool not called"),
  C(4, "R1", "MUST", "No configuration bypasses evaluation"),
  C(5, "R2", "MUST", "Context at step k holds a1..a(k-1) and the union of data classifications"),
  C(6, "R2", "MUST", "Unclassifiable data → highest sensitivity level"),
  C(7, "R2", "MUST", "Original user request present in context"),
  C(8, "R2", "SHOULD", "Hash-chained context log: a mutated entry fails verification at that entry"),
  C(9, "R3", "MUST", "Forbidden action with convincing context → DENY"),
  C(10, "R3", "MUST", "Context-dependent deny: external email after a PII read → DENY"),
  C(11, "R3", "MUST", "Context-dependent allow: delete with an aligned request → STEP_UP or ALLOW"),
  C(12, "R3", "MUST", "Context-dependent defer: conflicting maintenance-window signals → DEFER"),
  C(13, "R3", "MUST", "DEFER trigger (a): unpopulated context field"),
  C(14, "R3", "MUST", "DEFER trigger (b): same-priority conflicting rules"),
  C(15, "R3", "MUST", "DEFER trigger (c): confidence below threshold"),
  C(16, "R3", "MUST", "Deferral reasons name the trigger"),
  C(17, "R3", "MUST", "Parameter validation: type, range, pattern, allowlist, blocklist"),
  C(18, "R3", "MUST", "Determinism: same (action, context, policy) → same decision"),
  C(19, "R3", "MUST", "Documented default posture applies when no rule matches"),
  C(20, "R4", "MUST", "ALLOW executes with unchanged parameters"),
  C(21, "R4", "MUST", "MODIFY: the tool receives the transformed parameters; the receipt records it"),
  C(22, "R4", "MUST", "STEP_UP: not called until approval; approve → runs; reject → not run"),
  C(23, "R4", "MUST", "STEP_UP timeout → DENY, tool never called"),
  C(24, "R4", "MUST", "DEFER timeout → DENY, no fail-open"),
  C(25, "R4", "MUST", "DEFER resolution → re-evaluation; ALLOW → runs; follow-up receipt"),
  C(26, "R4", "MUST", "Dependent action deferred too; independent action proceeds"),
  C(27, "R4", "MUST", "Cascading deferral limit exceeded → DENY"),
  C(28, "R4", "MUST", "Deferred actions keep execution order"),
  C(29, "R5", "MUST", "Receipts for every decision and for resolutions"),
  C(30, "R5", "MUST", "Required receipt fields present"),
  C(31, "R5", "MUST", "Signature verifies offline with the published key"),
  C(32, "R5", "MUST", "Any tampered field or unknown key fails verification"),
  C(33, "R6", "MUST", "Different principals/sessions attributed correctly incl. role/scope"),
  C(34, "R6", "MUST", "Defer then resolve → original identity in the resolution receipt"),
  C(35, "R6", "MUST", "Missing or unverifiable identity → DENY (or flagged)"),
  C(36, "R6", "MUST", "Expired/revoked identity re-validated at approval/resolution time"),
  C(37, "R7", "SHOULD", "A single large jump over the drift threshold triggers"),
  C(38, "R7", "SHOULD", "Gradual drift under the per-action threshold triggers cumulatively"),
  C(39, "R8", "SHOULD", "OCSF/CEF export with DEFER events, filtering, batching"),
  C(40, "R9", "SHOULD", "Read credential cannot write; short validity; use logged"),
  C(41, "R1", "MUST", "Meta-tools resolved before evaluation; original name kept for audit"),
  C(42, "R1", "MUST", "AML idempotence: same request → same normalized action"),
];
