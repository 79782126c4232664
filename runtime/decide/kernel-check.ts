/**
 * Does an action hit a kernel-visible forbid rule? Either the action is itself a kernel action (tool `file.open`,
 * `process.exec`, `net.connect` with their built-in arguments), or a `bind` names one of its arguments.
 */
import type { IrKernel } from "../ir/index.js";
import { netMatches, normalizePath, pathMatches, splitDestination } from "./kernel-match.js";

function strings(v: unknown): string[] {
  if (typeof v === "string") return [v];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === "string");
  return [];
}

/**
 * A bare program name (`nc`, no slash) is looked up in the PATH of whoever runs it, which user space cannot know:
 * fail closed, and treat it as the forbidden program of the same name wherever that lives.
 */
function bareProgramHit(k: Extract<IrKernel, { kind: "path" }>, name: string): boolean {
  if (name === "" || name.includes("/")) return false;
  return k.mode === "path" && k.paths.some((p) => p.slice(p.lastIndexOf("/") + 1) === name);
}

/**
 * `bound` is the value of a bound argument, or null when the action is the kernel action itself (then its own
 * `path` / `address` + `port` arguments are used).
 */
export function kernelHit(k: IrKernel, target: string, args: Readonly<Record<string, unknown>>, bound: unknown, cwd: string): boolean {
  if (k.kind === "path") {
    const values = bound === null ? strings(args["path"]) : strings(bound);
    return values.some((v) => {
      const path = normalizePath(v, cwd);
      // A procfs magic link to a file user space cannot know (/proc/self/cwd/…, /proc/self/fd/3): fail closed.
      if (path === null) return true;
      return pathMatches(k, path) || (target === "process.exec" && bareProgramHit(k, v));
    });
  }
  if (target !== "net.connect") return false;
  if (bound === null) {
    const host = args["address"];
    const port = args["port"];
    return typeof host === "string" && netMatches(k, host, typeof port === "number" ? port : null);
  }
  return strings(bound).some((v) => {
    const d = splitDestination(v);
    return netMatches(k, d.host, d.port);
  });
}
