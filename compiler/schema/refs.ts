/**
 * Local `$ref` resolution inside one schema document: `#`, JSON pointers (`#/$defs/x`, `#/definitions/x`, any
 * other pointer), `$anchor`s (`#name`), and absolute references to the document's own root `$id`. Nothing is
 * ever fetched: every other reference is "remote".
 */

/** Where a reference leads. */
export type RefTarget =
  | { readonly kind: "found"; readonly schema: unknown; readonly path: readonly string[] }
  | { readonly kind: "missing" }
  | { readonly kind: "remote" };

/** A JSON object (not an array, not null). */
export function isRecord(v: unknown): v is Readonly<Record<string, unknown>> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** An own property (never one inherited from Object.prototype, such as `constructor`). */
export function own(o: Readonly<Record<string, unknown>>, key: string): unknown {
  return Object.hasOwn(o, key) ? o[key] : undefined;
}

/** Resolve `ref` against the document `root`. */
export function resolveRef(root: unknown, ref: string): RefTarget {
  let fragment: string;
  const hash = ref.indexOf("#");
  if (hash === 0) fragment = ref.slice(1);
  else {
    const base = isRecord(root) ? own(root, "$id") : undefined;
    const uri = hash < 0 ? ref : ref.slice(0, hash);
    if (typeof base !== "string" || uri !== base.replace(/#$/, "")) return { kind: "remote" };
    fragment = hash < 0 ? "" : ref.slice(hash + 1);
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(fragment);
  } catch {
    return { kind: "missing" };
  }
  if (decoded === "" || decoded.startsWith("/")) return followPointer(root, decoded);
  return findAnchor(root, decoded);
}

function followPointer(root: unknown, pointer: string): RefTarget {
  const segments =
    pointer === ""
      ? []
      : pointer
          .slice(1)
          .split("/")
          .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
  let cur: unknown = root;
  for (const seg of segments) {
    if (Array.isArray(cur)) {
      if (!/^(0|[1-9][0-9]*)$/.test(seg)) return { kind: "missing" };
      cur = (cur as readonly unknown[])[Number(seg)];
    } else if (isRecord(cur)) {
      cur = own(cur, seg);
    } else {
      return { kind: "missing" };
    }
    if (cur === undefined) return { kind: "missing" };
  }
  if (!isRecord(cur) && typeof cur !== "boolean") return { kind: "missing" };
  return { kind: "found", schema: cur, path: segments };
}

/** Breadth-first search for `$anchor` (or `$dynamicAnchor`) equal to `name`. */
function findAnchor(root: unknown, name: string): RefTarget {
  const queue: { readonly value: unknown; readonly path: readonly string[] }[] = [{ value: root, path: [] }];
  for (let i = 0; i < queue.length; i++) {
    const { value, path } = queue[i]!;
    if (Array.isArray(value)) {
      (value as readonly unknown[]).forEach((v, j) => queue.push({ value: v, path: [...path, String(j)] }));
    } else if (isRecord(value)) {
      if (own(value, "$anchor") === name || own(value, "$dynamicAnchor") === name) {
        return { kind: "found", schema: value, path };
      }
      for (const [k, v] of Object.entries(value)) queue.push({ value: v, path: [...path, k] });
    }
  }
  return { kind: "missing" };
}
