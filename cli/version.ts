/**
 * The package version, read from the package.json above this module (in the source tree or in dist/): what
 * `--version` prints and what a bundle's manifest names as its compiler version.
 */
import { readFileSync } from "node:fs";

/** The package version, or "unknown" when no aarm package.json is found. */
export function packageVersion(): string {
  for (const up of ["../package.json", "../../package.json"]) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), "utf8")) as {
        name?: unknown;
        version?: unknown;
      };
      if (pkg.name === "aarm" && typeof pkg.version === "string") return pkg.version;
    } catch {
      // not here; try one folder up
    }
  }
  return "unknown";
}
