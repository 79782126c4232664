/**
 * The state one check of one policy shares between its passes: the reporter, the declarations (Scope), the
 * tools, the side tables (types, reference targets, builtin calls), and what was used (for AARM2505/2506).
 */
import type { CallExpr, Diagnostic, Expr, Ref, RelatedInfo, Source, Span } from "../../language/index.js";
import type { BuiltinName, RefTarget } from "../model.js";
import type { Type, ToolSchema } from "../types.js";
import type { Scope } from "./scope.js";
import type { ToolUniverse } from "./tools.js";

/** Collects the checker's diagnostics for one policy file. */
export class Reporter {
  readonly diagnostics: Diagnostic[] = [];
  constructor(readonly source: Source) {}

  get sourceId(): string {
    return this.source.id;
  }

  add(d: Diagnostic): void {
    this.diagnostics.push(d);
  }

  /** A related location in the policy file. */
  related(span: Span, message: string): RelatedInfo {
    return { sourceId: this.source.id, span, message };
  }

  /** The policy text of a span, on one line and shortened for messages. */
  text(span: Span, max = 48): string {
    const t = this.source.text.slice(span.start, span.end).replace(/\s+/g, " ").trim();
    return t.length > max ? `${t.slice(0, max - 3)}...` : t;
  }

  get hasErrors(): boolean {
    return this.diagnostics.some((d) => d.severity === "error");
  }
}

/** What presence tests need to know about an argument reference. */
export interface PresenceInfo {
  /** Optional in at least one of the tools (or through a map, a list index or a nullable union). */
  readonly optional: boolean;
  /** A tool in which it is required (for the message). */
  readonly requiredIn: string | undefined;
}

/** Side tables keyed by AST node (never written onto the AST). */
export class Tables {
  readonly types = new WeakMap<Expr, Type>();
  readonly refs = new WeakMap<Ref, RefTarget>();
  readonly calls = new WeakMap<CallExpr, BuiltinName>();
  readonly presence = new WeakMap<Ref, PresenceInfo>();
}

/** The checker's shared state. */
export interface CheckContext {
  readonly reporter: Reporter;
  readonly scope: Scope;
  readonly universe: ToolUniverse;
  readonly tables: Tables;
  /** `const:NAME`, `label:NAME`, `context:NAME` for every declaration referred to. */
  readonly used: Set<string>;
}

/** Where an expression is checked, and what its `args` and `result` are. */
export interface ExprEnv {
  readonly where: "rule" | "tag rule" | "validate block" | "bind declaration";
  /** The tools the enclosing rule covers. */
  readonly tools: readonly ToolSchema[];
  /** False when a tool pattern could not be resolved: then `args` is typed `any` (the error is already out). */
  readonly toolsKnown: boolean;
  /** The output type, inside `on result` rules only. */
  readonly result: Type | undefined;
}
