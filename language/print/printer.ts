/**
 * The node printer: one exhaustive dispatch over node kinds, with every node's attached comments printed around
 * it. Kind-specific layout lives in expr.ts, decls.ts and rules.ts; they recurse through `NodePrinter.print`, so a
 * comment attached to any node is printed exactly once (checked by `assertAllPrinted`).
 */
import type { Doc } from "prettier";
import type { Comment, Node } from "../ast.js";
import { assertNever } from "../ast.js";
import type { Source } from "../source.js";
import { leadingDocs, ownLineCount, trailingDocs } from "./comment-docs.js";
import type { Attached, CommentLayout } from "./comments.js";
import { printDecl, printTypeExpr } from "./decls.js";
import { printExpr } from "./expr.js";
import { addressText, portRangeText, segmentText, toolPatternText } from "./literals.js";
import { printRulePart } from "./rules.js";

/** How a node is placed. */
export interface PrintOptions {
  /** The node is known to start a line (it follows a line break of a group that breaks if a comment forces it). */
  readonly lineStart?: boolean;
  /** Print the node's trailing comments (default true); callers that print them elsewhere pass false. */
  readonly trailing?: boolean;
  /** Print the node's leading comments (default true); callers that print them elsewhere pass false. */
  readonly leading?: boolean;
}

const NONE: Attached = { leading: [], trailing: [], dangling: [] };

/** Prints nodes with their comments. One instance per printed file. */
export class NodePrinter {
  private readonly printed = new Set<Comment>();
  private readonly markPrinted = (c: Comment): void => {
    if (this.printed.has(c)) throw new Error(`comment printed twice: ${c.text}`);
    this.printed.add(c);
  };

  constructor(
    readonly source: Source,
    readonly layout: CommentLayout,
  ) {}

  /** A node with its comments. */
  print(node: Node, opts: PrintOptions = {}): Doc {
    return this.wrap(node, this.printBare(node), opts);
  }

  /** A custom doc standing for `node`, with the node's comments around it. */
  wrap(node: Node, doc: Doc, opts: PrintOptions = {}): Doc {
    const a = this.attached(node);
    const lead = opts.leading === false ? [] : leadingDocs(a.leading, opts.lineStart ?? false, this.markPrinted);
    const trail = opts.trailing === false ? [] : this.trailing(node);
    return lead.length === 0 && trail.length === 0 ? doc : [...lead, doc, ...trail];
  }

  /**
   * `keyword node` (`when x`, `because "r"`, `timeout 5m`): comments that need their own line go above the
   * keyword, inline block comments stay between keyword and node. `lineStart` says whether the keyword starts a
   * line (as for the continuation clauses of a rule).
   */
  clause(keyword: Doc, node: Node, doc: Doc = this.printBare(node), lineStart = true): Doc {
    const [above, inline] = this.leadingAround(node, lineStart);
    return [...above, keyword, " ", ...inline, doc, ...this.trailing(node)];
  }

  /** The leading comments of `node` split for a keyword before it: those above the keyword, those after it. */
  leadingAround(node: Node, lineStart: boolean): [Doc[], Doc[]] {
    const leading = this.attached(node).leading;
    const split = ownLineCount(leading);
    return [
      leadingDocs(leading.slice(0, split), lineStart, this.markPrinted),
      leadingDocs(leading.slice(split), false, this.markPrinted),
    ];
  }

  /** The trailing and dangling comments of a node (for callers that printed it with `trailing: false`). */
  trailing(node: Node): Doc[] {
    const a = this.attached(node);
    return trailingDocs([...a.dangling, ...a.trailing], this.markPrinted);
  }

  /** True if a comment attached to `node` puts a line break before or after it. */
  hasLineBreakingComments(node: Node): boolean {
    const a = this.attached(node);
    return a.leading.some((c) => c.endOfLine) || [...a.trailing, ...a.dangling].some((c) => c.ownLine || !c.comment.block);
  }

  /** Print comments that the caller placed itself (top-level items, end of file). */
  mark(c: Comment): void {
    this.markPrinted(c);
  }

  /** Throws if an attached comment was never printed: a formatter bug that would lose the comment. */
  assertAllPrinted(all: readonly Comment[]): void {
    for (const c of all) {
      if (!this.printed.has(c)) throw new Error(`internal formatter error: comment not printed: ${c.text}`);
    }
  }

  private attached(node: Node): Attached {
    return this.layout.nodes.get(node) ?? NONE;
  }

  /** A node without its comments. */
  printBare(node: Node): Doc {
    switch (node.kind) {
      case "StringLit":
      case "NumberLit":
      case "BoolLit":
      case "NullLit":
      case "DurationLit":
      case "RegexLit":
      case "ListLit":
      case "Ref":
      case "CallExpr":
      case "SeenExpr":
      case "CountExpr":
      case "SequenceExpr":
      case "ResultSourceExpr":
      case "LogicalExpr":
      case "NotExpr":
      case "CompareExpr":
      case "IsExpr":
      case "ParenExpr":
      case "ErrorExpr":
        return printExpr(this, node);
      case "Header":
      case "DefaultDecl":
      case "ToolsDecl":
      case "LevelsDecl":
      case "LabelsDecl":
      case "ConstDecl":
      case "ContextDecl":
      case "ContextField":
      case "BindDecl":
        return printDecl(this, node);
      case "NamedType":
      case "ListType":
      case "EnumType":
        return printTypeExpr(this, node);
      case "ValidateDecl":
      case "Constraint":
      case "Rule":
      case "TagRule":
      case "Annotation":
      case "ApproversOption":
      case "TimeoutOption":
      case "EscalateOption":
      case "SetMod":
      case "CapMod":
      case "RedactMod":
      case "PathMatch":
      case "NetMatch":
        return printRulePart(this, node);
      case "Identifier":
        return node.name;
      case "ToolPattern":
        return toolPatternText(node);
      case "AddressLit":
        return addressText(node);
      case "PortRange":
        return portRangeText(node);
      case "FieldSegment":
      case "IndexSegment":
        return segmentText(node);
      case "Policy":
      case "Comment":
        throw new Error(`a ${node.kind} is printed by printPolicy, not as a node`);
      default:
        return assertNever(node);
    }
  }
}
