/**
 * Catalog codes that no golden case in conformance/diagnostics/ exercises, each with the reason a case cannot
 * reproduce it portably. The diagnostics runner fails on a code that is neither exercised nor listed here, and
 * on an entry here that a case now exercises.
 */
export const unexercised: Readonly<Record<string, string>> = {
  AARM1010:
    "needs a policy file over the size limit (many MiB) checked into the repository; " +
    "language/parser/stress.test.ts covers it in memory",
  AARM4006:
    "an info that `aarmc compile` reports after lowering to the kernel target, which `checkFile` (what the golden " +
    "cases run) does not do; targets/bpf/bpf.test.ts checks it",
};
