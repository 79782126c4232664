/**
 * Node edge: a bundle folder on disk. `readBundleDir` reads every regular file under the folder into memory
 * (names relative, `/`-separated) so that verification and loading work on those bytes only; `loadBundleDir`
 * reads and loads in one call. A symbolic link or other special file in the folder is refused.
 */
import { lstatSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { BundleError, loadBundle, type BundleLoadOptions, type LoadedBundle } from "../runtime/bundle/index.js";

const MAX_FILES = 10_000;

function walk(dir: string, prefix: string, out: Map<string, Uint8Array>): void {
  let names: string[];
  try {
    names = readdirSync(join(dir, prefix)).sort();
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new BundleError(`${join(dir, prefix)}: cannot read the bundle folder (${code ?? String(e)})`);
  }
  for (const n of names) {
    const rel = prefix === "" ? n : `${prefix}/${n}`;
    const path = join(dir, rel);
    const st = lstatSync(path);
    if (st.isDirectory()) walk(dir, rel, out);
    else if (st.isFile()) {
      if (out.size >= MAX_FILES) throw new BundleError(`${dir}: more than ${MAX_FILES} files; not a bundle`);
      out.set(rel, new Uint8Array(readFileSync(path)));
    } else throw new BundleError(`${rel}: not a regular file (links and special files are not allowed in a bundle)`);
  }
}

/** Every file of a bundle folder, by relative name. Throws BundleError on an unreadable folder. */
export function readBundleDir(dir: string): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  walk(dir, "", out);
  return out;
}

/** Read a bundle folder, verify it and load its policy. Throws BundleError naming the file at fault. */
export function loadBundleDir(dir: string, options: BundleLoadOptions): Promise<LoadedBundle> {
  return loadBundle(readBundleDir(dir), options);
}
