/**
 * AARM4xxx: target limits (what the kernel maps and the evaluators can hold).
 */
import { define } from "./define.js";

export const target = {
  kernelPathTooLong: define({
    code: "AARM4001",
    severity: "error",
    title: "kernel path too long",
    message: "the path is {bytes} bytes long; kernel paths are at most {limit} bytes",
    help: "forbid a shorter parent directory with `under`",
    doc: "Kernel paths are stored as fixed-size eBPF map keys of 255 bytes (UTF-8).",
  }),
  tooManyKernelEntries: define({
    code: "AARM4002",
    severity: "error",
    title: "too many kernel entries",
    message: "more than {limit} kernel entries of kind {kind}",
    help: "group entries: forbid a directory with `under` instead of many files, or a CIDR block instead of many addresses",
    doc: "Each kind of kernel entry (exact paths and subtrees of file.open and of process.exec, IPv4 and IPv6 blocks, port ranges) is one eBPF map of at most 4,096 entries.",
  }),
  tooManyPortRanges: define({
    code: "AARM4003",
    severity: "error",
    title: "too many port ranges",
    message: "{count} port ranges in one rule; the limit is {limit}",
    help: "merge adjacent ports into ranges such as 8000..8100",
    doc: "The kernel checks a rule's ports with a bounded loop over at most 64 ranges.",
  }),
  costBoundExceeded: define({
    code: "AARM4004",
    severity: "warning",
    title: "rule cost bound too high",
    message: "the cost bound of this {what} is {cost} units, above the limit of {limit}",
    help: "add maxLength (strings) or maxItems (lists) to the tool's inputSchema",
    doc: 'The compiler bounds the work of every condition statically (see docs/semantics.md, "Cost"): one unit per operator and reference; a regex costs its pattern length times the text it is matched against; string scans and the string builtins cost that text; `in`, `has any` and `has all` cost the size of their list; quantifiers add one unit per element; history lookups are constant (indexed). The text of an argument is bounded by its schema (`maxLength`, times `maxItems` for a list); where the schema leaves it open, an argument is assumed to hold at most 65,536 characters in total and a list at most 1,024 elements. A condition above 16,777,216 units (for example a regex of more than 256 characters over an argument without `maxLength`) could slow every decision for its tools: add `maxLength` / `maxItems` to the tool\'s inputSchema, or simplify the condition.',
  }),
  tooManyPortsForAddress: define({
    code: "AARM4005",
    severity: "error",
    title: "too many port ranges for one address",
    message:
      "{count} port ranges apply to addresses in {block}; the kernel scans at most {limit} per address block",
    help: "merge adjacent ports into ranges, or give the rules that share these addresses fewer port lists",
    doc: "The kernel looks a destination up in an LPM trie; the longest matching block carries the port ranges of every rule whose addresses contain it (a rule without `to` contains every address), and the kernel scans at most 64 of them. Rules whose address blocks overlap share that budget.",
  }),
  kernelEnforcement: define({
    code: "AARM4006",
    severity: "info",
    title: "what the kernel enforces",
    message: "{summary}",
    doc: "Reported by `aarmc compile` for a policy with `forbid` rules: which rules the kernel target enforces with BPF LSM programs (kernel-visible rules over `file.open`, `process.exec` and `net.connect`), and which are decided in user space only, because they need the tool's arguments or the session. The full list is written to `kernel/enforced.txt` in the bundle (see docs/kernel.md).",
  }),
} as const;
