/**
 * One tool: its fields checked, its schemas validated (validate.ts) and converted (to-type.ts). Problems go into
 * the file's DiagnosticBag with spans inside the tools file.
 */
import type { DiagnosticBag, Source, Span, ToolsDecl } from "../../language/index.js";
import { schema as codes } from "../../language/index.js";
import { type ObjectType, type ToolSchema, type Type, typeToString } from "../types.js";
import { anchorSpan, describeNode, type JsonNode, member, nodeAt, nodeToValue, spanOf } from "./json.js";
import { isRecord } from "./refs.js";
import { asInputObject, schemaToType } from "./to-type.js";
import { checkSchema } from "./validate.js";

/** What loading one tools file needs to know. */
export interface FileCtx {
  /** The tools file. */
  readonly source: Source;
  readonly policyPath: string;
  readonly decl: ToolsDecl;
  readonly bag: DiagnosticBag;
}

/** A loaded tool before prefixing and duplicate checks, with where its name came from. */
export interface ToolCandidate {
  /** The name as written (no alias prefix). */
  readonly name: string;
  /** Where the name is written: in the tools file, or (for a file-name-derived name) in the policy. */
  readonly nameAt: { readonly sourceId: string; readonly span: Span };
  readonly tool: ToolSchema;
}

/** MCP's tool-name alphabet. */
export const TOOL_NAME = /^[A-Za-z0-9_.\-/]+$/;

/** Arguments of a tool whose inputSchema is missing or unusable: anything, so rules do not cascade. */
const UNKNOWN_ARGS: ObjectType = { kind: "object", properties: new Map(), additional: true };

/** A schema node checked with ajv and converted to a Type; every problem reported at its node. */
export function convertSchema(ctx: FileCtx, node: JsonNode): { readonly type: Type; readonly raw: unknown } {
  const id = ctx.source.id;
  const raw = nodeToValue(node);
  const at = (path: readonly (string | number)[]): Span => {
    const n = nodeAt(node, path);
    return n === undefined ? anchorSpan(node) : anchorSpan(n);
  };
  const problem = checkSchema(raw);
  switch (problem?.kind) {
    case undefined:
      break;
    case "dialect":
      ctx.bag.add(codes.unsupportedDialect(id, at(problem.path), { uri: JSON.stringify(problem.uri) }));
      break;
    case "meta":
      ctx.bag.add(codes.invalidJsonSchema(id, at(problem.path), { detail: problem.detail }));
      break;
    case "missingRef": {
      const refNode = findRef(node, problem.ref);
      if (refNode === undefined) {
        const reason = `cannot resolve $ref ${JSON.stringify(problem.ref)}`;
        ctx.bag.add(codes.schemaCompileError(id, anchorSpan(node), { reason }));
        break;
      }
      const written = String(refNode.value);
      const ref = JSON.stringify(written);
      if (written.startsWith("#")) ctx.bag.add(codes.unresolvedRef(id, spanOf(refNode), { ref }));
      else ctx.bag.add(codes.remoteRef(id, spanOf(refNode), { ref }));
      break;
    }
    case "compile":
      ctx.bag.add(codes.schemaCompileError(id, anchorSpan(node), { reason: problem.reason }));
      break;
  }
  const type = schemaToType(raw, {
    onIssue: (issue) => {
      const span = at(issue.path);
      const ref = JSON.stringify(issue.ref);
      ctx.bag.add(
        issue.kind === "remoteRef"
          ? codes.remoteRef(id, span, { ref })
          : codes.unresolvedRef(id, span, { ref }),
      );
    },
  });
  return { type, raw };
}

/**
 * The first `"$ref"` value node under `node` naming `ref`. ajv reports the reference resolved against the
 * schema's `$id`, so a fragment-only `$ref` also matches the end of `ref`.
 */
function findRef(node: JsonNode, ref: string): JsonNode | undefined {
  const stack: JsonNode[] = [node];
  for (let n = stack.pop(); n !== undefined; n = stack.pop()) {
    const [key, value] = n.type === "property" ? (n.children ?? []) : [];
    if (key?.value === "$ref" && typeof value?.value === "string") {
      const v = value.value;
      if (v === ref || (v.startsWith("#") && ref.endsWith(v))) return value;
    }
    for (let i = (n.children?.length ?? 0) - 1; i >= 0; i--) stack.push(n.children![i]!);
  }
  return undefined;
}

/** The argument type from an inputSchema, reporting AARM3012 when it is not an object type. */
function inputType(
  ctx: FileCtx,
  node: JsonNode,
  tool: string,
): { readonly input: ObjectType; readonly raw: unknown } {
  const { type, raw } = convertSchema(ctx, node);
  const input = asInputObject(type);
  if (input !== undefined) return { input, raw };
  const typeNode = member(node, "type");
  const found =
    type.kind === "any" ? "a schema that does not constrain the type" : `type ${typeToString(type)}`;
  const span = typeNode === undefined ? anchorSpan(node) : spanOf(typeNode);
  ctx.bag.add(codes.inputSchemaNotObject(ctx.source.id, span, { tool: JSON.stringify(tool), found }));
  return { input: UNKNOWN_ARGS, raw };
}

/** A member that must have a given JSON type; AARM3009 (and undefined) when it has another. */
function typedMember(
  ctx: FileCtx,
  entry: JsonNode,
  field: string,
  expected: string,
  ok: (n: JsonNode) => boolean,
): JsonNode | undefined {
  const n = member(entry, field);
  if (n === undefined || ok(n)) return n;
  ctx.bag.add(
    codes.invalidToolField(ctx.source.id, spanOf(n), {
      field: JSON.stringify(field),
      expected,
      found: describeNode(n),
    }),
  );
  return undefined;
}

const isObject = (n: JsonNode): boolean => n.type === "object";
const isSchema = (n: JsonNode): boolean => n.type === "object" || n.type === "boolean";

/** One element of a `tools` array (MCP `Tool`). Undefined when it has no usable name. */
export function readToolEntry(ctx: FileCtx, entry: JsonNode): ToolCandidate | undefined {
  const id = ctx.source.id;
  if (entry.type !== "object") {
    ctx.bag.add(codes.invalidToolEntry(id, anchorSpan(entry), { found: describeNode(entry) }));
    return undefined;
  }
  const nameNode = member(entry, "name");
  if (nameNode === undefined || nameNode.type !== "string") {
    const problem =
      nameNode === undefined ? "is missing" : `must be a string, found ${describeNode(nameNode)}`;
    ctx.bag.add(
      codes.missingToolName(id, nameNode === undefined ? anchorSpan(entry) : spanOf(nameNode), { problem }),
    );
    return undefined;
  }
  const name = String(nameNode.value);
  const nameAt = { sourceId: id, span: spanOf(nameNode) };
  const description = typedMember(ctx, entry, "description", "a string", (n) => n.type === "string");
  const annotations = typedMember(ctx, entry, "annotations", "an object", isObject);
  const outputNode = typedMember(ctx, entry, "outputSchema", "a JSON Schema object", isSchema);
  const inputNode = member(entry, "inputSchema");
  let input: { readonly input: ObjectType; readonly raw: unknown } = {
    input: UNKNOWN_ARGS,
    raw: { type: "object" },
  };
  if (inputNode === undefined) {
    ctx.bag.add(codes.missingInputSchema(id, spanOf(nameNode), { name: JSON.stringify(name) }));
  } else if (!isSchema(inputNode)) {
    ctx.bag.add(
      codes.invalidToolField(id, spanOf(inputNode), {
        field: '"inputSchema"',
        expected: "a JSON Schema object",
        found: describeNode(inputNode),
      }),
    );
  } else {
    input = inputType(ctx, inputNode, name);
  }
  const output = outputNode === undefined ? undefined : convertSchema(ctx, outputNode).type;
  const annotationValue = annotations === undefined ? undefined : nodeToValue(annotations);
  const tool: ToolSchema = {
    name,
    ...(description === undefined ? {} : { description: String(description.value) }),
    input: input.input,
    ...(output === undefined ? {} : { output }),
    rawInputSchema: input.raw,
    ...(isRecord(annotationValue) ? { annotations: annotationValue } : {}),
    sourceFile: id,
  };
  return { name, nameAt, tool };
}

/** The base name of a path without its extension: `/a/b/read_file.schema.json` → `read_file.schema`. */
export function baseName(path: string): string {
  const file = path.slice(Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")) + 1);
  const dot = file.lastIndexOf(".");
  return dot > 0 ? file.slice(0, dot) : file;
}

/** A whole file that is one tool's JSON Schema: named by `title`, else by the file's base name. */
export function readSchemaFileTool(ctx: FileCtx, root: JsonNode): ToolCandidate {
  const titleNode = member(root, "title");
  const descNode = member(root, "description");
  const fromTitle = titleNode?.type === "string";
  const name = fromTitle ? String(titleNode.value) : baseName(ctx.source.id);
  const nameAt = fromTitle
    ? { sourceId: ctx.source.id, span: spanOf(titleNode) }
    : { sourceId: ctx.policyPath, span: ctx.decl.path.span };
  const { input, raw } = inputType(ctx, root, name);
  const tool: ToolSchema = {
    name,
    ...(descNode?.type === "string" ? { description: String(descNode.value) } : {}),
    input,
    rawInputSchema: raw,
    sourceFile: ctx.source.id,
  };
  return { name, nameAt, tool };
}
