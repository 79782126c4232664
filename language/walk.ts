/**
 * One generic AST walker driven by CHILD_KEYS (as graphql-js's `visit` is driven by QueryDocumentKeys). Every pass
 * that only needs "all the nodes, in source order" uses this instead of its own switch over node kinds.
 * The walk is iterative, so a long `a and b and c ...` chain (a deep left-nested tree) cannot overflow the stack.
 */
import { CHILD_KEYS, type Node, type NodeKind } from "./ast.js";

/** One child of a node, with the key (and array index) it sits under. */
export interface ChildEntry {
  readonly key: string;
  /** The position in the array when the key holds a list; undefined for single-node keys. */
  readonly index: number | undefined;
  readonly node: Node;
}

/** Where the walker is: the parent node, the key and index of the current node under it, and the depth. */
export interface WalkContext {
  readonly parent: Node | undefined;
  readonly key: string | undefined;
  readonly index: number | undefined;
  /** 0 for the root. */
  readonly depth: number;
}

/** Callbacks of `walk`. `enter` may return false to skip the node's children (its `leave` still runs). */
export interface Visitor {
  enter?(node: Node, ctx: WalkContext): boolean | void;
  leave?(node: Node, ctx: WalkContext): void;
}

const KEYS = CHILD_KEYS as unknown as Readonly<Record<NodeKind, readonly string[]>>;

function isNode(x: unknown): x is Node {
  return typeof x === "object" && x !== null && typeof (x as { kind?: unknown }).kind === "string" && "span" in x;
}

/** The children of a node with their keys, in CHILD_KEYS order (source order). Absent optional children are skipped. */
export function childEntries(node: Node): ChildEntry[] {
  const out: ChildEntry[] = [];
  const record = node as unknown as Readonly<Record<string, unknown>>;
  for (const key of KEYS[node.kind]) {
    const value = record[key];
    if (Array.isArray(value)) {
      value.forEach((item: unknown, index) => {
        if (isNode(item)) out.push({ key, index, node: item });
      });
    } else if (isNode(value)) {
      out.push({ key, index: undefined, node: value });
    }
  }
  return out;
}

/** The child nodes of a node, in source order. */
export function children(node: Node): Node[] {
  return childEntries(node).map((e) => e.node);
}

/** A node on the walker's stack; it is also the node's WalkContext (one object per node). */
interface Frame extends WalkContext {
  readonly node: Node;
  /** false: enter has not run yet; true: children are pushed, leave is due. */
  exiting: boolean;
}

/** Push the children of `node` onto the stack so that they pop in source order (the order of childEntries). */
function pushChildren(stack: Frame[], node: Node, depth: number): void {
  const record = node as unknown as Readonly<Record<string, unknown>>;
  const keys = KEYS[node.kind];
  for (let k = keys.length - 1; k >= 0; k--) {
    const key = keys[k]!;
    const value = record[key];
    if (Array.isArray(value)) {
      for (let index = value.length - 1; index >= 0; index--) {
        const item: unknown = value[index];
        if (isNode(item)) stack.push({ node: item, parent: node, key, index, depth, exiting: false });
      }
    } else if (isNode(value)) {
      stack.push({ node: value, parent: node, key, index: undefined, depth, exiting: false });
    }
  }
}

/** Depth-first, pre-order walk of `root` and all its descendants in source order. */
export function walk(root: Node, visitor: Visitor): void {
  const stack: Frame[] = [{ node: root, parent: undefined, key: undefined, index: undefined, depth: 0, exiting: false }];
  for (let frame = stack.pop(); frame !== undefined; frame = stack.pop()) {
    const node = frame.node;
    if (frame.exiting) {
      visitor.leave?.(node, frame);
      continue;
    }
    const descend = visitor.enter?.(node, frame) !== false;
    // A leave frame only when there is a leave callback: most walks only enter.
    if (visitor.leave) {
      frame.exiting = true;
      stack.push(frame);
    }
    if (descend) pushChildren(stack, node, frame.depth + 1);
  }
}
