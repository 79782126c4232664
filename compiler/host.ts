/**
 * File access for the compiler, behind an interface so tests can use an in-memory file system.
 * Decoding is strict: invalid UTF-8 becomes AARM1005 rather than replacement characters.
 */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { Diagnostic } from "../language/index.js";
import { makeSource, type Source, syntax } from "../language/index.js";

export interface CompilerHost {
  /** Read a file's bytes; throw an Error (with a message) if it cannot be read. */
  readFile(path: string): Uint8Array;
  /** Resolve `relative` against the directory of the file `from`. */
  resolve(from: string, relative: string): string;
}

/** The Node.js file system. */
export const nodeHost: CompilerHost = {
  readFile: (path) => readFileSync(path),
  resolve: (from, relative) => resolve(dirname(from), relative),
};

/** An in-memory host for tests: paths are used as given. */
export function memoryHost(files: Readonly<Record<string, string | Uint8Array>>): CompilerHost {
  return {
    readFile(path) {
      const f = files[path];
      if (f === undefined) throw new Error("no such file");
      return typeof f === "string" ? new TextEncoder().encode(f) : f;
    },
    resolve(from, relative) {
      if (relative.startsWith("/")) return relative;
      const dir = from.includes("/") ? from.slice(0, from.lastIndexOf("/")) : ".";
      const parts = `${dir}/${relative}`.split("/");
      const out: string[] = [];
      for (const p of parts) {
        if (p === "" || p === ".") continue;
        if (p === "..") out.pop();
        else out.push(p);
      }
      return (from.startsWith("/") ? "/" : "") + out.join("/");
    },
  };
}

export type ReadResult = { readonly source: Source } | { readonly diagnostic: Diagnostic };

function errorMessage(e: unknown): string {
  if (e && typeof e === "object" && "code" in e) {
    const code = (e as { code?: unknown }).code;
    if (code === "ENOENT") return "no such file";
    if (code === "EISDIR") return "it is a directory";
    if (code === "EACCES") return "permission denied";
  }
  return e instanceof Error ? e.message : String(e);
}

/** Read and strictly decode a text file. `reportAs` is the source id diagnostics point at. */
export function readSource(host: CompilerHost, path: string, reportAs: string = path): ReadResult {
  let bytes: Uint8Array;
  try {
    bytes = host.readFile(path);
  } catch (e) {
    return { diagnostic: syntax.unreadableFile(reportAs, undefined, { path, reason: errorMessage(e) }) };
  }
  try {
    const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
    return { source: makeSource(path, text) };
  } catch {
    const offset = firstInvalidUtf8(bytes);
    return { diagnostic: syntax.invalidUtf8(path, { start: 0, end: 0 }, { offset }) };
  }
}

/** Byte offset of the first byte that does not start or continue a valid UTF-8 sequence. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    let n = 0;
    if (b < 0x80) n = 0;
    else if (b >= 0xc2 && b <= 0xdf) n = 1;
    else if (b >= 0xe0 && b <= 0xef) n = 2;
    else if (b >= 0xf0 && b <= 0xf4) n = 3;
    else return i;
    if (i + n >= bytes.length + (n === 0 ? 1 : 0) && n > 0) return i;
    const probe = bytes.subarray(i, i + n + 1);
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(probe);
    } catch {
      return i;
    }
    i += n + 1;
  }
  return bytes.length;
}
