// ESLint flat config: typescript-eslint's recommended rules with type information (for switch exhaustiveness),
// a complexity budget, and the import boundaries between the pipeline folders (docs: STYLE.md §1).
import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import tseslint from "typescript-eslint";

/**
 * A no-restricted-imports pattern banning relative imports that climb out (`../`) into one of the given top-level
 * folders, except the files matched by `allowed` (a regex source for the path inside the folder).
 */
function ban(folders, message, allowed) {
  const except = allowed === undefined ? "" : `(?!(?:${allowed})$)`;
  return { regex: `^(?:\\.\\./)+(?:${folders.join("|")})(?:$|/${except})`, message };
}

/**
 * Which folder may import what. The layering is about shipped code (a deployed host loads runtime/ without the
 * compiler), so tests of language/, compiler/, runtime/ and targets/ may reach across it; examples/ and
 * conformance/ exist to exercise the public API, so for them it holds everywhere.
 */
const TESTS = ["**/*.test.ts", "**/test-support/**"];
const ENTRY_POINTS =
  "examples/ and conformance/ use only the package's entry points: index.ts (aarm), runtime/index.ts (aarm/runtime), " +
  "host/index.ts (aarm/host), sessions/index.ts (aarm/sessions), gateway/index.ts (aarm/gateway).";
const COMPILE_FACADE = "compiler/compile.ts";
const RUNTIME_FOR_COMPILER = ban(
  ["runtime"],
  "compiler/ may use runtime/ only through its index.ts files (runtime/index.ts, runtime/ir/index.ts, ...).",
  "(?:[^/]+/)?index\\.js",
);
const boundaries = [
  {
    files: ["language/**/*.ts"],
    ignores: TESTS,
    patterns: [
      ban(
        ["compiler", "runtime", "targets", "cli", "conformance", "examples", "scripts", "sessions"],
        "language/ is surface syntax only: it imports nothing outside language/.",
      ),
    ],
  },
  {
    files: ["runtime/**/*.ts"],
    ignores: TESTS,
    patterns: [
      ban(
        ["language", "compiler", "targets", "cli", "conformance", "examples", "scripts", "host", "sessions"],
        "runtime/ is what deployed hosts ship: it imports nothing outside runtime/.",
      ),
    ],
  },
  {
    files: ["compiler/**/*.ts"],
    ignores: [...TESTS, COMPILE_FACADE],
    patterns: [
      ban(
        ["targets", "cli", "conformance", "examples", "scripts"],
        "compiler/ may import language/ (and runtime/ index files) only.",
      ),
      RUNTIME_FOR_COMPILER,
    ],
  },
  {
    // The façade that assembles the whole pipeline (check → lower → emit) may also call the targets' entry points.
    files: [COMPILE_FACADE],
    patterns: [
      ban(
        ["cli", "conformance", "examples", "scripts"],
        "compiler/ may import language/ (and runtime/ index files) only.",
      ),
      ban(
        ["targets"],
        "compiler/compile.ts may use targets/ only through their index.ts files.",
        "[^/]+/index\\.js",
      ),
      RUNTIME_FOR_COMPILER,
    ],
  },
  {
    files: ["targets/**/*.ts"],
    ignores: TESTS,
    patterns: [
      ban(
        ["language", "cli", "conformance", "examples", "scripts"],
        "targets/ may import compiler/ir.ts, compiler/types.ts and runtime/ only.",
      ),
      ban(
        ["compiler"],
        "targets/ may import compiler/ir.ts and compiler/types.ts only.",
        "(?:ir|types)\\.js",
      ),
    ],
  },
  {
    // host/: the Node edges of the runtime (files, HTTP endpoints, exporters). It builds on runtime/ only.
    files: ["host/**/*.ts"],
    ignores: TESTS,
    patterns: [
      ban(
        ["language", "compiler", "targets", "cli", "conformance", "examples", "scripts", "sessions"],
        "host/ is the runtime's Node edge: it imports runtime/ only.",
      ),
    ],
  },
  {
    // gateway/: the MCP gateway, a Node program built on runtime/, host/ and sessions/ (the recording format).
    files: ["gateway/**/*.ts"],
    ignores: TESTS,
    patterns: [
      ban(
        ["language", "compiler", "targets", "cli", "conformance", "examples", "scripts"],
        "gateway/ builds on runtime/, host/ and sessions/ only.",
      ),
    ],
  },
  {
    // sessions/: the recorded-session format, its importers and replay. It builds on runtime/ only, so benchmarks
    // and hosts replay sessions without the compiler.
    files: ["sessions/**/*.ts"],
    ignores: TESTS,
    patterns: [
      ban(
        ["language", "compiler", "targets", "cli", "conformance", "examples", "scripts", "host"],
        "sessions/ builds on runtime/ only.",
      ),
    ],
  },
  {
    files: ["examples/**/*.ts", "conformance/**/*.ts"],
    patterns: [
      ban(["language", "compiler", "targets", "cli", "scripts"], ENTRY_POINTS),
      ban(["runtime", "host", "sessions", "gateway"], ENTRY_POINTS, "index\\.js"),
    ],
  },
];

export default defineConfig(
  {
    ignores: [
      "dist/",
      "node_modules/",
      "coverage/",
      "out/",
      ".tmp/",
      // Hidden folders (scratch space) are not linted, as tsc does not type-check them either.
      "**/.*/",
      "**/*.generated.d.ts",
      "bpf-templates/",
      // Only what tsconfig.json type-checks is linted; loose files at the top level are scratch files.
      "*.ts",
      "!index.ts",
      "!vitest.config.ts",
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/switch-exhaustiveness-check": [
        "error",
        { considerDefaultExhaustiveForUnions: true },
      ],
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" },
      ],
      // AST nodes such as `interface NullLit extends NodeBase<"NullLit"> {}` carry everything in their base.
      "@typescript-eslint/no-empty-object-type": ["error", { allowInterfaces: "with-single-extends" }],
      // "modified": a switch counts once, however many cases it has, so dispatch over node kinds is not penalized.
      complexity: ["warn", { max: 25, variant: "modified" }],
    },
  },
  {
    files: ["**/*.js"],
    languageOptions: {
      globals: { process: "readonly", console: "readonly", URL: "readonly" },
    },
  },
  boundaries.map(({ files, ignores = [], patterns }) => ({
    files,
    ignores,
    rules: { "no-restricted-imports": ["error", { patterns }] },
  })),
  {
    // Tokens, lexer and parser must come from one copy of Chevrotain: the one language/chevrotain.ts loads.
    files: ["language/**/*.ts", "compiler/**/*.ts", "scripts/**/*.ts"],
    ignores: ["language/chevrotain.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          paths: [
            {
              name: "chevrotain",
              allowTypeImports: true,
              message:
                "Take Chevrotain's values from language/chevrotain.ts (types may come from 'chevrotain').",
            },
          ],
        },
      ],
    },
  },
);
