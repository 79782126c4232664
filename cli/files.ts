/**
 * Turning command-line paths into policy files: a file is taken as given (even if it does not exist, so that
 * the compiler reports it as AARM1000); a directory means every `*.aarm` file under it.
 */
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/** The policy files, in command-line order, and the directories that held none. */
export interface ExpandedPaths {
  readonly files: readonly string[];
  readonly emptyDirectories: readonly string[];
}

/** Folders never searched: dependencies, build output, and hidden folders such as .git. */
const SKIPPED = new Set(["node_modules", "dist"]);

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Every `*.aarm` file under `dir`, sorted; symbolic links to directories are not followed (no cycles). */
export function policiesUnder(dir: string): string[] {
  const found: string[] = [];
  const walk = (d: string) => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return; // unreadable folders are skipped; a folder named on the command line was already stat'ed
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const path = join(d, e.name);
      if (e.isDirectory()) {
        if (!e.name.startsWith(".") && !SKIPPED.has(e.name)) walk(path);
      } else if (e.name.endsWith(".aarm") && (e.isFile() || (e.isSymbolicLink() && !isDirectory(path)))) {
        found.push(path);
      }
    }
  };
  walk(dir);
  return found;
}

/** Expand directories to the policies under them; drop repeats. */
export function expandPaths(paths: readonly string[]): ExpandedPaths {
  const files: string[] = [];
  const emptyDirectories: string[] = [];
  const seen = new Set<string>();
  const add = (f: string) => {
    if (!seen.has(f)) {
      seen.add(f);
      files.push(f);
    }
  };
  for (const p of paths) {
    if (isDirectory(p)) {
      const under = policiesUnder(p);
      if (under.length === 0) emptyDirectories.push(p);
      under.forEach(add);
    } else {
      add(p);
    }
  }
  return { files, emptyDirectories };
}
