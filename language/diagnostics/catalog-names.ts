/**
 * AARM2xxx: names and types (the checker). Split by area: 20xx declarations, 21xx tools, arguments and names
 * (this file), 22xx types and 23xx regexes (catalog-names-types.ts), 24xx rules and 25xx static analyses
 * (catalog-names-rules.ts). `names` merges them; catalog.ts rejects duplicate codes.
 */
import { define } from "./define.js";
import { namesRules } from "./catalog-names-rules.js";
import { namesTypes } from "./catalog-names-types.js";

/** Declarations (20xx). */
export const namesDecls = {
  missingDefault: define({
    code: "AARM2001",
    severity: "error",
    title: "missing default posture",
    message: "the policy has no `default` declaration",
    help: "add `default deny` (or `default allow`) after the header",
    doc: "AARM requires the posture for actions that no rule decides to be explicit and documented. Write `default deny` (recommended: fail closed) or `default allow`. There is no implicit default.",
  }),
  duplicateDeclaration: define({
    code: "AARM2002",
    severity: "error",
    title: "declaration repeated",
    message: "`{what}` may be declared only once",
    help: "merge the two declarations into one",
    doc: "`default` and `levels` are whole-policy settings and may appear once. (`labels` and `context` may be split over several declarations.)",
  }),
  duplicateName: define({
    code: "AARM2003",
    severity: "error",
    title: "name declared twice",
    message: "'{name}' is already declared as a {kind}",
    help: "rename one of them",
    doc: "Constants, labels and levels share one namespace, because all three are written as bare names in conditions; context fields have their own namespace (they are always written `context.NAME`). A name may be declared once.",
  }),
  labelIsLevel: define({
    code: "AARM2004",
    severity: "error",
    title: "name is both a label and a level",
    message: "'{name}' is declared both as a label and as a level",
    help: "a sensitivity level is already recorded in session.level; drop the label or rename it",
    doc: "Labels are an unordered set (`session.labels has PII`); levels are ordered (`session.level >= CONFIDENTIAL`). One name cannot be both, or `label X` in a tag rule would be ambiguous. When no `levels` declaration exists, the default levels PUBLIC < INTERNAL < CONFIDENTIAL < RESTRICTED are declared.",
  }),
  builtinNameRedeclared: define({
    code: "AARM2005",
    severity: "error",
    title: "built-in name redeclared",
    message: "'{name}' is a built-in name and cannot be declared as a {kind}",
    help: "choose another name",
    doc: "`args`, `tool`, `request`, `session`, `identity` and `drift` are the roots of conditions. Declaring a constant, label or level with one of these names would hide it.",
  }),
  invalidConstant: define({
    code: "AARM2006",
    severity: "error",
    title: "constant is not a literal",
    message: "a constant must be a literal or a list of literals; {reason}",
    help: "write the value out: strings, numbers, booleans, durations or regexes, or a list of one of them",
    doc: "Constants are data, fixed at compile time: a string, number, boolean, duration or regex literal, or a flat list of literals of one type. They cannot refer to arguments, context or other constants, so they can be inlined and indexed by the compiler.",
  }),
  heterogeneousList: define({
    code: "AARM2007",
    severity: "error",
    title: "list elements of different types",
    message: "list elements must all have one type: this element is {found}, the first is {expected}",
    help: "split the list into one list per type",
    doc: "A list literal or list constant has one element type, so that `in`, `has` and the quantifiers have a single meaning. A list mixing strings and regexes, for example, is rejected: use two constants and two comparisons.",
  }),
  duplicateTool: define({
    code: "AARM2008",
    severity: "error",
    title: "tool defined twice",
    message: "tool '{tool}' is defined by both {first} and {second}",
    help: "import one of the files with `as NAME` so that its tools get a prefix",
    doc: 'Every tool name must denote one schema. When two `tools from` files define the same name (or a file defines one of the built-in kernel actions `file.open`, `process.exec`, `net.connect`), give one file an alias: `tools from "./b.json" as b` makes its tools `b.NAME`.',
  }),
} as const;

/** Tools, arguments and names (21xx). */
export const namesResolve = {
  unknownTool: define({
    code: "AARM2101",
    severity: "error",
    title: "unknown tool",
    message: "no tool matches '{pattern}'{suggestion}",
    help: "tool names come from the `tools from` files; check the spelling or import the file that defines it",
    doc: "Every tool pattern in a rule, tag rule, `validate`, `bind`, `seen`/`count`/`sequence` or `result(...)` must match at least one known tool. `*` matches any run of characters (dots included) but never the built-in kernel actions, which are matched only by their exact names. Quoted names are matched literally.",
  }),
  unknownArgument: define({
    code: "AARM2102",
    severity: "error",
    title: "unknown argument",
    message: "unknown argument '{path}' of tool '{tool}'{suggestion}",
    doc: '`args.NAME` must name an argument declared in the tool\'s inputSchema (or a field of a nested object, or any key of a map declared with `additionalProperties: {schema}`). Misspelled arguments would otherwise make a condition silently false. Most schemas leave `additionalProperties` open, which JSON Schema reads as "anything else is allowed"; the dotted form still requires a declared property, and an undeclared argument that the tool really accepts is read with the bracket form, `args["NAME"]` (typed `any`). An object schema that declares no properties at all accepts any field.',
  }),
  argumentNotInEveryTool: define({
    code: "AARM2103",
    severity: "error",
    title: "argument missing in one of the rule's tools",
    message: "argument '{path}' does not exist in tool '{tool}', which this {where} also covers",
    help: "split the rule by tool, or narrow its tool patterns",
    doc: "When a rule (or tag rule, `validate` block, modification or `bind`) covers several tools, every argument it reads must exist in every one of them, with compatible types. Through a union type (oneOf/anyOf), a field must exist in every object member; non-object members (typically `null`) make the field optional.",
  }),
  invalidPathStep: define({
    code: "AARM2104",
    severity: "error",
    title: "invalid field or index access",
    message: "cannot take {step} of {path}: it is {type}",
    doc: 'Fields (`.name`, `["name"]`) apply to objects and maps; indexes (`[0]`) apply to lists. To test the elements of a list, use a quantifier (`any args.to matches /x/`) or `has`.',
  }),
  unknownName: define({
    code: "AARM2105",
    severity: "error",
    title: "unknown name",
    message: "unknown {what} '{name}'{suggestion}",
    help: "declare it (const, labels or levels), or use one of the roots args, tool, request, session, identity, context, drift",
    doc: "A bare name in a condition is a constant, a label, a level, or one of the roots `args`, `tool`, `request`, `session`, `identity`, `context`, `drift` (and `result` in tag rules). Labels and levels must be declared (`labels PII`, `levels A < B`); the default levels PUBLIC < INTERNAL < CONFIDENTIAL < RESTRICTED apply when there is no `levels` declaration.",
  }),
  unknownField: define({
    code: "AARM2106",
    severity: "error",
    title: "unknown field",
    message: "{root} has no field '{field}'{suggestion}",
    doc: "`session` has labels, level, drift and actions; `identity` has human, service, agent, session, role, scopes and delegation; `context.NAME` must be declared with `context NAME: TYPE`.",
  }),
  resultOutsideTagRule: define({
    code: "AARM2107",
    severity: "error",
    title: "result outside a tag rule",
    message: "`result` is available only in `on result` rules",
    help: "decision rules run before the tool does; tag the output with `on result TOOL ... { label X }` and test `session.labels` instead",
    doc: "A decision is made before the tool runs, so there is no output to read. `on result` rules read the output and attach labels or levels to the session, which later decisions test through `session.labels` and `session.level`.",
  }),
  unknownFunction: define({
    code: "AARM2108",
    severity: "error",
    title: "unknown function",
    message: "unknown function '{name}'{suggestion}",
    help: "the builtins are domain, host, lower, upper, len and provenance; there are no user functions",
    doc: "The language has a fixed set of pure builtins (`domain`, `host`, `lower`, `upper`, `len`, `provenance`) plus the history forms `seen`, `count` and `sequence`. This keeps every rule's cost statically bounded.",
  }),
  wrongArgumentCount: define({
    code: "AARM2109",
    severity: "error",
    title: "wrong number of arguments",
    message: "{name}() takes {expected}; found {found}",
    doc: "Every builtin takes exactly one argument.",
  }),
  invalidBuiltinArgument: define({
    code: "AARM2110",
    severity: "error",
    title: "invalid builtin argument",
    message: "{name}() needs {expected}; found {found}",
    doc: "`domain`, `host`, `lower` and `upper` take a string (or a list of strings, giving a list); `len` takes a string or a list.",
  }),
  provenanceNeedsArgument: define({
    code: "AARM2111",
    severity: "error",
    title: "provenance of a non-argument",
    message: "provenance() takes an argument reference such as args.recipient; found {found}",
    help: "provenance tracks where an argument's value came from; only arguments have one",
    doc: "`provenance(args.PATH)` is the set of sources (`request`, `result(TOOLS)`) the argument's value was found in. Only arguments of the action have a provenance.",
  }),
  sequenceTooShort: define({
    code: "AARM2112",
    severity: "error",
    title: "sequence of one step",
    message: "sequence() needs at least two steps",
    help: "use seen(...) for a single step",
    doc: "`sequence(A, B, ...)` is true when earlier actions matched A, then later B, and so on. With one step it is `seen`, which says so.",
  }),
  bindArgumentType: define({
    code: "AARM2113",
    severity: "error",
    title: "bound argument is not a string",
    message:
      "argument '{path}' of tool '{tool}' is {type}; a bound argument must be a string or a list of strings",
    help: "bind the argument that holds the path, command or address",
    doc: "`bind TOOL(ARG) to ACTION` says that the value of ARG is a file path (file.open), an executable (process.exec) or an address or URL (net.connect), so that the kernel rules of that action also apply when the tool is called. Such a value is a string, or a list of strings (each checked).",
  }),
  missingField: define({
    code: "AARM2114",
    severity: "error",
    title: "root used without a field",
    message: "`{root}` is not a value by itself; name one of its fields",
    doc: "`session`, `identity` and `context` group values: write `session.level`, `identity.role`, `context.NAME`. The root alone has no value to compare.",
  }),
} as const;

/** Every AARM2xxx entry. */
export const names = { ...namesDecls, ...namesResolve, ...namesTypes, ...namesRules } as const;
