/**
 * The diagnostic catalog: one entry per code, split by phase into catalog-*.ts files. The generated error
 * reference (docs/diagnostics.md) and the "every code is exercised" test both read `allEntries`.
 */
import type { CatalogEntry } from "./define.js";
import { names } from "./catalog-names.js";
import { schema } from "./catalog-schema.js";
import { syntax } from "./catalog-syntax.js";
import { target } from "./catalog-target.js";

export { names, schema, syntax, target };

/** Every catalog entry, sorted by code. Duplicate codes throw at load time (and so fail every test). */
export const allEntries: readonly (CatalogEntry & { readonly name: string })[] = (() => {
  const entries = [syntax, names, schema, target].flatMap((group) =>
    Object.entries(group).map(([name, e]) => ({ ...(e as CatalogEntry), name })),
  );
  const seen = new Map<string, string>();
  for (const e of entries) {
    const prev = seen.get(e.code);
    if (prev !== undefined) throw new Error(`duplicate diagnostic code ${e.code}: ${prev} and ${e.name}`);
    seen.set(e.code, e.name);
  }
  // Codes are AARM and four digits, so code-unit order is their order (localeCompare would load ICU's collator).
  return entries.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
})();
